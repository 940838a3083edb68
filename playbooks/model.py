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


_RANKS = {s: i for i, s in enumerate(SEVERITIES)}


def severity_rank(severity: str) -> int:
    """Position of a severity in S0..S4 (0 for S0)."""
    rank = _RANKS.get(severity)
    return SEVERITIES.index(severity) if rank is None else rank  # unknown: ValueError as ever


@dataclass(frozen=True, slots=True)
class AuthorProfile:
    """What the brand knows about the author of a mention."""

    tier: str | None = None
    vip: bool = False
    followers: int = 0
    verified: bool = False


@dataclass(frozen=True, slots=True)
class ParentMention:
    """The message a reply answers, when the platform says which (thread context).

    `severity` and `categories` are its own triage when Vigie triaged it; `from_brand` when it
    is the brand's own post or reply.
    """

    text: str
    severity: str | None = None
    categories: tuple[str, ...] = ()
    from_brand: bool = False


@dataclass(frozen=True, slots=True)
class PastMention:
    """An earlier mention by the same author (or person), as it was triaged."""

    posted_at: datetime
    severity: str
    categories: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MentionInput:
    """A mention to classify; `posted_at` is timezone-aware UTC.

    `parent`: the message it answers (thread context); `history`: the author's earlier
    mentions of the last days (the caller decides how far back; conditions count within).
    """

    text: str
    lang: str | None = None
    channel: str = "x"
    author: AuthorProfile = field(default_factory=AuthorProfile)
    posted_at: datetime | None = None
    parent: ParentMention | None = None
    history: tuple[PastMention, ...] = ()
    rating: int | None = None  # a review's stars, 1 to 5 (Google Business Profile)


@dataclass(frozen=True, slots=True)
class BrandContext:
    """Brand settings that win over the playbook: timezone, opening hours, and the answer
    targets the brand set itself (`sla_minutes`, per severity; a severity left out follows the
    playbook's `sla.minutes`, see `answer_target`)."""

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
            "spans": list(map(list, self.spans)),
        }


class Decision:
    """The engine's verdict for one mention, with its evidence.

    `evidence` may be given as a list or as a function building it: the engine passes a
    function returning the rows `to_dict` stores (``evidence.explain``), so the explanations
    are only written when someone reads them (most decisions in a batch never are), and
    triage stores them without making an `Evidence` object per line first.
    """

    __slots__ = (
        "_evidence",
        "_evidence_factory",
        "_evidence_rows",
        "action",
        "approver",
        "categories",
        "due_at",
        "language",
        "playbook_version",
        "priority",
        "scenarios",
        "severity",
        "suggested_replies",
    )

    def __init__(
        self,
        severity: str,
        scenarios: list[str],
        categories: list[str],
        action: str,
        approver: str | None,
        priority: int,
        due_at: datetime | None,
        suggested_replies: list[str],
        language: str,
        evidence: list[Evidence] | Callable[[], list[dict[str, Any]]],
        playbook_version: str,
    ) -> None:
        self.severity = severity
        self.scenarios = scenarios
        self.categories = categories
        self.action = action
        self.approver = approver
        self.priority = priority
        self.due_at = due_at
        self.suggested_replies = suggested_replies
        self.language = language
        self.playbook_version = playbook_version
        self._evidence_rows: list[dict[str, Any]] | None = None
        if callable(evidence):
            self._evidence: list[Evidence] | None = None
            self._evidence_factory: Callable[[], list[dict[str, Any]]] | None = evidence
        else:
            self._evidence, self._evidence_factory = list(evidence), None

    @property
    def evidence(self) -> list[Evidence]:
        """Why: the rules that fired, in evaluation order (built on first access)."""
        if self._evidence is None:
            self._evidence = [
                Evidence(
                    r["rule"],
                    r["kind"],
                    r["explanation"],
                    tuple(r["terms"]),
                    tuple((a, b) for a, b in r["spans"]),
                )
                for r in self.evidence_rows()
            ]
        return self._evidence

    @evidence.setter
    def evidence(self, value: list[Evidence]) -> None:
        self._evidence, self._evidence_factory = list(value), None

    def evidence_rows(self) -> list[dict[str, Any]]:
        """The evidence as `to_dict` gives it and the triage row stores it: one dict per line
        (rule, kind, explanation, terms, spans in the original text), built once; read-only
        (a scenario line and its only detail share their term and span lists)."""
        if self._evidence is not None:  # given, set or already read as objects: they rule
            return [e.to_dict() for e in self._evidence]
        if self._evidence_rows is None:
            assert self._evidence_factory is not None
            self._evidence_rows = self._evidence_factory()
            self._evidence_factory = None  # release the mention's working state
        return self._evidence_rows

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Decision):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it replaces

    def __repr__(self) -> str:
        return (
            f"Decision(severity={self.severity!r}, scenarios={self.scenarios!r}, "
            f"action={self.action!r}, approver={self.approver!r}, priority={self.priority!r})"
        )

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
            "evidence": list(self.evidence_rows()),
            "playbook_version": self.playbook_version,
        }
