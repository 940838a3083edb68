"""Command line: ``python -m canned_replies.proofread --lang fr [--jsonl] [--dictionary FILE]``.

Reads a reply on standard input (or JSON lines with --jsonl) and prints the findings; exits
with status 1 when a finding blocks (advice alone exits 0), so scripts can use it as a gate.
"""

from __future__ import annotations

import argparse
import sys
import types
from collections.abc import Iterable, Sequence
from pathlib import Path

from canned_replies.findings import Finding
from canned_replies.proofreading import Proofreader, proofread, proofread_jsonl

__all__ = ["Proofreader", "main", "proofread", "proofread_jsonl", "read_dictionary"]


def read_dictionary(path: str | Path | None) -> list[str]:
    """Read a brand dictionary file: one term per line, "#" starts a comment."""
    if path is None:
        return []
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def _print_findings(text: str, findings: list[Finding]) -> None:
    for f in findings:
        fixes = ", ".join(f.suggestions[:5]) or "—"
        severity = f.kind if f.blocking else f"{f.kind}, advice"
        print(f"{f.start}-{f.end} «{text[f.start : f.end]}» [{severity}] {f.message} → {fixes}")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the proofreading command line; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m canned_replies.proofread")
    parser.add_argument("--lang", choices=("fr", "en"), default="fr")
    parser.add_argument("--jsonl", action="store_true", help="JSON lines in, JSON lines out")
    parser.add_argument("--dictionary", help="brand dictionary file, one term per line")
    args = parser.parse_args(argv)
    dictionary = read_dictionary(args.dictionary)
    if args.jsonl:
        return 1 if proofread_jsonl(args.lang, sys.stdin, sys.stdout, dictionary) else 0
    text = sys.stdin.read()
    findings = Proofreader(args.lang, dictionary).check(text)
    _print_findings(text, findings)
    return 1 if any(f.blocking for f in findings) else 0


class _CallableModule(types.ModuleType):
    """Importing this module sets ``canned_replies.proofread`` to the module, hiding the
    function of the same name; making the module callable keeps ``proofread(text)`` working."""

    def __call__(
        self, text: str, lang: str = "fr", dictionary: Iterable[str] = ()
    ) -> list[Finding]:
        return proofread(text, lang, dictionary)


sys.modules[__name__].__class__ = _CallableModule

if __name__ == "__main__":
    sys.exit(main())
