"""Applying a brand's published playbook to a mention, and the fallback when it cannot."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import playbooks
from app.models import Author, Brand, Mention, Person, utcnow
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


def _input(
    mention: Mention, author: Author, person: Person | None, thread: tuple[Any, Any] | None = None
) -> Any:
    profile = playbooks.AuthorProfile(
        tier=person.tier if person else None,
        vip=bool(person and person.vip),
        followers=author.followers or 0,
        verified=author.verified,
    )
    return playbooks.MentionInput(
        text=mention.text,
        lang=mention.lang,
        channel=mention.channel,
        author=profile,
        posted_at=mention.posted_at,
        # The message it answers and the author's history (triage_context), when gathered.
        parent=thread[0] if thread else None,
        history=thread[1] if thread else (),
    )


def decide(
    *,
    published: tuple[Any, Any] | None,
    brand: Brand,
    mention: Mention,
    author: Author,
    person: Person | None,
    now: datetime | None = None,
    thread: tuple[Any, Any] | None = None,
) -> TriageRow:
    """Run the brand's published playbook (row, engine) on one mention.

    `published` comes from content.published_playbook, loaded once per batch by the caller;
    `thread`: (parent, history) from triage_context, gathered once per batch too.
    """
    now = now or utcnow()
    if published is None:
        return _fallback(brand, mention, now, "Aucun playbook publié pour cette marque.")
    row, engine = published
    try:
        decision = engine.decide(
            _input(mention, author, person, thread), brands.playbook_context(brand), now=now
        )
    except Exception as exc:
        return _fallback(brand, mention, now, f"Erreur du playbook : {exc}", engine)
    return _row(brand, mention, row, decision)


def redecide(
    *,
    published: tuple[Any, Any] | None,
    brand: Brand,
    mention: Mention,
    author: Author,
    person: Person | None,
    severity: str,
    scenario: str | None,
    now: datetime | None = None,
) -> TriageRow:
    """The brand's delegation re-applied to a reviewer's corrected severity and scenario.

    The same rules as `decide` (the playbook's delegation rules, S4 floor, priority, SLA);
    without a usable playbook, the default codification: S3 needs approval, S4 is urgent.
    """
    now = now or utcnow()
    if published is not None:
        row, engine = published
        try:
            decision = engine.redecide(
                _input(mention, author, person),
                severity=severity,
                scenario=scenario,
                context=brands.playbook_context(brand),
                now=now,
            )
        except Exception as exc:
            why = f"Erreur du playbook : {exc}"
        else:
            return _row(brand, mention, row, decision)
    else:
        why = "Aucun playbook publié pour cette marque."
    action, approver = playbooks.default_delegation(severity)
    needs_answer = action not in ("ignore", "hide")
    # The same deadline rule as the engine's: the brand's own setting, else the default.
    minutes = playbooks.answer_target(severity, None, brands.playbook_context(brand)).minutes
    posted = mention.posted_at or now
    return TriageRow(
        brand_id=brand.id,  # type: ignore[arg-type]
        mention_id=mention.id,  # type: ignore[arg-type]
        source="engine",
        severity=severity,
        scenarios=[scenario] if scenario else [],
        action=action,
        approver=approver,
        priority=FALLBACK_PRIORITY[severity] if needs_answer else 0,
        due_at=posted + timedelta(minutes=minutes) if needs_answer else None,
        language=mention.lang,
        evidence=[
            {
                "rule": "correction",
                "kind": "correction",
                "explanation": f"Correction d'un relecteur : {severity}",
                "matches": [],
            },
            {
                "rule": "fallback",
                "kind": "fallback",
                "explanation": f"{why} Délégation par défaut pour {severity} : {action}.",
                "matches": [],
            },
        ],
    )


def _row(brand: Brand, mention: Mention, row: Any, decision: Any) -> TriageRow:
    data = decision.to_dict()
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
        evidence=data.get("evidence", []),
    )


def _fallback(
    brand: Brand, mention: Mention, now: datetime, why: str, engine: Any = None
) -> TriageRow:
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
