"""Writing the audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from sqlmodel import Session

from app.models import AuditEvent, User, utcnow
from app.services import bulk


def record(
    *,
    session: Session,
    action: str,
    target_type: str,
    target_id: int | None,
    brand_id: int | None,
    actor: User | None = None,
    actor_label: str | None = None,
    case_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str | None = None,
) -> AuditEvent:
    """Append one audit event (who did what to which record, with before/after)."""
    event = AuditEvent(
        brand_id=brand_id,
        actor_id=actor.id if actor else None,
        actor_label=actor.email if actor else (actor_label or "system"),
        action=action,
        target_type=target_type,
        target_id=target_id,
        case_id=case_id,
        before=before,
        after=after,
        note=note,
    )
    session.add(event)
    return event


class CaseLike(Protocol):
    """A case, or the case a record belongs to (`case_of`)."""

    @property
    def id(self) -> int | None: ...

    @property
    def brand_id(self) -> int: ...


@dataclass(frozen=True)
class CaseRef:
    id: int | None
    brand_id: int


def case_of(record: Any) -> CaseRef:
    """The case a reply, escalation, mention or clock belongs to, for `case_event`."""
    return CaseRef(id=record.case_id, brand_id=record.brand_id)


def case_event(
    *,
    session: Session,
    case: CaseLike,
    action: str,
    actor: User | None = None,
    actor_label: str | None = None,
    target_type: str = "case",
    target_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str | None = None,
) -> AuditEvent:
    """One event in a case's history (its timeline): brand and case come from the case.

    The target is the case itself unless another record of the case is named (a reply, an
    escalation, a mention…). Every case-scoped event goes through here.
    """
    return record(
        session=session,
        action=action,
        target_type=target_type,
        target_id=case.id if target_type == "case" and target_id is None else target_id,
        brand_id=case.brand_id,
        actor=actor,
        actor_label=actor_label,
        case_id=case.id,
        before=before,
        after=after,
        note=note,
    )


def changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Keep only the fields that changed, for a compact before/after."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def insert_many(*, session: Session, events: list[dict[str, Any]]) -> None:
    """Append many audit events in one statement (ingest writes two per mention).

    Each dict takes the keyword arguments of `record` except `actor` (give `actor_label`).
    """
    if not events:
        return
    now = utcnow()
    rows = [
        {
            "brand_id": e.get("brand_id"),
            "actor_id": None,
            "actor_label": e.get("actor_label") or "system",
            "action": e["action"],
            "target_type": e["target_type"],
            "target_id": e.get("target_id"),
            "case_id": e.get("case_id"),
            "before": e.get("before"),
            "after": e.get("after"),
            "note": e.get("note"),
            "created_at": now,
        }
        for e in events
    ]
    bulk.append_rows(session, AuditEvent.__table__, rows)  # type: ignore[attr-defined]
