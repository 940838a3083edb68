"""Community managers' routing profiles: languages, channels, skills, seniority, cap, schedule.

One row per CM and brand (``RoutingProfile``); a CM without a row routes with the defaults
(any language, channel and skill, junior, the default cap). Edited by a brand's admin or lead,
audited per brand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from app.models import SENIORITIES, Membership, RoutingProfile, ShiftState, User, utcnow
from app.services import audit
from app.services.shifts import SHIFT_ROLE, set_on_shift

DEFAULT_MAX_OPEN = 10
MAX_OPEN_LIMIT = 200
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_TOKEN = re.compile(r"^[a-z0-9][a-z0-9_.\-]{0,79}$")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class ProfileError(ValueError):
    """A profile form value that makes no sense (the message is shown to the lead)."""


@dataclass(frozen=True, slots=True)
class Profile:
    """What routing reads of one CM on one brand."""

    user_id: int
    languages: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    seniority: str = "junior"
    max_open: int = DEFAULT_MAX_OPEN


def profiles(*, session: Session, brand_id: int, user_ids: list[int]) -> dict[int, Profile]:
    """The profiles of these users on the brand (defaults for those without a row)."""
    rows = {
        r.user_id: r
        for r in session.exec(
            select(RoutingProfile).where(
                RoutingProfile.brand_id == brand_id, col(RoutingProfile.user_id).in_(user_ids)
            )
        )
    }
    out = {}
    for user_id in user_ids:
        row = rows.get(user_id)
        out[user_id] = (
            Profile(
                user_id=user_id,
                languages=tuple(row.languages or ()),
                channels=tuple(row.channels or ()),
                skills=tuple(row.skills or ()),
                seniority=row.seniority,
                max_open=row.max_open,
            )
            if row
            else Profile(user_id=user_id)
        )
    return out


def brand_cms(*, session: Session, brand_id: int) -> list[tuple[User, RoutingProfile | None]]:
    """The brand's community managers and their profile rows (for the lead's page)."""
    users = session.exec(
        select(User)
        .join(Membership, col(Membership.user_id) == User.id)
        .where(Membership.brand_id == brand_id, Membership.role == SHIFT_ROLE)
        .order_by(col(User.email))
        .distinct()
    ).all()
    rows = {
        r.user_id: r
        for r in session.exec(select(RoutingProfile).where(RoutingProfile.brand_id == brand_id))
    }
    return [(u, rows.get(u.id)) for u in users]  # type: ignore[arg-type]


def _tokens(value: str, what: str) -> list[str]:
    items = [t.strip().casefold() for t in re.split(r"[,\s]+", value or "") if t.strip()]
    for item in items:
        if not _TOKEN.match(item):
            raise ProfileError(f"{what}: {item[:40]!r}")
    return sorted(set(items))[:50]


def parse_schedule(value: str) -> dict[str, list[str]]:
    """'mon 08:00-16:00; tue 08:00-16:00' -> {"mon": ["08:00", "16:00"], ...}."""
    schedule: dict[str, list[str]] = {}
    for part in re.split(r"[;\n]+", value or ""):
        part = part.strip()
        if not part:
            continue
        match = re.match(r"^([a-z]{3})\s+(\d\d:\d\d)\s*-\s*(\d\d:\d\d)$", part.casefold())
        if not match or match.group(1) not in DAYS:
            raise ProfileError(f"planning: {part[:40]!r}")
        day, start, end = match.groups()
        if not (_TIME.match(start) and _TIME.match(end)) or start >= end:
            raise ProfileError(f"planning: {part[:40]!r}")
        schedule[day] = [start, end]
    return {d: schedule[d] for d in DAYS if d in schedule}


def schedule_text(schedule: dict[str, Any] | None) -> str:
    return "; ".join(f"{d} {v[0]}-{v[1]}" for d, v in (schedule or {}).items())


def save_profile(
    *,
    session: Session,
    brand_id: int,
    user: User,
    actor: User,
    form: dict[str, str],
    now: datetime | None = None,
) -> RoutingProfile:
    """Create or update the CM's profile on the brand from the lead's form (audited)."""
    is_cm = session.exec(
        select(Membership.id).where(
            Membership.brand_id == brand_id,
            Membership.user_id == user.id,
            Membership.role == SHIFT_ROLE,
        )
    ).first()
    if is_cm is None:
        raise ProfileError("not a community manager of this brand")
    seniority = (form.get("seniority") or "junior").strip()
    if seniority not in SENIORITIES:
        raise ProfileError(f"seniority: {seniority[:20]!r}")
    try:
        max_open = int((form.get("max_open") or str(DEFAULT_MAX_OPEN)).strip())
    except ValueError as exc:
        raise ProfileError("max_open") from exc
    if not 0 <= max_open <= MAX_OPEN_LIMIT:
        raise ProfileError("max_open")
    values = {
        "languages": _tokens(form.get("languages", ""), "languages"),
        "channels": _tokens(form.get("channels", ""), "channels"),
        "skills": _tokens(form.get("skills", ""), "skills"),
        "seniority": seniority,
        "max_open": max_open,
        "schedule": parse_schedule(form.get("schedule", "")),
    }
    row = session.exec(
        select(RoutingProfile).where(
            RoutingProfile.brand_id == brand_id, RoutingProfile.user_id == user.id
        )
    ).first()
    before = None
    if row is None:
        row = RoutingProfile(brand_id=brand_id, user_id=user.id)  # type: ignore[arg-type]
    else:
        before = {k: getattr(row, k) for k in values}
    for key, value in values.items():
        setattr(row, key, value)
    row.updated_at = now or utcnow()
    session.add(row)
    audit.record(
        session=session,
        action="routing.profile_saved",
        target_type="user",
        target_id=user.id,
        brand_id=brand_id,
        actor=actor,
        before=before,
        after=values,
    )
    return row


def _today_bounds(schedule: dict[str, Any], local: datetime) -> tuple[datetime, datetime] | None:
    hours = schedule.get(DAYS[local.weekday()])
    if not hours:
        return None
    (sh, sm), (eh, em) = (map(int, hours[0].split(":")), map(int, hours[1].split(":")))
    start = local.replace(hour=sh, minute=sm, second=0, microsecond=0)
    end = local.replace(hour=eh, minute=em, second=0, microsecond=0)
    return start, end


def apply_schedules(*, session: Session, brand_id: int, tz: str, now: datetime) -> list[int]:
    """Start and end shifts at the times of the weekly schedules (in the brand's time zone).

    Stateless: at a schedule's start the CM is put on shift unless their state changed since
    (a manual "je termine" after the start wins), likewise at its end. Returns users changed.
    """
    rows = [
        r
        for r in session.exec(select(RoutingProfile).where(RoutingProfile.brand_id == brand_id))
        if r.schedule
    ]
    if not rows:
        return []
    try:
        local = now.astimezone(ZoneInfo(tz))
    except (KeyError, ValueError):
        local = now
    states = {
        s.user_id: s
        for s in session.exec(
            select(ShiftState).where(
                ShiftState.brand_id == brand_id,
                col(ShiftState.user_id).in_([r.user_id for r in rows]),
            )
        )
    }
    changed = []
    for row in rows:
        bounds = _today_bounds(row.schedule or {}, local)
        if bounds is None:
            continue
        start, end = bounds
        state = states.get(row.user_id)
        since = state.changed_at if state else None
        if (
            start <= local < end
            and not (state and state.on_shift)
            and (since is None or since < start)
        ):
            want = True
        elif local >= end and state is not None and state.on_shift and state.changed_at < end:
            want = False
        else:
            continue
        user = session.get(User, row.user_id)
        if user is not None and set_on_shift(
            session=session, user=user, on_shift=want, brand_ids=[brand_id], now=now
        ):
            changed.append(row.user_id)
    return changed
