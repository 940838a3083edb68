"""Crisis mode: a lead or the brand owner switches a brand to its crisis playbook and back.

The crisis playbook is a playbook variant (``Playbook.kind == "crisis"``) the editor prepares
and publishes in advance, like any version. While a crisis period is open it triages the
brand's new mentions (``content.published_playbook`` picks it); the period ends by hand or at
its planned time (the worker's ``end_due``), and the normal playbook is back. Every switch is
audited. At most one open period per brand: a partial unique index settles two people
switching it on at once.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.models import Brand, CrisisPeriod, Playbook, SpikeAlert, User, utcnow
from app.security.access import BrandScope
from app.services import audit, notifications

# Who may switch crisis mode: the agency's leads (and admins) and the brand's owners.
CRISIS_ROLES = frozenset({"lead", "brand_owner", "admin"})
MAX_REASON = 500
MAX_HOURS = 24 * 14


class CrisisError(ValueError):
    """A crisis switch refused for a reason the person can fix (message in French)."""


def may_manage(scope: BrandScope, brand_id: int) -> bool:
    """Whether the user may turn the brand's crisis mode on or off."""
    return bool(scope.roles(brand_id) & CRISIS_ROLES)


def open_period(*, session: Session, brand_id: int) -> CrisisPeriod | None:
    """The brand's open crisis period, if any."""
    return session.exec(
        select(CrisisPeriod).where(
            CrisisPeriod.brand_id == brand_id, col(CrisisPeriod.ended_at).is_(None)
        )
    ).first()


def open_periods(*, session: Session, brand_ids: list[int]) -> list[CrisisPeriod]:
    """The open crisis periods among these brands (the banner: one query per page)."""
    if not brand_ids:
        return []
    return list(
        session.exec(
            select(CrisisPeriod)
            .where(col(CrisisPeriod.brand_id).in_(brand_ids), col(CrisisPeriod.ended_at).is_(None))
            .order_by(col(CrisisPeriod.started_at))
        )
    )


def crisis_playbook(*, session: Session, brand_id: int) -> Playbook | None:
    """The brand's published crisis playbook, if the editor prepared one."""
    return session.exec(
        select(Playbook).where(
            Playbook.brand_id == brand_id,
            Playbook.status == "published",
            Playbook.kind == "crisis",
        )
    ).first()


def live_choice(rows: list[Playbook], *, session: Session, brand_id: int) -> Playbook | None:
    """Among a brand's published playbooks, the one that triages now: the crisis variant while
    a crisis period is open, else the normal one (the crisis table is read only when the brand
    has a crisis variant, so brands without one pay nothing)."""
    normal = next((r for r in rows if r.kind != "crisis"), None)
    crisis = next((r for r in rows if r.kind == "crisis"), None)
    if crisis is not None and open_period(session=session, brand_id=brand_id) is not None:
        return crisis
    return normal


def start(
    *,
    session: Session,
    brand: Brand,
    actor: User | None,
    reason: str,
    hours: float | None = None,
    spike_alert_id: int | None = None,
    now: datetime | None = None,
) -> CrisisPeriod:
    """Switch the brand to its crisis playbook from now, with a reason and an optional end."""
    assert brand.id is not None
    now = now or utcnow()
    reason = (reason or "").strip()[:MAX_REASON]
    if not reason:
        raise CrisisError(_l("Indiquez la raison du passage en mode crise."))
    if hours is not None and not 0 < hours <= MAX_HOURS:
        raise CrisisError(_l("La durée doit être comprise entre quelques minutes et 14 jours."))
    playbook = crisis_playbook(session=session, brand_id=brand.id)
    if playbook is None:
        raise CrisisError(
            _l(
                "Aucun playbook de crise publié pour cette marque : l'éditeur doit le préparer "
                "et le publier avant."
            )
        )
    if spike_alert_id is not None:
        alert = session.get(SpikeAlert, spike_alert_id)
        if alert is None or alert.brand_id != brand.id:
            spike_alert_id = None
    period = CrisisPeriod(
        brand_id=brand.id,
        reason=reason,
        spike_alert_id=spike_alert_id,
        playbook_id=playbook.id,
        started_at=now,
        started_by_id=actor.id if actor else None,
        ends_at=now + timedelta(hours=hours) if hours else None,
    )
    try:
        with session.begin_nested():
            session.add(period)
            session.flush()
    except IntegrityError:
        raise CrisisError(_l("Le mode crise est déjà actif pour cette marque.")) from None
    audit.record(
        session=session,
        action="crisis.started",
        target_type="crisis",
        target_id=period.id,
        brand_id=brand.id,
        actor=actor,
        after={
            "playbook": playbook.number,
            "ends_at": period.ends_at.isoformat() if period.ends_at else None,
            "spike_alert_id": spike_alert_id,
        },
        note=reason,
    )
    _tell(session, brand, {"variant": "started", "reason": reason})
    return period


def stop(
    *,
    session: Session,
    period: CrisisPeriod,
    actor: User | None,
    note: str = "",
    via: str = "hand",
    now: datetime | None = None,
) -> bool:
    """End a crisis period (the normal playbook triages again); False if it had already ended.

    One conditional UPDATE: two people ending it at once (or the worker at its planned end)
    end it once.
    """
    now = now or utcnow()
    where = [col(CrisisPeriod.id) == period.id, col(CrisisPeriod.ended_at).is_(None)]
    if via == "schedule":
        # The planned end as it stands when the row is written: a lead who moved it later
        # (or cleared it) meanwhile wins, and the crisis goes on.
        where.append(col(CrisisPeriod.ends_at) <= now)
    result = session.exec(  # type: ignore[call-overload]
        update(CrisisPeriod)
        .where(*where)
        .values(
            ended_at=now,
            ended_by_id=actor.id if actor else None,
            end_note=(note or "").strip()[:MAX_REASON] or None,
        )
    )
    session.refresh(period)
    if not result.rowcount:
        return False
    audit.record(
        session=session,
        action="crisis.ended" if via == "hand" else "crisis.expired",
        target_type="crisis",
        target_id=period.id,
        brand_id=period.brand_id,
        actor=actor,
        actor_label=None if actor else "worker",
        before={"started_at": period.started_at.isoformat()},
        after={"ended_at": now.isoformat(), "via": via},
        note=period.end_note,
    )
    brand = session.get(Brand, period.brand_id)
    if brand is not None:
        _tell(session, brand, {"variant": "ended"})
    return True


def set_end(
    *,
    session: Session,
    period: CrisisPeriod,
    actor: User,
    hours: float | None,
    now: datetime | None = None,
) -> None:
    """Set, change (``hours`` from now) or clear (None) the planned end of an open crisis.

    The row is locked first (PostgreSQL: its row lock; SQLite: the write lock), so a lead's
    change and the worker ending the crisis at its old time give one outcome: either the
    crisis ended (the lead is told) or it goes on to its new end (the worker leaves it).
    """
    now = now or utcnow()
    if hours is not None and not 0 < hours <= MAX_HOURS:
        raise CrisisError(_l("La durée doit être comprise entre quelques minutes et 14 jours."))
    session.execute(
        update(CrisisPeriod)
        .where(col(CrisisPeriod.id) == period.id)
        .values(ends_at=col(CrisisPeriod.ends_at))
        .execution_options(synchronize_session=False)
    )
    session.refresh(period)
    if period.ended_at is not None:
        raise CrisisError(_l("Cette crise est déjà terminée."))
    before = period.ends_at
    period.ends_at = now + timedelta(hours=hours) if hours is not None else None
    session.add(period)
    session.flush()
    audit.record(
        session=session,
        action="crisis.end_changed",
        target_type="crisis",
        target_id=period.id,
        brand_id=period.brand_id,
        actor=actor,
        before={"ends_at": before.isoformat() if before else None},
        after={"ends_at": period.ends_at.isoformat() if period.ends_at else None},
    )
    brand = session.get(Brand, period.brand_id)
    if brand is not None:
        when = period.ends_at
        _tell(
            session,
            brand,
            {"variant": "end_set", "when": f"{when:%d/%m/%Y %H:%M}"}
            if when
            else {"variant": "end_cleared"},
        )


def end_due(*, session: Session, now: datetime | None = None) -> int:
    """End the crisis periods whose planned end has come (worker); returns how many."""
    now = now or utcnow()
    due = session.exec(
        select(CrisisPeriod).where(
            col(CrisisPeriod.ended_at).is_(None),
            col(CrisisPeriod.ends_at).is_not(None),
            col(CrisisPeriod.ends_at) <= now,
        )
    ).all()
    return sum(
        1
        for period in due
        if stop(session=session, period=period, actor=None, via="schedule", now=now)
    )


def _tell(session: Session, brand: Brand, params: dict[str, Any]) -> None:
    """The brand's leads and owners hear of every switch in their bell (each in their own
    language: ``notification_messages``, kind ``crisis``)."""
    assert brand.id is not None
    users: set[int] = set()
    for role in ("lead", "brand_owner"):
        users |= set(notifications.users_with_role(session=session, brand_id=brand.id, role=role))
    notifications.notify(
        session=session,
        user_ids=users,
        brand_id=brand.id,
        kind="crisis",
        params={**params, "brand": brand.name},
        link=f"/crisis?brand={brand.slug}",
    )
