"""The console banner of urgent alerts: who sees which open urgent escalation, and who may
acknowledge it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.models import AlertDelivery, Brand, Case, Escalation, User
from app.security.access import BrandScope
from app.services import shifts
from app.services.alerts import EXTERNAL_CHANNELS, FAILURE_ROLES, summary


@dataclass(frozen=True)
class BannerItem:
    """One unacknowledged urgent escalation as the banner shows it to one user."""

    escalation: Escalation
    brand_name: str
    excerpt: str
    link: str
    failed: bool
    failure: str | None


def _sees_urgent(roles: frozenset[str], on_shift: bool) -> bool:
    return bool(roles & {"brand_owner", "lead"}) or ("community_manager" in roles and on_shift)


def banner_items(*, session: Session, user: User, scope: BrandScope) -> list[BannerItem]:
    """Open, unacknowledged urgent escalations the user is alerted of (failures for leads too)."""
    on_shift = set(shifts.on_shift_brand_ids(session=session, user=user))
    alerted = [b for b, roles in scope.roles_by_brand.items() if _sees_urgent(roles, b in on_shift)]
    failure_brands = [b for b, roles in scope.roles_by_brand.items() if roles & set(FAILURE_ROLES)]
    brand_ids = sorted(set(alerted) | set(failure_brands))
    if not brand_ids:
        return []
    rows = list(
        session.exec(
            select(Escalation)
            .where(
                col(Escalation.brand_id).in_(brand_ids),
                Escalation.state == "open",
                Escalation.urgency == "urgent",
                col(Escalation.acknowledged_at).is_(None),
            )
            .order_by(col(Escalation.created_at))
            .limit(20)
        )
    )
    if not rows:
        return []
    failures = _failures(session, [e.id for e in rows if e.id is not None])
    brands = {
        b.id: b.name
        for b in session.exec(select(Brand).where(col(Brand.id).in_({e.brand_id for e in rows})))
    }
    cases = {
        c.id: c
        for c in session.exec(select(Case).where(col(Case.id).in_({e.case_id for e in rows})))
    }
    items = []
    for escalation in rows:
        failed = escalation.id in failures and escalation.brand_id in failure_brands
        if escalation.brand_id not in alerted and not failed:
            continue
        roles = scope.roles(escalation.brand_id)
        owner_only = "brand_owner" in roles and not roles & {"lead", "community_manager", "admin"}
        case = cases.get(escalation.case_id)
        items.append(
            BannerItem(
                escalation=escalation,
                brand_name=brands.get(escalation.brand_id, ""),
                excerpt=(case.excerpt if case else "")[:140],
                link=f"/portal?brand={escalation.brand_id}#escalation-{escalation.id}"
                if owner_only
                else f"/cases/{escalation.case_id}",
                failed=failed,
                failure=failures.get(escalation.id or 0) if failed else None,
            )
        )
    return items


def _failures(session: Session, escalation_ids: list[int]) -> dict[int, str]:
    """Escalations whose latest alert round reached nobody outside the console, with why."""
    latest: dict[int, list[AlertDelivery]] = {}
    for row in session.exec(
        select(AlertDelivery)
        .where(col(AlertDelivery.escalation_id).in_(escalation_ids))
        .order_by(col(AlertDelivery.round), col(AlertDelivery.id))
    ):
        rows = latest.setdefault(row.escalation_id, [])
        if rows and rows[0].round != row.round:
            rows.clear()
        rows.append(row)
    return {
        escalation_id: summary(rows)
        for escalation_id, rows in latest.items()
        if not any(r.status == "delivered" and r.channel in EXTERNAL_CHANNELS for r in rows)
    }


def may_acknowledge(scope: BrandScope, escalation: Escalation) -> bool:
    """Anyone the alert is meant for (or who must see its failure) may say they have it."""
    return bool(
        scope.roles(escalation.brand_id) & {"brand_owner", "lead", "admin", "community_manager"}
    )
