"""Clean formal French blocked: the sentences of benchmarks/formal_fr_clean.txt (issue 19, step 42).

Run: .venv/bin/python benchmarks/bench_formal_register.py [--show]

Every line is correct French written for step 42 in the register of translated news and
encyclopaedia articles (names, titles, organisations, figures, appositions), so every
blocking finding is a false block. Prints the sentences blocked and, with --show, each
blocking finding (rule, words, first suggestions, sentence). In-sample: the rules fixed at
step 42 were read off these sentences.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from canned_replies.proofreading import Proofreader

CLEAN = Path(__file__).resolve().parent / "formal_fr_clean.txt"


def sentences(path: Path = CLEAN) -> list[str]:
    """The file's sentences, comments and blank lines left out."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="print each blocking finding")
    args = parser.parse_args()
    proofreader = Proofreader()
    texts = sentences()
    blocked = 0
    rules: Counter[str] = Counter()
    for text in texts:
        blocking = [f for f in proofreader.check(text) if f.blocking]
        if not blocking:
            continue
        blocked += 1
        for finding in blocking:
            rules[finding.rule] += 1
            if args.show:
                word = text[finding.start : finding.end]
                print(f"{finding.rule}\t{word!r}\t{finding.suggestions[:3]}\t{text}")
    print(f"formal clean sentences blocked: {blocked}/{len(texts)} = {blocked / len(texts):.1%}")
    for rule, count in rules.most_common():
        print(f"  {rule}: {count}")


if __name__ == "__main__":
    main()
