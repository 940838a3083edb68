"""Benchmark English proofreading: clean text blocked, and one injected keystroke slip caught.

Tuning: ../shared/train-data/rtplx-en (999 web sentences); validation: 800 tweets labelled
`neither` of ../shared/eval-data/davidson-en (slang-heavy). Third-party text, read in place.
Each text is checked as it is (blocked = a blocking finding), then once with one keystroke slip
(a neighbouring key, a letter dropped, two letters swapped, a key pressed beside) in a common
word (Zipf ≥ 4, 4+ letters) that leaves a rare string (Zipf < 3); the slip depends only on the
text's position, so two versions of the checker meet the same slips. Caught: a blocking finding
on the slipped word; first right: its first suggestion is the word. CPU time per check, p95.

    .venv/bin/python benchmarks/bench_proofread_en.py [--part tuning|validation|both] [--show]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from canned_replies.english import EnglishChecker  # noqa: E402
from canned_replies.evaluation import percentile  # noqa: E402
from canned_replies.findings import Finding  # noqa: E402
from canned_replies.unknown_words import zipf  # noqa: E402

PARTS = {
    "tuning": "shared/train-data/rtplx-en/train.jsonl",
    "validation": "shared/eval-data/davidson-en/dev.jsonl",
}
_KEYBOARD = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]
_POSITION = {ch: (r, i) for r, row in enumerate(_KEYBOARD) for i, ch in enumerate(row)}
_COMMON = re.compile(r"(?<![\w@#'’])[a-z]{4,}(?![\w'’])")


def find(relative: str) -> Path | None:
    """A shared data file, found from the checkout or a nested worktree."""
    for parent in ROOT.parents:
        if (parent / relative).exists():
            return parent / relative
    return None


def texts_of(part: str, path: Path) -> list[str]:
    rows = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    if part == "validation":
        return [r["text"] for r in rows if "neither" in r.get("labels", [])][:800]
    return [r["text"] for r in rows]


def _neighbours(ch: str) -> list[str]:
    if ch not in _POSITION:
        return [ch]
    row, col = _POSITION[ch]
    return [
        _KEYBOARD[r][c]
        for r in (row - 1, row, row + 1)
        if 0 <= r < 3
        for c in (col - 1, col, col + 1)
        if 0 <= c < len(_KEYBOARD[r]) and _KEYBOARD[r][c] != ch
    ]


def slip(word: str, rnd: random.Random) -> str:
    """One keystroke slip inside a word (never its first or last letter alone)."""
    kind, i = rnd.randrange(4), rnd.randrange(1, len(word) - 1)
    if kind == 0:
        return word[:i] + rnd.choice(_neighbours(word[i])) + word[i + 1 :]
    if kind == 1:
        return word[:i] + word[i + 1 :]
    if kind == 2:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + rnd.choice(_neighbours(word[i])) + word[i:]


def run(part: str, texts: list[str], checker: EnglishChecker, show: bool) -> None:
    blocked, caught, first, total = 0, 0, 0, 0
    words: Counter[str] = Counter()
    cpu: list[float] = []

    def check(text: str) -> list[Finding]:
        started = time.thread_time()
        found = checker.check(text)
        cpu.append((time.thread_time() - started) * 1000)
        return found

    for i, text in enumerate(texts):
        rnd = random.Random(i)
        findings = [f for f in check(text) if f.blocking]
        blocked += bool(findings)
        words.update(text[f.start : f.end] for f in findings)
        common = [m for m in _COMMON.finditer(text) if zipf(m.group(), "en") >= 4.0]
        if not common:
            continue
        match = rnd.choice(common)
        bad = slip(match.group(), rnd)
        if bad == match.group() or zipf(bad, "en") >= 3.0:
            continue
        total += 1
        slipped = text[: match.start()] + bad + text[match.end() :]
        hits = [f for f in check(slipped) if f.blocking and f.start <= match.start() < f.end]
        if hits:
            caught += 1
            first += bool(hits[0].suggestions) and hits[0].suggestions[0].lower() == match.group()
    cpu.sort()
    print(
        f"{part:<11} clean blocked {blocked}/{len(texts)} = {100 * blocked / len(texts):.1f} %"
        f"  slips caught {caught}/{total} = {100 * caught / max(total, 1):.1f} %"
        f"  first right {first}/{caught} = {100 * first / max(caught, 1):.1f} %"
        f"  CPU p95 {percentile(cpu, 0.95):.1f} ms, max {cpu[-1]:.0f} ms"
    )
    if show:
        print("  blocked words:", ", ".join(f"{w} ×{n}" for w, n in words.most_common(60)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--part", choices=["tuning", "validation", "both"], default="both")
    parser.add_argument("--show", action="store_true", help="the words blocked in clean text")
    args = parser.parse_args()
    checker = EnglishChecker()
    for part in ["tuning", "validation"] if args.part == "both" else [args.part]:
        path = find(PARTS[part])
        if path is None:
            print(f"{part}: ../{PARTS[part]} not found: skipped")
            continue
        run(part, texts_of(part, path), checker, args.show)


if __name__ == "__main__":
    main()
