"""Validation issues and the single exception a malformed playbook raises.

An issue carries its English message (for the CLI and logs) and, for the common problems, a
`code` with `params` so that a user interface can say it in its own language; `path` is where
the issue sits in the document ("scenarios", 3, "severity"), for forms that show it by a field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class ValidationIssue:
    """One problem found in a playbook, located at a 1-based line and column."""

    source: str
    line: int
    column: int
    message: str
    code: str = ""
    params: dict[str, Any] = field(default_factory=dict, compare=False)
    path: tuple[str | int, ...] = field(default=(), compare=False)

    def __str__(self) -> str:
        return f"{self.source}:{self.line}:{self.column}: {self.message}"


class CodedValueError(ValueError):
    """A ValueError raised inside the schema that also names its issue code and params."""

    def __init__(self, message: str, code: str, **params: Any) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


class PlaybookError(Exception):
    """Raised when a playbook cannot be loaded; `.errors` lists every issue found."""

    def __init__(self, errors: list[ValidationIssue]) -> None:
        self.errors = sorted(errors, key=lambda e: (e.source, e.line, e.column))
        super().__init__("\n".join(str(e) for e in self.errors))
