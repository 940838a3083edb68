"""Plain data types exchanged with the engine: mention in, decision out."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
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


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why a decision was taken: one rule that fired and the words it saw."""

    rule: str
    kind: str
    explanation: str
    terms: tuple[str, ...] = ()
    spans: tuple[tuple[int, int], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable form (spans index the original text)."""
        d = asdict(self)
        d["terms"] = list(self.terms)
        d["spans"] = [list(s) for s in self.spans]
        return d


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
