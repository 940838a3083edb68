"""Validation issues and the single exception a malformed playbook raises."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ValidationIssue:
    """One problem found in a playbook, located at a 1-based line and column."""

    source: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}:{self.column}: {self.message}"


class PlaybookError(Exception):
    """Raised when a playbook cannot be loaded; `.errors` lists every issue found."""

    def __init__(self, errors: list[ValidationIssue]) -> None:
        self.errors = sorted(errors, key=lambda e: (e.source, e.line, e.column))
        super().__init__("\n".join(str(e) for e in self.errors))
