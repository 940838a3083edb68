"""A playbook's scenarios and rules, compiled: what the engine tests and the evidence names."""

from __future__ import annotations

from dataclasses import dataclass, field

from .conditions import Condition


@dataclass(slots=True)
class CompiledScenario:
    """A scenario ready to test."""

    id: str
    label: str
    severity: str
    rank: int
    categories: list[str]
    replies: list[str]
    action: str | None
    approver: str | None
    when: Condition | None
    unless: Condition | None
    # Severities this scenario silences when it matches (spam that mentions a delay is spam).
    overrides: frozenset[str] = frozenset()
    # Scopes (quoted, negated, reported) its words may not all lie in (playbooks.scope).
    unless_scope: frozenset[str] = frozenset()
    # Its evidence lines' rule and heading, written once (triage explains every decision).
    evidence_rule: str = field(init=False, default="")
    evidence_heading: str = field(init=False, default="")

    def __post_init__(self) -> None:
        self.evidence_rule = f"scenario:{self.id}"
        self.evidence_heading = f"Scénario « {self.label} » ({self.severity})"


@dataclass(slots=True)
class CompiledRule:
    """A delegation rule (or a priority boost) ready to test."""

    id: str
    when: Condition | None
    action: str = ""
    approver: str | None = None
    note: str | None = None
    add: int = 0
