"""Storm watch and crisis mode under concurrency (run on PostgreSQL): two ingest processes in
one storm raise one alert per cooldown and lose no count; two leads switching crisis mode on at
once make one crisis."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from app import demo_storm
from app.demo_crisis import install_crisis_playbook
from app.models import (
    AuditEvent,
    Brand,
    CrisisPeriod,
    Notification,
    SpikeAlert,
    SpikeRollup,
    User,
    utcnow,
)
from app.services import content, crisis, spikes
from tests.factories import account_for, make_brand, make_user
from tests.races import race

pytestmark = pytest.mark.db


@pytest.fixture
def rail(session):
    brand = make_brand(session, slug="demo-rail", name="Ferlis")
    content.install_shipped_content(session=session, brand=brand)
    account_for(session, brand.id)
    make_user(session, brand, "lead")
    make_user(session, brand, "brand_owner")
    session.commit()
    return brand


def _ingester(brand_id: int, count: int):
    def run(session: Session, go):
        brand = session.get(Brand, brand_id)
        now = utcnow()
        items = demo_storm.storm_mentions(
            brand, count, start=now - timedelta(minutes=2), spread=timedelta(minutes=2)
        )
        go()
        return demo_storm.inject(session=session, brand=brand, items=items, audit_it=False)

    return run


def test_two_ingest_processes_in_one_storm_raise_one_alert(engine, session, rail):
    outcomes = race(engine, *[_ingester(rail.id, 30) for _ in range(3)])
    assert all(o.stored == 30 for o in outcomes), outcomes
    session.expire_all()
    assert len(session.exec(select(SpikeAlert)).all()) == 1
    assert len(session.exec(select(Notification).where(Notification.kind == "spike")).all()) == 2
    rows = session.exec(
        select(SpikeRollup).where(SpikeRollup.brand_id == rail.id, SpikeRollup.dim == "all")
    ).all()
    assert sum(r.total for r in rows) == 90


def test_concurrent_rollup_upserts_lose_no_count(engine, session, rail):
    bucket = int(utcnow().timestamp() // 600)

    def adder(session: Session, go):
        go()
        counts = {("all", "", bucket): [5, 1, 2], ("channel", "x", bucket): [5, 1, 2]}
        spikes.add_counts(session, rail.id, counts)

    race(engine, *[adder for _ in range(6)])
    session.expire_all()
    row = session.exec(
        select(SpikeRollup).where(SpikeRollup.dim == "all", SpikeRollup.bucket == bucket)
    ).one()
    assert (row.total, row.severe, row.negative) == (30, 6, 12)


def test_the_cooldown_slot_is_taken_once(engine, session, rail):
    now = utcnow()

    def claimer(session: Session, go):
        go()
        return spikes._claim_cooldown(session, rail.id, now, 60)

    outcomes = race(engine, *[claimer for _ in range(6)])
    assert sorted(outcomes) == [False] * 5 + [True]


def test_two_leads_switching_crisis_on_at_once_make_one_crisis(engine, session, rail):
    install_crisis_playbook(session=session, brand=rail)
    session.commit()
    leads = [make_user(session, rail, "lead") for _ in range(2)]

    def switcher(user_id: int):
        def run(session: Session, go):
            brand = session.get(Brand, rail.id)
            actor = session.get(User, user_id)
            go()
            return crisis.start(session=session, brand=brand, actor=actor, reason="Grève")

        return run

    outcomes = race(engine, *[switcher(u.id) for u in leads])
    assert sum(isinstance(o, crisis.CrisisError) for o in outcomes) == 1
    session.expire_all()
    assert len(session.exec(select(CrisisPeriod)).all()) == 1


def test_ending_by_hand_while_the_worker_ends_it_ends_it_once(engine, session, rail):
    install_crisis_playbook(session=session, brand=rail)
    lead = make_user(session, rail, "lead")
    period = crisis.start(session=session, brand=rail, actor=lead, reason="Grève", hours=1)
    session.commit()

    def by_hand(session: Session, go):
        found = session.get(CrisisPeriod, period.id)
        actor = session.get(User, lead.id)
        go()
        return crisis.stop(session=session, period=found, actor=actor)

    def by_worker(session: Session, go):
        go()
        return crisis.end_due(session=session, now=utcnow() + timedelta(hours=2))

    outcomes = race(engine, by_hand, by_worker)
    assert sorted([int(o) for o in outcomes]) == [0, 1], outcomes
    session.expire_all()
    ended = session.exec(
        select(AuditEvent).where(AuditEvent.action.in_(["crisis.ended", "crisis.expired"]))
    ).all()
    assert len(ended) == 1


def test_a_lead_moving_the_end_while_the_worker_ends_it_gives_one_outcome(engine, session, rail):
    """The worker ends the crisis at its old time while a lead pushes the end later: either
    the crisis ended (and the lead is told) or it goes on to the new end (the worker left it);
    never ended with a new planned end, nor audited both ways."""
    install_crisis_playbook(session=session, brand=rail)
    lead = make_user(session, rail, "lead")
    for _ in range(3):  # a few rounds: either order may win
        period = crisis.start(session=session, brand=rail, actor=lead, reason="Grève", hours=1)
        session.commit()
        due = utcnow() + timedelta(hours=2)

        def by_lead(session: Session, go, period_id=period.id):
            found = session.get(CrisisPeriod, period_id)
            actor = session.get(User, lead.id)
            go()
            crisis.set_end(session=session, period=found, actor=actor, hours=12)
            return "moved"

        def by_worker(session: Session, go, due=due):
            go()
            return crisis.end_due(session=session, now=due)

        moved, ended = race(engine, by_lead, by_worker)
        session.expire_all()
        row = session.get(CrisisPeriod, period.id)
        audited = {
            e.action
            for e in session.exec(select(AuditEvent).where(AuditEvent.target_id == period.id))
            if e.action in ("crisis.expired", "crisis.end_changed")
        }
        if ended == 1:
            assert isinstance(moved, crisis.CrisisError), moved
            assert row.ended_at is not None and audited == {"crisis.expired"}
            assert row.ends_at is not None and row.ends_at < due
        else:
            assert moved == "moved" and ended == 0
            assert row.ended_at is None and audited == {"crisis.end_changed"}
            assert row.ends_at > due
            crisis.stop(session=session, period=row, actor=None)
            session.commit()
