"""Time-driven checks: SLA breaches and abandoned claims."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.models import Case, utcnow
from app.services import audit, claims


def check_sla(engine: Engine, now: datetime | None = None) -> int:
    """Mark open cases whose due time has passed (once each) and audit the breach."""
    now = now or utcnow()
    with Session(engine, expire_on_commit=False) as session:
        breached = session.exec(
            select(Case)
            .where(
                Case.status != "closed",
                col(Case.sla_breached_at).is_(None),
                col(Case.first_response_at).is_(None),
                col(Case.due_at) < now,
            )
            .limit(1000)
        ).all()
        for case in breached:
            case.sla_breached_at = now
            session.add(case)
            audit.case_event(
                session=session,
                case=case,
                action="sla.breached",
                actor_label="worker",
                after={"due_at": case.due_at.isoformat() if case.due_at else None},
            )
        session.commit()
        return len(breached)


def release_expired_claims(engine: Engine, now: datetime | None = None) -> int:
    """Claims abandoned past their expiry return the case to the pool."""
    now = now or utcnow()
    with Session(engine, expire_on_commit=False) as session:
        expired = session.exec(
            select(Case).where(
                col(Case.assignee_id).is_not(None),
                col(Case.claim_expires_at) < now,
                Case.status != "closed",
            )
        ).all()
        for case in expired:
            audit.case_event(
                session=session,
                case=case,
                action="case.claim_expired",
                actor_label="worker",
                before={"assignee_id": case.assignee_id},
            )
            claims.free(case)
            session.add(case)
        session.commit()
        return len(expired)
