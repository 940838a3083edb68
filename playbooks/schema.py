"""The playbook document's shape, checked with pydantic (unknown keys are errors).

Condition trees (`when`, `unless`) are kept as plain data here: the condition registry
compiles and checks them, so that extensions can add kinds.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .actions import ACTIONS
from .errors import CodedValueError

SeverityName = Literal["S0", "S1", "S2", "S3", "S4"]
Approver = Literal["lead", "brand"]
ScopeName = Literal["quoted", "negated", "reported", "self", "denied", "date"]
Identifier = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.\-]*$", max_length=80)]
Minutes = Annotated[int, Field(ge=1, le=7 * 24 * 60)]


class Strict(BaseModel):
    """Base: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid")


def _check_action(value: str) -> str:
    if value not in ACTIONS:
        expected = ", ".join(ACTIONS)
        message = f"unknown action {value!r}: expected one of {expected}"
        raise CodedValueError(message, "unknown_action", action=value, expected=expected)
    return value


class LexiconSpec(Strict):
    """A named list of terms, inline and/or in files per language ("*" for every language),
    and/or in the brand's stored lexicons (kept in the console, named by `stored`)."""

    description: str | None = None
    lang: str | None = None
    terms: list[str] = []
    files: dict[str, str] = {}
    # Robust matching (French): near-misses of its words, and the forms of its one-word lemmas.
    fuzzy: bool = False
    forms: bool = False
    stored: list[Identifier] = []

    @field_validator("stored", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


class ReferenceSpec(Strict):
    """A brand's own customer-reference shape (order number "CMD-?\\d{6}"…), shown on the case."""

    kind: Identifier
    pattern: Annotated[str, Field(min_length=1, max_length=300)]
    label: str | None = None

    @field_validator("pattern")
    @classmethod
    def _usable(cls, value: str) -> str:
        from .references import check_pattern

        problem = check_pattern(value)
        if problem:
            raise ValueError(problem)
        return value


class ScenarioSpec(Strict):
    """What a mention is about, when it applies, how grave it is and what to suggest."""

    id: Identifier
    label: str
    when: Any
    unless: Any = None
    # The scenario's words must not all lie in these scopes (playbooks.scope).
    unless_scope: ScopeName | list[ScopeName] | None = None
    severity: SeverityName
    categories: list[Identifier] = []
    replies: list[str] = []
    action: str | None = None
    approver: Approver | None = None
    overrides: list[SeverityName] = []
    note: str | None = None

    _action = field_validator("action")(lambda cls, v: v if v is None else _check_action(v))


class SeverityPolicy(Strict):
    """Default action (and approver) for one severity."""

    action: str
    approver: Approver | None = None
    label: str | None = None

    _action = field_validator("action")(lambda cls, v: _check_action(v))


class DelegationRule(Strict):
    """When `when` holds, this action wins (first matching rule only)."""

    id: Identifier
    when: Any
    action: str
    approver: Approver | None = None
    note: str | None = None

    _action = field_validator("action")(lambda cls, v: _check_action(v))


Seniority = Literal["junior", "senior", "rapid"]


class RouteRule(Strict):
    """Who may be given a case (routing): the first rule matching its scenario and severity.

    Empty `scenarios` / `severities` match any. The case then needs a CM with `skill` (when
    set) and one of the `seniority` levels (when set); "rapid" is the rapid intervention team.
    """

    id: Identifier
    scenarios: list[Identifier] = []
    severities: list[SeverityName] = []
    skill: Identifier | None = None
    seniority: list[Seniority] = []
    note: str | None = None

    @field_validator("seniority", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    def matches(self, scenario: str | None, severity: str) -> bool:
        return (not self.scenarios or scenario in self.scenarios) and (
            not self.severities or severity in self.severities
        )


class Influence(Strict):
    """Points per tenfold of followers (10, 100, 1,000 ...), capped."""

    per_decade: Annotated[float, Field(ge=0)] = 30
    max: Annotated[int, Field(ge=0)] = 150


class Age(Strict):
    """Points per minute waited since posting, capped."""

    per_minute: Annotated[float, Field(ge=0)] = 1
    max: Annotated[int, Field(ge=0)] = 150


class Boost(Strict):
    """Extra points when a condition holds (may read the decision)."""

    id: Identifier
    when: Any
    add: Annotated[int, Field(ge=-1000, le=1000)]


def _default_severity_weights() -> dict[SeverityName, int]:
    return {"S0": 0, "S1": 150, "S2": 250, "S3": 400, "S4": 700}


def _default_tiers() -> dict[str, int]:
    return {"platine": 120, "or": 90, "argent": 60, "cuivre": 30, "fer blanc": 10}


class PriorityWeights(Strict):
    """How the 0–1000 priority score is built (higher first)."""

    severity: dict[SeverityName, int] = Field(default_factory=_default_severity_weights)
    channel: dict[str, int] = {}
    tier: dict[str, int] = Field(default_factory=_default_tiers)
    vip: int = 150
    verified: int = 30
    influence: Influence = Influence()
    age: Age = Age()
    boosts: list[Boost] = []


def _default_sla() -> dict[SeverityName, int]:
    # Seeds: 66% expect an answer within 1 hour; ESCDA allows 4 hours at most.
    return {"S1": 120, "S2": 60, "S3": 60, "S4": 15}


class SlaSpec(Strict):
    """Answer targets per severity, in minutes, and how the clock runs."""

    minutes: dict[SeverityName, Minutes] = Field(default_factory=_default_sla)
    max_minutes: Minutes = 240
    business_hours_only: bool = False


class Defaults(Strict):
    """What applies when no scenario matches."""

    severity: SeverityName = "S1"
    categories: list[Identifier] = []
    replies: list[str] = []


class PlaybookSpec(Strict):
    """A whole playbook document."""

    format: Literal[1]
    brand: str | None = None
    name: str | None = None
    description: str | None = None
    default_language: str = "fr"
    languages: list[str] | None = None
    timezone: str = "Europe/Paris"
    business_hours: dict[str, list[str] | list[list[str]]] | None = None
    replies_library: list[str] | None = None
    max_suggested_replies: Annotated[int, Field(ge=1, le=20)] = 3
    lexicons: dict[Identifier, LexiconSpec] = {}
    sms: dict[str, dict[str, str]] = {}
    scenarios: list[ScenarioSpec] = []
    severities: dict[SeverityName, SeverityPolicy] = {}
    delegation: list[DelegationRule] = []
    route: list[RouteRule] = []
    priority: PriorityWeights = PriorityWeights()
    sla: SlaSpec = SlaSpec()
    defaults: Defaults = Defaults()
    references: list[ReferenceSpec] = []


DEFAULT_POLICIES: dict[str, SeverityPolicy] = {
    "S0": SeverityPolicy(action="ignore"),
    "S1": SeverityPolicy(action="reply"),
    "S2": SeverityPolicy(action="reply"),
    "S3": SeverityPolicy(action="reply_with_approval", approver="lead"),
    "S4": SeverityPolicy(action="escalate_urgent", approver="brand"),
}
