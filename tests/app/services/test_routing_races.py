"""Routers running at once (several workers, a shift switch, a lead's rebalance) on PostgreSQL:
each case is assigned once and no CM goes past their cap."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlmodel import Session, select

from app.models import AuditEvent, Brand, Case
from app.services import claims, routing, routing_profiles, shifts
from tests.factories import make_brand, make_case, make_user
from tests.races import race

pytestmark = pytest.mark.db


def _routed_brand(session, cms=3, cap=8):
    brand = make_brand(session)
    brand.settings = {"routing_enabled": True}
    session.add(brand)
    make_user(session, brand, "lead")
    team = []
    for _ in range(cms):
        user = make_user(session, brand)
        routing_profiles.save_profile(
            session=session, brand_id=brand.id, user=user, actor=user, form={"max_open": str(cap)}
        )
        shifts.set_on_shift(session=session, user=user, on_shift=True)
        team.append(user)
    session.commit()
    return brand, team


def _router(brand_id):
    def run(session: Session, go):
        go()
        brand = session.get(Brand, brand_id)
        return routing.route_brand(session=session, brand=brand).assigned

    return run


def test_four_routers_at_once_assign_each_case_once_and_hold_caps(engine, session):
    brand, team = _routed_brand(session)
    cases = [make_case(session, brand, severity="S1") for _ in range(30)]
    outcomes = race(engine, *[_router(brand.id) for _ in range(4)])
    assert all(isinstance(o, int) for o in outcomes), outcomes
    assert sum(outcomes) == 24  # 3 CMs x cap 8; the other routers found nothing left
    session.expire_all()
    owners = Counter(session.get(Case, c.id).assignee_id for c in cases)
    assert owners == Counter({team[0].id: 8, team[1].id: 8, team[2].id: 8, None: 6})
    routed = session.exec(select(AuditEvent.case_id).where(AuditEvent.action == "case.routed"))
    assert sorted(Counter(routed.all()).values()) == [1] * 24
    told = session.exec(select(AuditEvent.case_id).where(AuditEvent.action == "case.unrouted"))
    assert sorted(Counter(told.all()).values()) == [1] * 6


def test_a_cm_claiming_by_hand_while_routing_runs_keeps_the_case(engine, session):
    brand, team = _routed_brand(session, cms=1)
    grabber = make_user(session, brand)
    case = make_case(session, brand)

    def grab(session: Session, go):
        go()
        return claims.claim(session=session, case=session.get(Case, case.id), actor=grabber)

    outcomes = race(engine, _router(brand.id), grab)
    session.expire_all()
    holder = session.get(Case, case.id).assignee_id
    if outcomes[0] == 1:  # routing went first: the claim was refused
        assert holder == team[0].id and isinstance(outcomes[1], claims.ClaimConflict)
    else:  # the claim went first: routing left the case alone
        assert holder == grabber.id and outcomes[0] == 0
