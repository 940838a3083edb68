"""Measure a shipped playbook on third-party labelled posts (/work/shared/eval-data).

Run: .venv/bin/python benchmarks/eval_playbook.py [--playbook demo-rail] [--data DIR]
Prints, per dataset and label, the share of posts the playbook sends to S3 or S4 (recall for
hostile labels, false-alarm rate for benign ones). Texts are read, never copied or printed.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path

from playbooks import MentionInput, load_playbook_file, shipped_playbook_path

DATASETS = {  # folder: (language, benign labels)
    "mlma-fr": ("fr", {"normal"}),
    "mhc-fr": ("fr", {"non-hateful"}),
    "davidson-en": ("en", {"neither"}),
}


def main() -> None:
    """Print per-label rates for each dataset."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--playbook", default="demo-rail")
    parser.add_argument("--data", default="/work/shared/eval-data")
    args = parser.parse_args()
    pb = load_playbook_file(shipped_playbook_path(args.playbook))
    now = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
    print(f"playbook {args.playbook} version {pb.version}; a post is flagged when decided S3 or S4")
    for folder, (lang, benign) in DATASETS.items():
        path = Path(args.data) / folder / "dev.jsonl"
        if not path.is_file():
            print(f"\n{folder}: not found")
            continue
        total: Counter[str] = Counter()
        flagged: Counter[str] = Counter()
        severities: dict[str, Counter[str]] = defaultdict(Counter)
        for line in path.open(encoding="utf-8"):
            row = json.loads(line)
            d = pb.decide(MentionInput(row["text"], lang=lang), now=now)
            hit = d.severity in ("S3", "S4")
            for label in row["labels"]:
                total[label] += 1
                flagged[label] += hit
                severities[label][d.severity] += 1
        print(f"\n{folder} ({lang}) — benign labels: {', '.join(sorted(benign))}")
        print(f"  {'label':28} {'n':>5}  {'rate':>6}  meaning   S0/S1/S2/S3/S4")
        for label in sorted(total, key=lambda k: (k.startswith("func:"), k)):
            meaning = "false alarm" if label in benign or label.endswith("_nh") else "recall"
            dist = "/".join(str(severities[label][s]) for s in ("S0", "S1", "S2", "S3", "S4"))
            rate = flagged[label] / total[label]
            print(f"  {label:28} {total[label]:5d}  {rate:6.1%}  {meaning:11} {dist}")


if __name__ == "__main__":
    main()
