"""Measure the shipped playbooks on the project's threats and distress sentences.

Run: .venv/bin/python benchmarks/eval_threats_distress.py [--playbook demo-rail] [--show tune]

`playbooks/eval/threats_distress.jsonl` holds sentences written for Vigie (issue 13): suicidal
statements addressed to a brand and teenagers' threats (both must reach S4), everyday
hyperbole and benign look-alikes (teen banter, games, denials, reports: must not). Each row
carries its `split`, fixed before the rules were tuned: `tune` rows may be read and tuned on,
`val` rows are only ever counted. Prints the share decided S4 per kind and split, each row
decided by its brand's playbook (or by `--playbook` for every row).
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from playbooks import MentionInput, Playbook, load_playbook_file, shipped_playbook_path
from playbooks.scorer import runtime

DATA = Path(__file__).parents[1] / "playbooks" / "eval" / "threats_distress.jsonl"
NOW = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)


def load_rows(path: Path = DATA) -> list[dict[str, object]]:
    """The labelled rows of the set."""
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def main() -> None:
    """Print the S4 rate per kind and split; with `--show tune`, the tune rows decided wrong."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--playbook", help="decide every row with this playbook")
    parser.add_argument("--show", choices=["tune"], help="list the wrong tune rows")
    parser.add_argument("--model", help="weights file to measure (default: the committed one)")
    args = parser.parse_args()
    if args.model:  # a candidate model, measured before it replaces the committed one
        runtime.use_weights(args.model)
    books: dict[str, Playbook] = {}
    total: Counter[tuple[str, str]] = Counter()
    urgent: Counter[tuple[str, str]] = Counter()
    wrong = []
    for row in load_rows():
        slug = args.playbook or str(row["brand"])
        if slug not in books:
            books[slug] = load_playbook_file(shipped_playbook_path(slug))
        decision = books[slug].decide(MentionInput(str(row["text"]), lang="fr"), now=NOW)
        key = (str(row["kind"]), str(row["split"]))
        total[key] += 1
        s4 = decision.severity == "S4"
        urgent[key] += s4
        if s4 != row["urgent"] and row["split"] == args.show:
            wrong.append(f"  {decision.severity} {row['kind']:12} {row['text']}")
    print("share decided S4 (goal: suicidal and teen_threat 100%, hyperbole and benign 0%)")
    print(f"  {'kind':12} {'n tune':>6} {'tune':>7} {'n val':>6} {'val':>7}")
    for kind in ("suicidal", "teen_threat", "hyperbole", "benign"):
        cells = []
        for split in ("tune", "val"):
            n = total[(kind, split)]
            cells.append(f"{n:6d} {urgent[(kind, split)] / n:7.1%}" if n else f"{n:6d}       -")
        print(f"  {kind:12} {cells[0]} {cells[1]}")
    if wrong:
        print("wrong tune rows:")
        print("\n".join(wrong))


if __name__ == "__main__":
    main()
