"""Automatic routing: each unassigned case of a brand with routing on goes to a CM on shift.

Chosen as a worker job (``app.worker.runner``, every few seconds) rather than a hook in case
opening: grouping stays as it is, a storm of new cases is routed in batches (a handful of
queries per brand and pass whatever the number of cases), and the same pass also picks up
cases freed by an expired claim or a CM going off shift. The shift switch and the lead's
"rééquilibrer" call the same pass at once for their brand.

Never twice: a pass holds the brand's lock (the one grouping uses; PostgreSQL advisory lock,
SQLite write lock), so two workers route a brand one after the other and caps hold; each
assignment is still a conditional UPDATE (``assignee_id IS NULL``) so a CM claiming the case
by hand in between keeps it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, update
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.models import AuditEvent, Brand, Case, Membership, ShiftState, User, utcnow
from app.services import audit, content, notifications, queue_changes, shifts
from app.services.claims import ASSIGNMENT_HOURS
from app.services.grouping import lock_brand
from app.services.routing_profiles import Profile, apply_schedules, profiles

log = logging.getLogger("vigie.routing")

# The columns routing reads of a case (rows, not ORM objects: assignments are UPDATEs).
_COLUMNS = (
    col(Case.id),
    col(Case.brand_id),
    col(Case.assignee_id),
    col(Case.severity),
    col(Case.scenario),
    col(Case.language),
    col(Case.channel),
    col(Case.claimed_at),
)
# Open cases weigh by severity: an S3 counts as three S1s when comparing loads.
SEVERITY_WEIGHT = {"S0": 1, "S1": 1, "S2": 2, "S3": 3, "S4": 4}
BATCH = 500
UNROUTED = "case.unrouted"


@dataclass(slots=True)
class Need:
    """What a case asks of its CM (from the playbook's `route:` rule)."""

    skill: str | None = None
    seniority: tuple[str, ...] = ()
    rule_id: str | None = None


@dataclass(slots=True)
class Load:
    open: int = 0
    weight: int = 0


@dataclass(slots=True)
class RouteOutcome:
    assigned: int = 0
    freed: int = 0
    unrouted: list[int] = field(default_factory=list)
    moved: int = 0


def routing_enabled(brand: Brand) -> bool:
    return bool((brand.settings or {}).get("routing_enabled"))


def weight(severity: str | None) -> int:
    return SEVERITY_WEIGHT.get(severity or "S1", 1)


def eligible(profile: Profile, load: Load, case: Any, need: Need) -> bool:
    """May this CM take this case now (languages, channels, skill, seniority, cap)?"""
    if load.open >= profile.max_open:
        return False
    if profile.languages and case.language and case.language not in profile.languages:
        return False
    if profile.channels and case.channel and case.channel not in profile.channels:
        return False
    if need.skill and need.skill not in profile.skills:
        return False
    return not (need.seniority and profile.seniority not in need.seniority)


def choose(
    profiles_: Iterable[Profile], loads: dict[int, Load], case: Any, need: Need
) -> Profile | None:
    """The eligible CM with the lightest severity-weighted load (then fewest cases, then id)."""
    best = [p for p in profiles_ if eligible(p, loads.setdefault(p.user_id, Load()), case, need)]
    if not best:
        return None
    return min(best, key=lambda p: (loads[p.user_id].weight, loads[p.user_id].open, p.user_id))


def need_for(engine: Any, case: Any) -> Need:
    rule = engine.route_for(case.scenario, case.severity) if engine is not None else None
    if rule is None:
        return Need()
    return Need(skill=rule.skill, seniority=tuple(rule.seniority), rule_id=rule.id)


def _loads(session: Session, brand_id: int) -> dict[int, Load]:
    rows = session.execute(
        sa_select(col(Case.assignee_id), col(Case.severity), func.count())
        .where(
            col(Case.brand_id) == brand_id,
            col(Case.assignee_id).is_not(None),
            col(Case.status) != "closed",
        )
        .group_by(col(Case.assignee_id), col(Case.severity))
    ).all()
    loads: dict[int, Load] = {}
    for user_id, severity, count in rows:
        load = loads.setdefault(user_id, Load())
        load.open += count
        load.weight += weight(severity) * count
    return loads


def _set_assignee(
    session: Session, case: Any, *, old: int | None, new: int | None, now: datetime
) -> bool:
    """Conditional UPDATE: True only if the case (its row: id, brand_id) still had ``old``
    (nobody took it meanwhile)."""
    held = col(Case.assignee_id).is_(None) if old is None else col(Case.assignee_id) == old
    values: dict[str, Any] = {
        "assignee_id": new,
        "claimed_at": now if new else None,
        "claim_expires_at": now + timedelta(hours=ASSIGNMENT_HOURS) if new else None,
    }
    result = session.execute(
        update(Case)
        .where(col(Case.id) == case.id, held, col(Case.status) != "closed")
        .values(**values)
        .execution_options(synchronize_session=False, **{queue_changes.OPTION: (case.brand_id,)})
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def _audit(session: Session, case: Any, action: str, before: Any, after: Any, actor: Any) -> None:
    audit.case_event(
        session=session,
        case=case,
        action=action,
        actor=actor,
        actor_label="routing",
        before={"assignee_id": before},
        after={"assignee_id": after},
    )


def free_off_shift(
    session: Session, brand_id: int, on_shift: set[int], now: datetime, actor: Any = None
) -> int:
    """Give back to routing the open cases held by CMs who went off shift after taking them.

    A case a CM claimed by hand while off shift (or who never took a shift) stays theirs.
    """
    ended = dict(
        session.execute(
            sa_select(col(ShiftState.user_id), col(ShiftState.changed_at))
            .join(
                Membership,
                (col(Membership.user_id) == ShiftState.user_id)
                & (col(Membership.brand_id) == ShiftState.brand_id),
            )
            .where(
                col(ShiftState.brand_id) == brand_id,
                col(ShiftState.on_shift).is_(False),
                col(Membership.role) == shifts.SHIFT_ROLE,
            )
        ).all()
    )
    for user_id in on_shift:
        ended.pop(user_id, None)
    if not ended:
        return 0
    cases = session.execute(
        sa_select(*_COLUMNS).where(
            col(Case.brand_id) == brand_id,
            col(Case.assignee_id).in_(sorted(ended)),
            col(Case.status) != "closed",
        )
    ).all()
    cases = [c for c in cases if c.claimed_at is None or c.claimed_at <= ended[c.assignee_id]]
    freed = 0
    for case in cases:
        if _set_assignee(session, case, old=case.assignee_id, new=None, now=now):
            _audit(session, case, "case.unassigned_off_shift", case.assignee_id, None, actor)
            freed += 1
    return freed


def route_brand(
    *, session: Session, brand: Brand, now: datetime | None = None, actor: User | None = None
) -> RouteOutcome:
    """One routing pass over the brand (the caller commits): free, then assign, then tell."""
    outcome = RouteOutcome()
    if not routing_enabled(brand):
        return outcome
    now = now or utcnow()
    brand_id: int = brand.id  # type: ignore[assignment]
    lock_brand(session, brand_id)
    apply_schedules(session=session, brand_id=brand_id, tz=brand.timezone, now=now)
    on_shift = set(shifts.on_shift_user_ids(session=session, brand_id=brand_id))
    outcome.freed = free_off_shift(session, brand_id, on_shift, now, actor)
    team = profiles(session=session, brand_id=brand_id, user_ids=sorted(on_shift))
    loads = _loads(session, brand_id)
    published = content.published_playbook(session=session, brand_id=brand_id)
    engine = published[1] if published else None
    waiting = session.execute(
        sa_select(*_COLUMNS)
        .where(
            col(Case.brand_id) == brand_id,
            col(Case.assignee_id).is_(None),
            col(Case.status) != "closed",
        )
        .order_by(col(Case.priority).desc(), col(Case.due_at).asc(), col(Case.id).asc())
        .limit(BATCH)
    ).all()
    for case in waiting:
        chosen = choose(team.values(), loads, case, need_for(engine, case))
        if chosen is None:
            outcome.unrouted.append(case.id)
            continue
        if _set_assignee(session, case, old=None, new=chosen.user_id, now=now):
            load = loads[chosen.user_id]
            load.open += 1
            load.weight += weight(case.severity)
            _audit(session, case, "case.routed", None, chosen.user_id, actor)
            outcome.assigned += 1
    _tell_leads(session, brand, outcome.unrouted)
    return outcome


def _tell_leads(session: Session, brand: Brand, case_ids: list[int]) -> None:
    """Nobody eligible: the brand's leads are told once per case (one notification per pass)."""
    if not case_ids:
        return
    told = set(
        session.exec(
            select(AuditEvent.case_id).where(
                AuditEvent.action == UNROUTED, col(AuditEvent.case_id).in_(case_ids)
            )
        ).all()
    )
    new = [c for c in case_ids if c not in told]
    if not new:
        return
    for case_id in new:
        audit.case_event(
            session=session,
            case=audit.CaseRef(id=case_id, brand_id=brand.id),  # type: ignore[arg-type]
            action=UNROUTED,
            actor_label="routing",
        )
    leads = notifications.users_with(session=session, brand_id=brand.id, permission="case.lead")  # type: ignore[arg-type]
    notifications.notify(
        session=session,
        user_ids=leads,
        brand_id=brand.id,  # type: ignore[arg-type]
        kind="routing_unassigned",
        params={"brand": brand.name, "n": len(new)},
        link=f"/queue?brand={brand.id}&assignee=nobody",
    )


def rebalance(*, session: Session, brand: Brand, actor: User, now: datetime | None = None) -> int:
    """A lead's one action: move cases from the most loaded CM on shift to lighter colleagues.

    Newest assignments move first (least likely to be started); stops when no move makes the
    heaviest load lighter. Returns how many cases moved.
    """
    now = now or utcnow()
    brand_id: int = brand.id  # type: ignore[assignment]
    outcome = route_brand(session=session, brand=brand, now=now, actor=actor)
    lock_brand(session, brand_id)
    on_shift = sorted(shifts.on_shift_user_ids(session=session, brand_id=brand_id))
    team = profiles(session=session, brand_id=brand_id, user_ids=on_shift)
    if len(team) < 2:
        _audit_rebalance(session, brand_id, actor, 0)
        return 0
    loads = _loads(session, brand_id)
    engine = (content.published_playbook(session=session, brand_id=brand_id) or (None, None))[1]
    cases = session.execute(
        sa_select(*_COLUMNS)
        .where(col(Case.brand_id) == brand_id, col(Case.assignee_id).in_(on_shift))
        .where(col(Case.status) != "closed")
        .order_by(col(Case.claimed_at).desc(), col(Case.id).desc())
    ).all()
    by_user: dict[int, list[Any]] = {u: [c for c in cases if c.assignee_id == u] for u in on_shift}
    for _ in range(len(cases)):
        donor = max(on_shift, key=lambda u: (loads.setdefault(u, Load()).weight, u))
        moved = False
        for case in by_user[donor]:
            w = weight(case.severity)
            others = [p for u, p in team.items() if u != donor]
            target = choose(others, loads, case, need_for(engine, case))
            if target is None or loads[target.user_id].weight + w >= loads[donor].weight:
                continue
            if _set_assignee(session, case, old=donor, new=target.user_id, now=now):
                _audit(session, case, "case.rebalanced", donor, target.user_id, actor)
                for user, sign in ((donor, -1), (target.user_id, 1)):
                    loads[user].open += sign
                    loads[user].weight += sign * w
                by_user[donor].remove(case)
                by_user[target.user_id].append(case)
                outcome.moved += 1
                moved = True
            break
        if not moved:
            break
    _audit_rebalance(session, brand_id, actor, outcome.moved)
    return outcome.moved


def _audit_rebalance(session: Session, brand_id: int, actor: User, moved: int) -> None:
    audit.record(
        session=session,
        action="routing.rebalanced",
        target_type="brand",
        target_id=brand_id,
        brand_id=brand_id,
        actor=actor,
        after={"moved": moved},
    )


def route_all(engine: Engine, now: datetime | None = None) -> RouteOutcome:
    """The worker's pass: every brand with routing on, each in its own transaction."""
    total = RouteOutcome()
    with Session(engine) as session:
        brand_ids = [b.id for b in session.exec(select(Brand)).all() if routing_enabled(b)]
    for brand_id in brand_ids:
        with Session(engine, expire_on_commit=False) as session:
            brand = session.get(Brand, brand_id)
            if brand is None:
                continue
            try:
                one = route_brand(session=session, brand=brand, now=now)
                session.commit()
            except Exception:
                session.rollback()
                log.exception("routing failed for brand %s", brand_id)
                continue
            total.assigned += one.assigned
            total.freed += one.freed
            total.unrouted += one.unrouted
    return total
