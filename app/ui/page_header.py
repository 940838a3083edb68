"""What the header of every console page reads: the user's shift switch and the open crisis
periods of their brands, in one statement per request (issue 11, §5: two before)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import g
from sqlalchemy import and_, bindparam, exists, false, literal
from sqlmodel import col, select

from app.extensions import db
from app.models import Brand, CrisisPeriod, ShiftState
from app.services import shifts


@dataclass(frozen=True)
class HeaderState:
    on_shift: bool  # on shift on at least one brand where the user works shifts
    crises: list[tuple[CrisisPeriod, Brand]]  # open periods, oldest first


def header_state() -> HeaderState:
    """The request's header state, read once (both header helpers ask for it)."""
    cached = g.get("_header_state")
    if cached is None:
        cached = g._header_state = _read()
    return cached


def shift_brand_ids() -> list[int]:
    """Brands where the user works shifts, from the request's memberships (no query)."""
    roles_by_brand = g.scope.roles_by_brand
    return sorted(b for b, roles in roles_by_brand.items() if shifts.SHIFT_ROLE in roles)


def _statement(with_shifts: bool) -> Any:
    """The header's statement; the user and the brands come as parameters."""
    on_shift = (
        exists().where(
            col(ShiftState.user_id) == bindparam("user_id"),
            col(ShiftState.on_shift).is_(True),
            col(ShiftState.brand_id).in_(bindparam("shift_brand_ids", expanding=True)),
        )
        if with_shifts
        else false()
    )
    # One row whatever the periods (an outer join from a one-row select), a period per row.
    one = select(literal(1).label("one")).subquery()
    return (
        select(on_shift.label("on_shift"), CrisisPeriod, Brand)
        .select_from(one)
        .outerjoin(
            CrisisPeriod,
            and_(
                col(CrisisPeriod.brand_id).in_(bindparam("brand_ids", expanding=True)),
                col(CrisisPeriod.ended_at).is_(None),
            ),
        )
        .outerjoin(Brand, col(Brand.id) == CrisisPeriod.brand_id)
        .order_by(col(CrisisPeriod.started_at))
    )


# Built once (every console page runs it): building this statement and its cache key cost
# about as much CPU as running it.
_STATEMENTS = {True: _statement(True), False: _statement(False)}


def _read() -> HeaderState:
    user = g.user
    shift_brands = shift_brand_ids() if "community_manager" in g.scope.all_roles else []
    params: dict[str, Any] = {"brand_ids": sorted(g.scope.roles_by_brand)}
    if shift_brands:
        params |= {"user_id": user.id, "shift_brand_ids": shift_brands}
    rows = db().exec(_STATEMENTS[bool(shift_brands)], params=params).all()
    return HeaderState(
        on_shift=bool(rows and rows[0][0]),
        crises=[(period, brand) for _, period, brand in rows if period is not None and brand],
    )
