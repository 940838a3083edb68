"""Experiment (issue 13, waves 38 and 39): which read probe posts a playbook variant moves.

The groundwork of a rule wave: decide every probe already read — the study probes the scorer
trains on (`PROBE_PATHS`, 1–15) and the probes each read once for a wave since (`READ_AFTER`,
whose writers the scorer never saw: its column is the honest one) — and the project's own set,
with the shipped playbooks and with a variant directory holding `demo-rail.yaml` and
`demo-shop.yaml`. Prints, per kind, the posts moved the right and the wrong way (as
`eval_probe.as_expected` reads them), and the own-set mentions whose severity moved; `--show`
lists them. Held-out probes (the newest, still unread) are never read: a probe joins
`READ_AFTER` only in the wave that reads it.

    python benchmarks/exp_variant_moves.py DIR [--show]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.eval_probe import NOW, as_expected, load_rows
from playbooks import MentionInput, Playbook, load_playbook_file, shipped_playbook_path
from playbooks.scorer.data import EVAL_DIR, PROBE_PATHS

OWN = EVAL_DIR / "fr_mentions.jsonl"
# Probes read once each for a wave after the scorer's last promotion (probes 16–30): rules may
# be studied on them; the scorer never read their writers.
READ_AFTER = tuple(EVAL_DIR / f"probe{n}_fr.jsonl" for n in range(16, 31))
SLUGS = ("demo-rail", "demo-shop")


def books(directory: Path | None) -> dict[str, Playbook]:
    def path(slug: str) -> Path:
        return directory / f"{slug}.yaml" if directory else shipped_playbook_path(slug)

    return {slug: load_playbook_file(path(slug)) for slug in SLUGS}


def severities(pbs: dict[str, Playbook], rows: Sequence[dict], own: bool) -> list[str]:
    """Each row's severity by its brand's playbook (own-set rows: by each playbook in turn)."""
    out: list[str] = []
    for slug, pb in pbs.items():
        picked = rows if own else [r for r in rows if r["brand"] == slug]
        mentions = [MentionInput(r["text"], lang="fr") for r in picked]
        out += [d.severity for d in pb.decide_many(mentions, now=NOW)]
    return out


def ordered(rows: Sequence[dict], own: bool) -> list[dict]:
    """The rows in the order `severities` decides them."""
    if own:
        return [r for _ in SLUGS for r in rows]
    return [r for slug in SLUGS for r in rows if r["brand"] == slug]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("variant", type=Path, help="directory with demo-rail.yaml, demo-shop.yaml")
    parser.add_argument("--show", action="store_true", help="list the posts that move")
    args = parser.parse_args(argv)
    shipped, variant = books(None), books(args.variant)
    moved: dict[str, Counter[str]] = {"training": Counter(), "writer out": Counter()}
    shown: list[str] = []
    for group, paths in (("training", PROBE_PATHS), ("writer out", READ_AFTER)):
        for path in paths:
            rows = ordered(load_rows(path), own=False)
            before = severities(shipped, rows, own=False)
            after = severities(variant, rows, own=False)
            for row, a, b in zip(rows, before, after, strict=True):
                ok_a, ok_b = as_expected(row["expect"], a), as_expected(row["expect"], b)
                if ok_a != ok_b:
                    moved[group][f"{row['kind']} {'right' if ok_b else 'wrong'}"] += 1
                    sign = "+" if ok_b else "-"
                    shown.append(f"  {sign} {path.stem} {row['kind']} {a} -> {b} | {row['text']}")
    own_rows = [json.loads(line) for line in OWN.open(encoding="utf-8") if line.strip()]
    rows = ordered(own_rows, own=True)
    own_moves = 0
    before, after = severities(shipped, own_rows, True), severities(variant, own_rows, True)
    for row, a, b in zip(rows, before, after, strict=True):
        if a != b:
            own_moves += 1
            shown.append(f"  own (labelled {row['severity']}) {a} -> {b} | {row['text']}")
    for group, counts in moved.items():
        right = sum(n for k, n in counts.items() if k.endswith("right"))
        wrong = sum(n for k, n in counts.items() if k.endswith("wrong"))
        print(
            f"{group:10} +{right} / -{wrong}  "
            + ", ".join(f"{k} {n}" for k, n in sorted(counts.items()))
        )
    print(f"own set: {own_moves} decisions moved (both playbooks)")
    if args.show and shown:
        print("\n".join(shown))


if __name__ == "__main__":
    main()
