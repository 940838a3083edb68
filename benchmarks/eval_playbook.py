"""Measure the shipped playbooks on labelled data.

Run: .venv/bin/python benchmarks/eval_playbook.py [--playbook demo-rail] [--data DIR]
                                                   [--streams DIR] [--skip-third-party]
1. The labelled demo streams (connectors/demo_stream/demo-*.jsonl, each line carries a
   `label` {category, severity}): severity agreement per brand and per category, and the
   severity confusion matrix; each stream is decided by its own brand's playbook.
2. Third-party posts (/work/shared/eval-data): per dataset and label, the share of posts the
   playbook sends to S3 or S4 (recall for hostile labels, false-alarm rate for benign ones).
   Texts are read, never copied or printed.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path

from playbooks import MentionInput, load_playbook_file, shipped_playbook_path
from playbooks.evaluation import mention_from_dict
from playbooks.model import SEVERITIES

STREAMS_DIR = Path(__file__).parents[1] / "connectors" / "demo_stream"

DATASETS = {  # folder: (language, benign labels)
    "mlma-fr": ("fr", {"normal"}),
    "mhc-fr": ("fr", {"non-hateful"}),
    "davidson-en": ("en", {"neither"}),
}


def demo_stream_agreement(streams: Path, now: datetime) -> None:
    """Print how often each shipped playbook agrees with its demo stream's severity labels."""
    print("demo streams: each line decided by its brand's playbook, against its `label`")
    total = agree = 0
    confusion: Counter[tuple[str, str]] = Counter()
    for slug in ("demo-rail", "demo-shop"):
        path = streams / f"{slug}.jsonl"
        if not path.is_file():
            print(f"  {slug}: not found")
            continue
        pb = load_playbook_file(shipped_playbook_path(slug))
        per_category: dict[str, Counter[str]] = defaultdict(Counter)
        for line in path.open(encoding="utf-8"):
            row = json.loads(line)
            row.pop("posted_at", None)  # age must not change the severity
            expected = row["label"]["severity"]
            got = pb.decide(mention_from_dict(row), now=now).severity
            confusion[(expected, got)] += 1
            per_category[row["label"]["category"]]["n"] += 1
            per_category[row["label"]["category"]]["ok"] += got == expected
        n = sum(c["n"] for c in per_category.values())
        ok = sum(c["ok"] for c in per_category.values())
        total, agree = total + n, agree + ok
        print(f"  {slug} v{pb.version}: {ok}/{n} = {ok / n:.1%} same severity")
        for cat, c in sorted(per_category.items()):
            print(f"    {cat:18} {c['n']:4d}  {c['ok'] / c['n']:6.1%}")
    if total:
        print(f"  both: {agree}/{total} = {agree / total:.1%}")
        print("  confusion (rows: label, columns: decided): " + " ".join(SEVERITIES))
        for exp in SEVERITIES:
            print(f"    {exp}  " + " ".join(f"{confusion[(exp, g)]:3d}" for g in SEVERITIES))


def main() -> None:
    """Print the demo-stream agreement, then per-label rates for each third-party dataset."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--playbook", default="demo-rail")
    parser.add_argument("--data", default="/work/shared/eval-data")
    parser.add_argument("--streams", default=str(STREAMS_DIR))
    parser.add_argument("--skip-third-party", action="store_true")
    args = parser.parse_args()
    now = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
    demo_stream_agreement(Path(args.streams), now)
    if args.skip_third_party:
        return
    pb = load_playbook_file(shipped_playbook_path(args.playbook))
    print()
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
