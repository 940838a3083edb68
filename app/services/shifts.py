"""Community managers' shifts: who is "en service" on a brand now (urgent alerts reach them).

The state is set by hand from the console header today; weekly schedules and routing can set
the same rows later. Every change is audited per brand, so "who was on shift at 3 a.m." has
an answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.models import Membership, ShiftState, User, utcnow
from app.services import audit

SHIFT_ROLE = "community_manager"


def shift_brand_ids(*, session: Session, user: User) -> list[int]:
    """The brands on which the user works shifts (as a community manager)."""
    return sorted(
        session.exec(
            select(Membership.brand_id).where(
                Membership.user_id == user.id, Membership.role == SHIFT_ROLE
            )
        ).all()
    )


def on_shift_brand_ids(*, session: Session, user: User) -> list[int]:
    """The brands on which the user is on shift now."""
    return sorted(
        session.exec(
            select(ShiftState.brand_id).where(
                ShiftState.user_id == user.id, col(ShiftState.on_shift).is_(True)
            )
        ).all()
    )


def on_shift_user_ids(*, session: Session, brand_id: int) -> list[int]:
    """Active community managers of the brand who are on shift now."""
    rows = session.exec(
        select(ShiftState.user_id)
        .join(User, col(User.id) == ShiftState.user_id)
        .join(
            Membership,
            (col(Membership.user_id) == ShiftState.user_id)
            & (col(Membership.brand_id) == ShiftState.brand_id),
        )
        .where(
            ShiftState.brand_id == brand_id,
            col(ShiftState.on_shift).is_(True),
            Membership.role == SHIFT_ROLE,
            col(User.is_active).is_(True),
        )
        .distinct()
    ).all()
    return sorted(rows)


def set_on_shift(
    *,
    session: Session,
    user: User,
    on_shift: bool,
    brand_ids: Iterable[int] | None = None,
    now: datetime | None = None,
) -> list[int]:
    """Start or end the user's shift on their brands (all of them by default).

    Only brands where the user is a community manager change; returns those that did.
    """
    now = now or utcnow()
    allowed = set(shift_brand_ids(session=session, user=user))
    wanted = allowed if brand_ids is None else allowed & set(brand_ids)
    states = {
        s.brand_id: s
        for s in session.exec(
            select(ShiftState).where(
                ShiftState.user_id == user.id, col(ShiftState.brand_id).in_(list(wanted))
            )
        )
    }
    changed = []
    for brand_id in sorted(wanted):
        state = states.get(brand_id)
        if state is not None and state.on_shift == on_shift:
            continue
        if state is None:
            state = _new_state(session, user, brand_id)
            if state.on_shift == on_shift:
                continue  # another tab of the same user set it a moment ago
        state.on_shift, state.changed_at = on_shift, now
        session.add(state)
        audit.record(
            session=session,
            action="shift.started" if on_shift else "shift.ended",
            target_type="user",
            target_id=user.id,
            brand_id=brand_id,
            actor=user,
            after={"on_shift": on_shift},
        )
        changed.append(brand_id)
    return changed


def _new_state(session: Session, user: User, brand_id: int) -> ShiftState:
    """The user's row for the brand, created once even when two requests race to create it."""
    try:
        with session.begin_nested():
            state = ShiftState(user_id=user.id, brand_id=brand_id)  # type: ignore[arg-type]
            session.add(state)
            session.flush()
            return state
    except IntegrityError:
        existing = session.exec(
            select(ShiftState).where(ShiftState.user_id == user.id, ShiftState.brand_id == brand_id)
        ).one()
        session.refresh(existing)
        return existing
