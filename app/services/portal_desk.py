"""What waits for a brand (its owners' home and the portal open on it): pending approvals and
open escalations, most pressing first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from app.models import Brand, Case, Escalation, Reply
from app.security.access import BrandScope
from app.services import approvals
from app.services.answer_clocks import approval_link


@dataclass(frozen=True)
class WaitingItem:
    """An escalation or an approval that waits for a brand owner, as their home lists it."""

    kind: str  # escalation | approval
    brand_id: int
    brand_name: str
    case_id: int
    urgent: bool
    since: datetime
    link: str
    excerpt: str


def waiting_for_owner(*, session: Session, scope: BrandScope, limit: int = 30) -> list[WaitingItem]:
    """Open escalations (urgent first) then pending approvals on the brands the user answers for."""
    brand_ids = scope.brand_ids("approve.brand")
    if not brand_ids:
        return []
    open_escalations = session.exec(
        select(Escalation)
        .where(col(Escalation.brand_id).in_(brand_ids), Escalation.state == "open")
        .order_by(col(Escalation.urgency).desc(), col(Escalation.created_at))
        .limit(limit)
    ).all()
    replies = approvals.pending(session=session, scope=scope, role="brand")[:limit]
    case_ids = {e.case_id for e in open_escalations} | {r.case_id for r in replies}
    cases = {c.id: c for c in session.exec(select(Case).where(col(Case.id).in_(case_ids)))}
    names = {b.id: b.name for b in session.exec(select(Brand).where(col(Brand.id).in_(brand_ids)))}

    def excerpt(case_id: int) -> str:
        case = cases.get(case_id)
        return case.excerpt[:160] if case else ""

    items = [
        WaitingItem(
            kind="escalation",
            brand_id=e.brand_id,
            brand_name=names.get(e.brand_id, ""),
            case_id=e.case_id,
            urgent=e.urgency == "urgent",
            since=e.created_at,
            link=f"/portal?brand={e.brand_id}#escalation-{e.id}",
            excerpt=excerpt(e.case_id),
        )
        for e in open_escalations
    ]
    items += [
        WaitingItem(
            kind="approval",
            brand_id=r.brand_id,
            brand_name=names.get(r.brand_id, ""),
            case_id=r.case_id,
            urgent=False,
            since=r.created_at,
            link=approval_link(r),
            excerpt=excerpt(r.case_id),
        )
        for r in replies
    ]
    return items[:limit]


def most_pressing_brand(*, session: Session, brand_ids: list[int]) -> int | None:
    """The brand whose owner has the most pressing work: urgent escalations, then any waiting."""
    if not brand_ids:
        return None
    escalated = session.exec(
        select(Escalation.brand_id, Escalation.urgency)
        .where(col(Escalation.brand_id).in_(brand_ids), Escalation.state == "open")
        .order_by(col(Escalation.urgency).desc(), col(Escalation.created_at))
        .limit(1)
    ).first()
    if escalated is not None:
        return escalated[0]
    pending = session.exec(
        select(Reply.brand_id)
        .where(
            col(Reply.brand_id).in_(brand_ids),
            Reply.approval_state == "pending",
            Reply.approver_role == "brand",
        )
        .order_by(col(Reply.created_at))
        .limit(1)
    ).first()
    return pending
