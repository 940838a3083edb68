"""Real processes at once: two ingest processes cluster one wave into one cluster, and two CMs
starting the same wave reply get one reply per mention (run on PostgreSQL, SQLite too)."""

from __future__ import annotations

import multiprocessing
from collections import Counter
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlmodel import Session, col, select

from app.extensions import make_engine
from app.models import Brand, ConnectorAccount, Mention, MentionCluster, Reply, User, Wave
from app.services import ingest, triage, waves
from tests.app.cluster_samples import WAVE, fetched, ingest_texts, publish_playbook
from tests.factories import account_for, make_brand, make_user

pytestmark = pytest.mark.db
VARIANTS = [
    WAVE,
    f"RT @jeanne: {WAVE}",
    "le TER de 8h12 lyon grenoble encore supprime, cest inadmissibleee remboursez nous",
    f"@rail {WAVE} !!",
]


def _ingest_process(url: str, account_id: int, prefix: str, texts: list[str], barrier, out) -> None:
    engine = make_engine(url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            account = session.get(ConnectorAccount, account_id)
            ingest.store_mentions(
                session=session,
                account=account,
                items=[
                    replace(fetched(t, author=f"{prefix}{i}"), external_id=f"{prefix}-{i}")
                    for i, t in enumerate(texts)
                ],
            )
            session.commit()
            barrier.wait(timeout=30)
            triage.triage_pending(session=session, account_id=account_id)
            session.commit()
        out.put("ok")
    except Exception as exc:  # reported to the test
        out.put(repr(exc))
    finally:
        engine.dispose()


def _run(target, args_list) -> list[str]:
    ctx = multiprocessing.get_context("spawn")
    barrier, out = ctx.Barrier(len(args_list)), ctx.Queue()
    procs = [ctx.Process(target=target, args=(*args, barrier, out)) for args in args_list]
    for proc in procs:
        proc.start()
    results = [out.get(timeout=120) for _ in procs]
    for proc in procs:
        proc.join(timeout=60)
    return results


def test_two_ingest_processes_make_one_cluster_of_one_wave(engine, session, migrated):
    brand = make_brand(session, slug="rail")
    publish_playbook(session, brand)
    account = account_for(session, brand.id, "mastodon")
    session.commit()
    # Each process stores its half of the wave (one mention alone each before they meet).
    halves = [
        [VARIANTS[i % 4] for i in range(0, 20, 2)],
        [VARIANTS[i % 4] for i in range(1, 20, 2)],
    ]
    results = _run(
        _ingest_process, [(migrated, account.id, f"p{n}", half) for n, half in enumerate(halves)]
    )
    assert results == ["ok", "ok"]
    session.expire_all()
    clusters = session.exec(select(MentionCluster)).all()
    assert len(clusters) == 1
    ids = Counter(session.exec(select(Mention.cluster_id)).all())
    assert ids == Counter({clusters[0].id: 20})
    assert clusters[0].size == 20


def _wave_process(url: str, brand_id: int, user_id: int, mention_ids, barrier, out) -> None:
    engine = make_engine(url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            brand, user = session.get(Brand, brand_id), session.get(User, user_id)
            barrier.wait(timeout=30)
            try:
                waves.start(
                    session=session,
                    brand=brand,
                    actor=user,
                    mention_ids=mention_ids,
                    body="Bonjour, nous sommes désolés pour cette suppression.",
                )
                session.commit()
                started = "started"
            except waves.WaveError:
                session.rollback()
                started = "refused"
            # Both also run the worker's tick at once: each item becomes one reply.
            waves.advance(session=session, now=waves.utcnow() + timedelta(hours=1))
            session.commit()
        out.put(started)
    except Exception as exc:
        out.put(repr(exc))
    finally:
        engine.dispose()


def test_two_cms_starting_the_same_wave_reply_send_once_per_mention(engine, session, migrated):
    brand = make_brand(session, slug="rail")
    publish_playbook(session, brand)
    ingest_texts(session, brand, VARIANTS * 3)
    first, second = make_user(session, brand), make_user(session, brand)
    ids = list(session.exec(select(Mention.id).where(col(Mention.cluster_id).is_not(None))))
    assert len(ids) == 12
    results = _run(
        _wave_process,
        [(migrated, brand.id, first.id, ids), (migrated, brand.id, second.id, ids)],
    )
    assert sorted(results) == ["refused", "started"]
    session.expire_all()
    assert len(session.exec(select(Wave)).all()) == 1
    per_mention = Counter(session.exec(select(Reply.mention_id)).all())
    assert per_mention == Counter({i: 1 for i in ids})


def test_two_cms_stopping_one_wave_at_once_hold_each_reply_once(engine, session):
    from app.services import outbox_states  # noqa: F401  (the lifecycle the stop uses)
    from tests.races import race

    brand = make_brand(session, slug="rail")
    publish_playbook(session, brand)
    ingest_texts(session, brand, VARIANTS)
    first, second = make_user(session, brand), make_user(session, brand)
    ids = list(session.exec(select(Mention.id)))
    started = waves.utcnow()
    wave = waves.start(
        session=session,
        brand=brand,
        actor=first,
        mention_ids=ids,
        body="Bonjour, désolés.",
        now=started,
    )
    session.commit()
    # Three of the four released (two seconds apart on Mastodon), the last one still pending.
    waves.advance(session=session, now=started + timedelta(seconds=5))
    session.commit()

    def stopper(user_id):
        def run(s: Session, go):
            found, actor = s.get(Wave, wave.id), s.get(User, user_id)
            go()
            return waves.stop(session=s, wave=found, actor=actor)

        return run

    outcomes = race(engine, stopper(first.id), stopper(second.id))
    assert sorted((o if isinstance(o, int) else -1) for o in outcomes) == [-1, 3]
    session.expire_all()
    assert [r.outbox_state for r in session.exec(select(Reply)).all()] == ["draft"] * 3


def test_two_cms_confirming_the_same_person_link_at_once_record_it_once(engine, session):
    from app.models import AuditEvent, Person, PersonLink
    from app.services import person_links
    from tests.races import race

    brand = make_brand(session, slug="rail")
    a = Person(brand_id=brand.id, display_name="Jeanne Martin")
    b = Person(brand_id=brand.id, display_name="Jeanne Martin")
    session.add_all([a, b])
    session.commit()
    first, second = make_user(session, brand), make_user(session, brand)

    def confirm(user_id):
        def run(s: Session, go):
            pa, pb, actor = s.get(Person, a.id), s.get(Person, b.id), s.get(User, user_id)
            go()
            return person_links.decide(session=s, person=pa, other=pb, actor=actor, confirm=True)

        return run

    outcomes = race(engine, confirm(first.id), confirm(second.id))
    assert sum(isinstance(o, PersonLink) for o in outcomes) == 1
    session.expire_all()
    assert len(session.exec(select(PersonLink)).all()) == 1
    linked = session.exec(select(AuditEvent).where(AuditEvent.action == "person.linked")).all()
    assert len(linked) == 1
