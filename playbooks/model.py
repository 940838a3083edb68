"""Plain data types exchanged with the engine: mention in, decision out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

SEVERITIES: tuple[str, ...] = ("S0", "S1", "S2", "S3", "S4")
ACTIONS: tuple[str, ...] = (
    "ignore",
    "hide",
    "reply",
    "reply_with_approval",
    "escalate",
    "escalate_urgent",
)
APPROVERS: tuple[str, ...] = ("lead", "brand")

Severity = Literal["S0", "S1", "S2", "S3", "S4"]


def severity_rank(severity: str) -> int:
    """Position of a severity in S0..S4 (0 for S0)."""
    return SEVERITIES.index(severity)


@dataclass(frozen=True, slots=True)
class AuthorProfile:
    """What the brand knows about the author of a mention."""

    tier: str | None = None
    vip: bool = False
    followers: int = 0
    verified: bool = False


@dataclass(frozen=True, slots=True)
class MentionInput:
    """A mention to classify; `posted_at` is timezone-aware UTC."""

    text: str
    lang: str | None = None
    channel: str = "x"
    author: AuthorProfile = field(default_factory=AuthorProfile)
    posted_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class BrandContext:
    """Brand settings that win over the playbook: timezone, opening hours, SLAs."""

    timezone: str = "Europe/Paris"
    business_hours: dict[str, list[str]] | None = None
    sla_minutes: dict[str, int] | None = None


class Evidence:
    """Why a decision was taken: one rule that fired and the words it saw.

    `spans` index the original text. They may be given already mapped, or computed on first
    access from spans of the normalised text (most decisions are never shown, so the mapping
    back is only paid for when someone looks).
    """

    __slots__ = ("_mapper", "_raw_spans", "_spans", "explanation", "kind", "rule", "terms")

    def __init__(
        self,
        rule: str,
        kind: str,
        explanation: str,
        terms: tuple[str, ...] = (),
        spans: tuple[tuple[int, int], ...] = (),
        *,
        mapper: Callable[[int, int], tuple[int, int]] | None = None,
        raw_spans: tuple[tuple[int, int], ...] = (),
    ) -> None:
        self.rule = rule
        self.kind = kind
        self.explanation = explanation
        self.terms = tuple(terms)
        self._spans: tuple[tuple[int, int], ...] | None = tuple(spans) if mapper is None else None
        self._mapper = mapper
        self._raw_spans = raw_spans

    @property
    def spans(self) -> tuple[tuple[int, int], ...]:
        """[start, end) offsets of the matched words in the original text."""
        if self._spans is None:
            assert self._mapper is not None
            self._spans = tuple(sorted({self._mapper(a, b) for a, b in self._raw_spans}))
        return self._spans

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Evidence):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    def __hash__(self) -> int:
        return hash((self.rule, self.kind, self.explanation, self.terms))

    def __repr__(self) -> str:
        return f"Evidence({self.rule!r}, {self.kind!r}, {self.explanation!r}, terms={self.terms!r})"

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable form (spans index the original text)."""
        return {
            "rule": self.rule,
            "kind": self.kind,
            "explanation": self.explanation,
            "terms": list(self.terms),
            "spans": [list(s) for s in self.spans],
        }


@dataclass(slots=True)
class Decision:
    """The engine's verdict for one mention, with its evidence."""

    severity: str
    scenarios: list[str]
    categories: list[str]
    action: str
    approver: str | None
    priority: int
    due_at: datetime | None
    suggested_replies: list[str]
    language: str
    evidence: list[Evidence]
    playbook_version: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable form, `due_at` in ISO 8601."""
        return {
            "severity": self.severity,
            "scenarios": list(self.scenarios),
            "categories": list(self.categories),
            "action": self.action,
            "approver": self.approver,
            "priority": self.priority,
            "due_at": self.due_at.isoformat() if self.due_at else None,
            "suggested_replies": list(self.suggested_replies),
            "language": self.language,
            "evidence": [e.to_dict() for e in self.evidence],
            "playbook_version": self.playbook_version,
        }
