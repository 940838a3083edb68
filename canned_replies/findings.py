"""Proofreading findings: what is wrong, where, and how to fix it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

FindingKind = Literal["grammar", "spelling"]


@dataclass(frozen=True)
class Finding:
    """One mistake: its span (Python str indices in the checked text), message and fixes."""

    start: int
    end: int
    message: str
    suggestions: list[str] = field(default_factory=list)
    rule: str = ""
    kind: FindingKind = "grammar"
    # False for advice (style, punctuation, number formatting, a word the dictionaries do not
    # know but that looks like a name or a loanword): shown, never stops a send.
    blocking: bool = True

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready form used by the CLI and the web editor."""
        return {
            "start": self.start,
            "end": self.end,
            "message": self.message,
            "suggestions": list(self.suggestions),
            "rule": self.rule,
            "kind": self.kind,
            "blocking": self.blocking,
        }

    def apply_first_suggestion(self, text: str) -> str:
        """Return the text with this finding replaced by its first suggestion (or unchanged)."""
        if not self.suggestions:
            return text
        return text[: self.start] + self.suggestions[0] + text[self.end :]


def blocking(findings: Iterable[Finding]) -> bool:
    """Tell whether these findings must stop a reply from being sent without an override.

    Only findings marked blocking (real mistakes, reported with high precision) stop a send;
    advice is shown to the writer and never blocks.
    """
    return any(f.blocking for f in findings)
