"""Routing: who gets a new case (caps, skills, seniority, shifts), and who is told otherwise."""

from __future__ import annotations

import pytest
from sqlmodel import select

from app.models import AuditEvent, Case, Notification
from app.services import routing, routing_profiles, shifts
from playbooks import load_playbook
from tests.factories import make_brand, make_case, make_user

ROUTE_PLAYBOOK = """\
format: 1
scenarios:
  - id: retard
    label: Retard
    severity: S2
    when: {keywords: [retard]}
  - id: remboursement
    label: Remboursement
    severity: S2
    when: {keywords: [rembourser]}
route:
  - id: conflits
    severities: [S3, S4]
    seniority: rapid
  - id: remboursements
    scenarios: [remboursement]
    skill: remboursement
"""


def _brand(session, routing_on=True):
    brand = make_brand(session)
    brand.settings = {**(brand.settings or {}), "routing_enabled": routing_on}
    session.add(brand)
    session.commit()
    return brand


def _cm(session, brand, on_shift=True, **form):
    user = make_user(session, brand)
    if form:
        routing_profiles.save_profile(
            session=session, brand_id=brand.id, user=user, actor=user, form=form
        )
    if on_shift:
        shifts.set_on_shift(session=session, user=user, on_shift=True)
    session.commit()
    return user


def _route(session, brand):
    outcome = routing.route_brand(session=session, brand=brand)
    session.commit()
    return outcome


def _assignee(session, case):
    session.refresh(case)
    return case.assignee_id


def test_new_cases_go_to_the_lightest_cm_on_shift_and_never_past_their_cap(session):
    brand = _brand(session)
    alice = _cm(session, brand, max_open="2")
    bob = _cm(session, brand, max_open="1")
    _cm(session, brand, on_shift=False)  # off shift: never chosen
    cases = [make_case(session, brand, severity="S1") for _ in range(5)]
    outcome = _route(session, brand)
    owners = [_assignee(session, c) for c in cases]
    assert outcome.assigned == 3
    assert owners.count(alice.id) == 2 and owners.count(bob.id) == 1
    assert owners.count(None) == 2


def test_severity_weighs_the_load(session):
    brand = _brand(session)
    alice = _cm(session, brand)
    bob = _cm(session, brand)
    first = make_case(session, brand, severity="S3", priority=100)
    _route(session, brand)
    assert _assignee(session, first) == alice.id  # tie broken by id
    # Alice carries an S3 (weight 3): the next two S1 cases both go to Bob.
    a, b = make_case(session, brand, severity="S1"), make_case(session, brand, severity="S1")
    _route(session, brand)
    assert {_assignee(session, a), _assignee(session, b)} == {bob.id}


def test_playbook_route_rules_pick_skill_and_seniority_and_languages_hold(session):
    brand = _brand(session)
    junior = _cm(session, brand, seniority="junior", languages="fr")
    rapid = _cm(session, brand, seniority="rapid", languages="fr en")
    refund = _cm(session, brand, seniority="junior", skills="remboursement")
    playbook = load_playbook(ROUTE_PLAYBOOK)
    conflict = make_case(session, brand, severity="S3", scenario="insulte")
    money = make_case(session, brand, severity="S1", scenario="remboursement")
    english = make_case(session, brand, severity="S1", scenario="retard", language="en")
    for case, expected in ((conflict, rapid), (money, refund), (english, rapid)):
        need = routing.need_for(playbook, case)
        team = routing_profiles.profiles(
            session=session, brand_id=brand.id, user_ids=[junior.id, rapid.id, refund.id]
        )
        chosen = routing.choose(team.values(), {}, case, need)
        assert chosen is not None and chosen.user_id == expected.id
    assert routing.need_for(playbook, conflict).rule_id == "conflits"


def test_nobody_on_shift_leaves_the_case_unassigned_and_tells_the_leads_once(session):
    brand = _brand(session)
    lead = make_user(session, brand, role="lead")
    _cm(session, brand, on_shift=False)
    case = make_case(session, brand)
    assert _route(session, brand).unrouted == [case.id]
    _route(session, brand)  # the next pass does not tell again
    assert _assignee(session, case) is None
    bell = session.exec(select(Notification).where(Notification.user_id == lead.id)).all()
    assert [n.kind for n in bell] == ["routing_unassigned"]
    assert "1 cas" in bell[0].text


def test_a_cm_going_off_shift_hands_their_cases_to_a_colleague(session):
    brand = _brand(session)
    alice = _cm(session, brand)
    case = make_case(session, brand)
    _route(session, brand)
    assert _assignee(session, case) == alice.id
    bob = _cm(session, brand)
    shifts.set_on_shift(session=session, user=alice, on_shift=False)
    outcome = _route(session, brand)
    assert outcome.freed == 1 and _assignee(session, case) == bob.id
    actions = session.exec(select(AuditEvent.action).where(AuditEvent.case_id == case.id)).all()
    assert "case.unassigned_off_shift" in actions and actions.count("case.routed") == 2


def test_routing_off_leaves_cases_alone_and_closed_cases_are_never_routed(session):
    brand = _brand(session, routing_on=False)
    _cm(session, brand)
    case = make_case(session, brand)
    assert _route(session, brand).assigned == 0 and _assignee(session, case) is None
    brand.settings = {"routing_enabled": True}
    session.add(brand)
    session.commit()
    session.execute(Case.__table__.update().values(status="closed"))
    session.commit()
    assert _route(session, brand).assigned == 0


def test_rebalance_moves_cases_from_the_busiest_cm(session):
    brand = _brand(session)
    alice = _cm(session, brand)
    cases = [make_case(session, brand, severity="S1") for _ in range(4)]
    _route(session, brand)
    assert {_assignee(session, c) for c in cases} == {alice.id}
    bob = _cm(session, brand)
    moved = routing.rebalance(session=session, brand=brand, actor=alice)
    session.commit()
    owners = [_assignee(session, c) for c in cases]
    assert moved == 2 and owners.count(bob.id) == 2 and owners.count(alice.id) == 2


def test_profile_form_refuses_nonsense():
    for bad in ("mon 25:00-26:00", "xyz 08:00-10:00", "mon 10:00-09:00"):
        with pytest.raises(routing_profiles.ProfileError):
            routing_profiles.parse_schedule(bad)
    assert routing_profiles.parse_schedule("tue 08:00-12:00; mon 09:00-17:00") == {
        "mon": ["09:00", "17:00"],
        "tue": ["08:00", "12:00"],
    }


def test_a_case_claimed_by_hand_off_shift_stays_with_its_cm(session):
    from app.services import claims

    brand = _brand(session)
    _cm(session, brand)
    resting = _cm(session, brand, on_shift=False)
    shifts.set_on_shift(session=session, user=resting, on_shift=True)
    shifts.set_on_shift(session=session, user=resting, on_shift=False)
    session.commit()
    case = make_case(session, brand)
    claims.claim(session=session, case=case, actor=resting)
    session.commit()
    assert _route(session, brand).freed == 0 and _assignee(session, case) == resting.id


def test_weekly_schedules_start_and_end_shifts_and_a_manual_end_wins(session):
    from datetime import UTC, datetime

    brand = _brand(session)
    alice = _cm(session, brand, on_shift=False, schedule="mon 08:00-16:00")
    case = make_case(session, brand)
    monday_9_paris = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    routing.route_brand(session=session, brand=brand, now=monday_9_paris)
    session.commit()
    assert shifts.on_shift_user_ids(session=session, brand_id=brand.id) == [alice.id]
    assert _assignee(session, case) == alice.id
    shifts.set_on_shift(
        session=session, user=alice, on_shift=False, now=monday_9_paris.replace(hour=9)
    )
    routing.route_brand(session=session, brand=brand, now=monday_9_paris.replace(hour=10))
    session.commit()
    assert shifts.on_shift_user_ids(session=session, brand_id=brand.id) == []
    shifts.set_on_shift(
        session=session, user=alice, on_shift=True, now=monday_9_paris.replace(hour=11)
    )
    routing.route_brand(session=session, brand=brand, now=monday_9_paris.replace(hour=15, minute=5))
    session.commit()
    assert shifts.on_shift_user_ids(session=session, brand_id=brand.id) == []  # 16:05 in Paris
