"""Precision of each BLOCKING rule, with a conservative bound (issue 19: a blocking rule ≥ 95 %).

Run: PYTHONPATH=. .venv/bin/python benchmarks/bench_blocking_precision.py [--blind]
     [--rtplx] [--all]

Counted per rule group (a Grammalecte rule without its branch and action, e.g. `gn_quel_1m`;
our rules and the spelling verdict by name), blocking findings only:
- hits: annotated errors a blocking finding overlaps (tuning part of the development set,
  project sets fr_errors / fr_chat_errors / fr_written_errors), plus blocking findings on a
  tuning clean sentence read as an unannotated mistake (benchmarks/proofread_tuning_review.json);
- false blocks: clean sentences blocked by the group (tuning clean sentences not read as a
  mistake on that span; the project's clean sets, written as correct French).
The blind sets are held out: `--blind` prints their counts apart and they never enter the
decision. `--rtplx` prints outside web text blocked per group (read for regressions only:
web text holds real slips). The validation part is never run here.

Decision printed for each group with a false block: keep blocking only when the Wilson lower
bound (z = 1.645, one-sided 95 %) of hits / (hits + false blocks) is ≥ 0.80; a rule with a
false block and few hits cannot show 95 % precision and is advice.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.bench_proofread import _overlap, find_data, load_review  # noqa: E402
from benchmarks.proofread_parts import load_parts  # noqa: E402
from canned_replies.evaluation import (  # noqa: E402
    BLIND_CORRECT_FILE,
    BLIND_ERRORS_FILE,
    CHAT_CORRECT_FILE,
    CHAT_ERRORS_FILE,
    CORRECT_FILE,
    ERRORS_FILE,
    EVAL_DICTIONARY,
    WRITTEN_CORRECT_FILE,
    WRITTEN_ERRORS_FILE,
    load_jsonl,
)
from canned_replies.findings import Finding  # noqa: E402
from canned_replies.proofreading import Proofreader  # noqa: E402

_GROUP = re.compile(r"^grammalecte\.\w+\.(?:g\w?\d+__)?(.*?)(?:__b\d+)?(?:_a\d+_\d+)?$")
KEEP_BOUND = 0.80
Z = 1.645


def group(rule: str) -> str:
    """A rule's group: Grammalecte's rule name without branch and action, or our rule."""
    if rule.startswith("grammalecte.spelling") or not rule.startswith("grammalecte."):
        return rule
    match = _GROUP.match(rule)
    return "gl." + (match.group(1) if match else rule)


def wilson_lower(hits: int, total: int, z: float = Z) -> float:
    """Wilson score interval's lower bound of a proportion."""
    if total == 0:
        return 0.0
    p = hits / total
    centre = p + z * z / (2 * total)
    margin = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total))
    return (centre - margin) / (1 + z * z / total)


Counts = dict[str, list[int]]  # group → [hits, false blocks]


def _blocking(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.blocking]


def count_errors(p: Proofreader, rows: list[tuple[str, list[tuple[int, int]]]], c: Counts) -> None:
    for text, spans in rows:
        findings = _blocking(p.check(text))
        for start, end in spans:
            for name in {group(f.rule) for f in findings if _overlap(f, start, end)}:
                c[name][0] += 1


def count_clean(
    p: Proofreader, rows: list[tuple[str, list[list[int]]]], c: Counts, hits: Counts | None = None
) -> None:
    """Clean sentences: a blocking finding on a span read as a mistake is a hit (in `hits`),
    any other a false block (once per sentence and group)."""
    for text, read in rows:
        false: set[str] = set()
        real: set[str] = set()
        for f in _blocking(p.check(text)):
            (real if any(_overlap(f, s, e) for s, e in read) else false).add(group(f.rule))
        for name in false:
            c[name][1] += 1
        for name in real:
            (hits if hits is not None else c)[name][0] += 1


def own_errors(path: Path) -> list[tuple[str, list[tuple[int, int]]]]:
    return [(r["text"], [(e["start"], e["end"]) for e in r["errors"]]) for r in load_jsonl(path)]


def own_clean(path: Path) -> list[tuple[str, list[list[int]]]]:
    return [(r["text"], []) for r in load_jsonl(path)]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--blind", action="store_true", help="held-out blind sets, apart")
    parser.add_argument("--rtplx", action="store_true", help="outside web text, apart")
    parser.add_argument("--all", action="store_true", help="also groups with no false block")
    args = parser.parse_args()
    p = Proofreader("fr", EVAL_DICTIONARY)
    tuning: Counts = defaultdict(lambda: [0, 0])
    own: Counts = defaultdict(lambda: [0, 0])
    data = find_data()
    if data is not None:
        rows = load_parts(data, ("tuning",))["tuning"]
        review = load_review()
        errors = [
            (r["text"], [(e["start"], e["end"]) for e in r["edits"]]) for r in rows if r["edits"]
        ]
        clean = [
            (r["text"], review.get(r["source_id"], {}).get("mistake", []))
            for r in rows
            if not r["edits"]
        ]
        count_errors(p, errors, tuning)
        count_clean(p, clean, tuning)
    for errors_file, clean_file in (
        (ERRORS_FILE, CORRECT_FILE),
        (CHAT_ERRORS_FILE, CHAT_CORRECT_FILE),
        (WRITTEN_ERRORS_FILE, WRITTEN_CORRECT_FILE),
    ):
        count_errors(p, own_errors(errors_file), own)
        count_clean(p, own_clean(clean_file), own)
    blind: Counts = defaultdict(lambda: [0, 0])
    if args.blind:
        count_errors(p, own_errors(BLIND_ERRORS_FILE), blind)
        count_clean(p, own_clean(BLIND_CORRECT_FILE), blind)
    outside: Counts = defaultdict(lambda: [0, 0])
    if args.rtplx and data is not None:
        path = data.parents[2] / "train-data/rtplx-fr/train.jsonl"
        texts = [json.loads(line)["text"] for line in path.open(encoding="utf-8")]
        count_clean(p, [(t, []) for t in texts], outside)
    names = sorted(
        set(tuning) | set(own),
        key=lambda n: (-(tuning[n][1] + own[n][1]), -(tuning[n][0] + own[n][0]), n),
    )
    print(
        f"{'group':44} {'tuning h/f':>10} {'own h/f':>8} {'all h/f':>8} {'prec':>6} "
        f"{'wilson':>6}  decision"
        + ("   blind h/f" if args.blind else "")
        + ("   rtplx blocked" if args.rtplx else "")
    )
    for name in names:
        h, f = tuning[name][0] + own[name][0], tuning[name][1] + own[name][1]
        if f == 0 and not args.all:
            continue
        bound = wilson_lower(h, h + f)
        decision = "block" if f == 0 or bound >= KEEP_BOUND else "ADVICE"
        line = (
            f"{name[:44]:44} {tuning[name][0]:>5}/{tuning[name][1]:<4} {own[name][0]:>4}/"
            f"{own[name][1]:<3} {h:>4}/{f:<3} {h / (h + f):>6.1%} {bound:>6.2f}  {decision}"
        )
        if args.blind:
            line += f"   {blind[name][0]:>4}/{blind[name][1]:<3}"
        if args.rtplx:
            line += f"   {outside[name][1]:>5}"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
