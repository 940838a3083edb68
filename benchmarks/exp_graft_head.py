"""Wave 63: a grafted head on the study sets — committed, candidate in sample, candidate writer-out.

The study sets (`data.STUDY_PATHS`: probes 1–30 and hunts 42–61; probe 31 is never listed)
decided by the shipped playbooks five times: with the committed weights; with the candidate's
(in sample: it read every study post); with the candidate's grafted label held at its writer-out
probability (`graft-head --oof`: a model that read none of the post's writer; the other labels
are the candidate's, i.e. the committed heads); and, as controls, with the label held at the
candidate's own in-sample probability or at the committed one (holding one number for the whole
text also holds it for the sentence reads of wave 48: writer-out is read against these). Also
the scorer alone on hunts59 + 61 at the 0.5 bound of `detresse_modele` (wave 62's measure).
Rules were written while reading these sets: only the graft's part is out of sample here.

    python benchmarks/exp_graft_head.py --model /tmp/w63/candidate_i.npz --oof /tmp/w63/oof_i.json
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
from playbooks.normalize import normalize
from playbooks.scorer import runtime
from playbooks.scorer.data import STUDY_PATHS
from playbooks.scorer.held import HeldScorer

HARMLESS = ("benign", "counter", "trash", "hyperbole")
# Each measure: the kinds it counts and the test a decided rank passes to count.
MEASURES = {
    "suicidal S4": (("suicidal",), lambda r: r == 4),
    "threats S4": (("threat",), lambda r: r == 4),
    "hostile S3+": (("insult", "hate"), lambda r: r >= 3),
    "false alarms S3+": (("counter", "trash", "benign"), lambda r: r >= 3),
    "hyperbole S4": (("hyperbole",), lambda r: r == 4),
    "harmless S4": (HARMLESS, lambda r: r == 4),
}
ARMS = ("committed", "in sample", "writer-out")
# Holding a label at one number also holds it for the sentence reads (wave 48): the control arm
# holds the candidate's own whole-text probability, so writer-out is read against it.
DECIDED = (*ARMS, "in sample held", "committed held")


def group_of(stem: str) -> str:
    """Probes in two bands (1–15 trained on by the committed weights, 16–30 not); each hunt."""
    if stem.startswith("probe"):
        n = stem.removeprefix("probe").removesuffix("_fr") or "1"
        return "probes 1-15" if int(n) <= 15 else "probes 16-30"
    return stem.removesuffix("_fr")


def decide_all(
    base: Path, model: Path, oof: dict[str, float], label: str
) -> dict[str, Counter[str]]:
    """Counts per group and arm of every measure."""
    committed = runtime.Scorer(base)
    candidate = runtime.Scorer(model)
    held = HeldScorer(candidate)
    books: dict[str, Playbook] = {}
    counts: dict[str, Counter[str]] = {}
    for path in STUDY_PATHS:
        c = counts.setdefault(group_of(path.stem), Counter())
        for row in load_rows(path):
            book = books.get(row["brand"])
            if book is None:
                book = books[row["brand"]] = load_playbook_file(shipped_playbook_path(row["brand"]))
            mention = MentionInput(row["text"], lang=row.get("lang", "fr"))
            ranks = []
            for arm in DECIDED:
                if arm == "committed":
                    runtime._SCORER = committed
                elif arm == "in sample":
                    runtime._SCORER = candidate
                elif arm == "writer-out":
                    p = oof.get(f"{path.stem}:{row['id']}")
                    held.held = {} if p is None else {label: p}
                    runtime._SCORER = held  # type: ignore[assignment]
                else:
                    source = candidate if arm == "in sample held" else committed
                    held.held = {label: source.score(normalize(row["text"]).text).probs[label]}
                    runtime._SCORER = held  # type: ignore[assignment]
                ranks.append(SEVERITIES.index(book.decide(mention, now=NOW).severity))
            for name, (kinds, test) in MEASURES.items():
                if row["kind"] in kinds:
                    c[f"{name} n"] += 1
                    for arm, rank in zip(DECIDED, ranks, strict=True):
                        c[f"{name} {arm}"] += test(rank)
    return counts


def scorer_alone(
    base: Path, model: Path, oof: dict[str, float], label: str, bound: float = 0.5
) -> None:
    """Hunts59 + 61: suicidal statements and harmless posts at or above the bound — committed
    weights (which read neither hunt), candidate in sample, candidate writer-out."""
    scorers = (runtime.Scorer(base), runtime.Scorer(model))
    for stems in (("hunts59_fr", "hunts61_fr"), ("hunts59_fr",), ("hunts61_fr",)):
        n: Counter[str] = Counter()
        for path in STUDY_PATHS:
            if path.stem not in stems:
                continue
            for row in load_rows(path):
                side = "pos" if row["kind"] == "suicidal" else "neg"
                if side == "neg" and row["kind"] not in HARMLESS:
                    continue
                text = normalize(row["text"]).text
                probs = [sc.score(text).probs[label] for sc in scorers]
                probs.append(oof.get(f"{path.stem}:{row['id']}", -1.0))
                n[side] += 1
                for arm, p in zip(ARMS, probs, strict=True):
                    n[f"{side} {arm}"] += p >= bound
        cells = "; ".join(
            f"{arm} {n[f'pos {arm}']}/{n['pos']} ({n[f'pos {arm}'] / n['pos']:.1%}) "
            f"FA {n[f'neg {arm}']}/{n['neg']} ({n[f'neg {arm}'] / n['neg']:.1%})"
            for arm in ARMS
        )
        print(f"{'+'.join(stems):22} {label} >= {bound}: {cells}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--oof", type=Path, required=True)
    parser.add_argument("--label", default="self_harm")
    parser.add_argument(
        "--base", type=Path, default=runtime.MODEL_PATH, help="the committed weights (a copy)"
    )
    args = parser.parse_args(argv)
    oof = json.loads(args.oof.read_text(encoding="utf-8"))[args.label]
    scorer_alone(args.base, args.model, oof, args.label)
    counts = decide_all(args.base, args.model, oof, args.label)
    total: Counter[str] = Counter()
    for c in counts.values():
        total.update(c)
    counts["all"] = total
    print(f"\n{'set':14} measure            n   " + " / ".join(DECIDED))
    for group, c in counts.items():
        for name in MEASURES:
            n = c[f"{name} n"]
            if n:
                cells = " / ".join(f"{c[f'{name} {arm}']}" for arm in DECIDED)
                print(f"{group:14} {name:18} {n:5d}  {cells}")


if __name__ == "__main__":
    main()
