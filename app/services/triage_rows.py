"""One triage decision as the `triage` table stores it: from a playbook's decision, or the
fallback that still brings a mention to a human when no playbook can decide it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import playbooks
from app.models import Brand, Mention, utcnow
from app.services import brands

# Without a usable playbook a mention still reaches a human, as an ordinary complaint.
FALLBACK_SEVERITY = "S2"
# Priority of a corrected decision when no playbook weighs it: the severity alone.
FALLBACK_PRIORITY = {"S0": 0, "S1": 400, "S2": 500, "S3": 700, "S4": 1000}


@dataclass(slots=True)
class TriageRow:
    """One decision as the `triage` table stores it (a plain row: ingest writes thousands)."""

    brand_id: int
    mention_id: int
    severity: str
    action: str
    priority: int
    due_at: datetime | None
    language: str | None
    playbook_id: int | None = None
    playbook_version: str | None = None
    source: str = "engine"
    approver: str | None = None
    scenarios: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    suggested_replies: list[str] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)
    created_at: datetime = field(default_factory=utcnow)

    def values(self) -> dict[str, Any]:
        """Column values for an INSERT (shallow: dataclasses.asdict would deep-copy evidence)."""
        return {name: getattr(self, name) for name in self.__slots__}


def from_decision(brand: Brand, mention: Mention, row: Any, decision: Any) -> TriageRow:
    """The row of a playbook's decision (`row`: the published playbook it came from)."""
    return TriageRow(
        brand_id=brand.id,  # type: ignore[arg-type]
        mention_id=mention.id,  # type: ignore[arg-type]
        playbook_id=row.id,
        playbook_version=decision.playbook_version,
        source="engine",
        severity=decision.severity,
        scenarios=list(decision.scenarios),
        categories=list(decision.categories),
        action=decision.action,
        approver=decision.approver,
        priority=int(decision.priority),
        due_at=decision.due_at,
        suggested_replies=list(decision.suggested_replies),
        language=decision.language,
        evidence=decision.evidence_rows(),  # as Decision.to_dict has it, built once
    )


def fallback(
    brand: Brand, mention: Mention, now: datetime, why: str, engine: Any = None
) -> TriageRow:
    """The row of a mention no playbook could decide: an ordinary complaint, with why."""
    # The same deadline rule as the engine's: the brand's own setting, else the playbook's.
    target = playbooks.answer_target(
        FALLBACK_SEVERITY,
        engine.sla_minutes if engine is not None else None,
        brands.playbook_context(brand),
    )
    due_at = now + timedelta(minutes=target.minutes)
    sla = (
        f"Réponse attendue avant {due_at.isoformat()} ({FALLBACK_SEVERITY} : "
        f"{target.minutes} min, {target.source_label})"
    )
    return TriageRow(
        brand_id=brand.id,  # type: ignore[arg-type]
        mention_id=mention.id,  # type: ignore[arg-type]
        source="engine",
        severity=FALLBACK_SEVERITY,
        scenarios=[],
        categories=[],
        action="reply",
        approver=None,
        priority=500,
        due_at=due_at,
        suggested_replies=[],
        language=mention.lang,
        evidence=[
            {"rule": "fallback", "kind": "fallback", "explanation": why, "matches": []},
            {"rule": "sla", "kind": "sla", "explanation": sla, "matches": []},
        ],
    )
