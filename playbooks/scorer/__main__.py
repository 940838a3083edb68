"""`python -m playbooks.scorer train | train-mlp | add-group-hate | graft-head | split | score`."""

from __future__ import annotations

import argparse
import json
import sys


def main(argv: list[str] | None = None) -> int:
    """Train the scorer, draw the dev split (once), or score texts."""
    parser = argparse.ArgumentParser(prog="python -m playbooks.scorer")
    sub = parser.add_subparsers(dest="command", required=True)
    training = sub.add_parser("train", help="train on ../shared data + own examples; write weights")
    training.add_argument("--out", help="weights file (default: the committed one)")
    training.add_argument("--C", type=float, help="regularisation of every label (experiments)")
    training.add_argument(
        "--oof", help="write out-of-fold probabilities (JSON) for threshold tuning"
    )
    hidden = sub.add_parser(
        "train-mlp",
        help="wave 6: the same features into one hidden layer (needs torch, the `train` extra)",
    )
    hidden.add_argument("--out", help="weights file (default: the committed one)")
    hidden.add_argument("--oof", help="write out-of-fold probabilities (JSON)")
    hidden.add_argument("--hidden", type=int, help="hidden units")
    hidden.add_argument("--epochs", type=int, help="passes over the training rows")
    group = sub.add_parser(
        "add-group-hate",
        help="experiment (wave 5, not shipped): add a `hate_group` label to a copy of the"
        " weights (scipy only)",
    )
    group.add_argument("--out", required=True, help="weights file to extend (a copy)")
    group.add_argument("--oof", help="write its out-of-fold probabilities (JSON, merged)")
    grafting = sub.add_parser(
        "graft-head",
        help="wave 63: retrain one label on the study sets and graft it onto a copy of the"
        " weights, the other heads unchanged",
    )
    grafting.add_argument("--label", required=True, help="the head retrained (e.g. self_harm)")
    grafting.add_argument("--out", required=True, help="weights file written (a copy)")
    grafting.add_argument("--base", help="weights grafted onto (default: the committed ones)")
    grafting.add_argument("--oof", help="write the head's out-of-fold probabilities (JSON)")
    grafting.add_argument("--data", help="where proofreading-fr lies (default: VIGIE_EVAL_DATA)")
    sub.add_parser("split", help="choose the validation part of each dev set (once)")
    score = sub.add_parser("score", help="print the probabilities and top words of texts")
    score.add_argument("texts", nargs="+")
    score.add_argument("--lang", default="fr")
    args = parser.parse_args(argv)
    if args.command == "train":
        from pathlib import Path

        from .runtime import MODEL_PATH
        from .sources import LABELS
        from .train import train

        c = dict.fromkeys(LABELS, args.C) if args.C else None
        train(
            Path(args.out) if args.out else MODEL_PATH,
            c=c,
            oof_out=Path(args.oof) if args.oof else None,
        )
    elif args.command == "train-mlp":
        from pathlib import Path

        from .mlp import train_mlp
        from .runtime import MODEL_PATH

        kw = {k: getattr(args, k) for k in ("hidden", "epochs") if getattr(args, k)}
        train_mlp(
            Path(args.out) if args.out else MODEL_PATH,
            oof_out=Path(args.oof) if args.oof else None,
            **kw,
        )
    elif args.command == "add-group-hate":
        from pathlib import Path

        from .group_hate import add_group_hate
        from .runtime import MODEL_PATH

        if Path(args.out).resolve() == MODEL_PATH.resolve():
            parser.error("--out: a copy of the weights, not the committed file")
        add_group_hate(Path(args.out), oof_out=Path(args.oof) if args.oof else None)
    elif args.command == "graft-head":
        from pathlib import Path

        from .data import EVAL_DATA
        from .graft import train_head
        from .runtime import MODEL_PATH

        if Path(args.out).resolve() == MODEL_PATH.resolve():
            parser.error("--out: a copy of the weights, not the committed file")
        train_head(
            Path(args.base) if args.base else MODEL_PATH,
            Path(args.out),
            args.label,
            Path(args.data) if args.data else EVAL_DATA,
            oof_out=Path(args.oof) if args.oof else None,
        )
    elif args.command == "split":
        from .data import write_split

        print(write_split())
    else:
        from .preprocess import prepare
        from .runtime import get_scorer

        scorer = get_scorer()
        for text in args.texts:
            s = scorer.score(prepare(text, args.lang))
            top = {k: [c.word for c in s.top_words(k)] for k, v in s.probs.items() if v >= 0.5}
            print(json.dumps({"text": text, "probs": s.probs, "top": top}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
