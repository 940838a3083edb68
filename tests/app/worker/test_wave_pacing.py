"""Waves through one account share the platform's pace (issue 16): two waves at once, a wave
beside the team's own replies, and an S3 of a wave approved later all go out spaced by the
account's pace, even with two workers sending at the same moments (run on PostgreSQL)."""

from __future__ import annotations

import itertools
import threading
import uuid
from datetime import timedelta

import pytest
from sqlmodel import col, select

from app.models import Case, Mention, Reply, WaveItem, utcnow
from app.security.access import BrandScope
from app.services import approvals, send_pace, waves
from app.worker.runner import Worker
from tests.factories import make_user

pytestmark = pytest.mark.db
PACE = send_pace.pace("mastodon")


def _mentions(session, worker, fake, n):
    for i in range(n):
        fake.add_mention(f"Ma commande n° {i} n'est toujours pas arrivée", acct=f"u{i}@piaille.fr")
    worker.poll_due()
    return list(session.exec(select(Mention).order_by(col(Mention.id))).all())


def _wave(session, brand, cm, mentions, now):
    wave = waves.start(
        session=session,
        brand=brand,
        actor=cm,
        mention_ids=[m.id for m in mentions],
        body="Bonjour, nous regardons votre commande.",
        now=now,
    )
    session.commit()
    return wave


def _tick(workers, now):
    """Each worker sends at the same moment, in its own thread (as separate processes do)."""
    barrier = threading.Barrier(len(workers), timeout=30)

    def run(worker):
        barrier.wait()
        worker.send_outbox(now=now)

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads)


def _sent_times(session):
    session.expire_all()
    return sorted(
        r.sent_at for r in session.exec(select(Reply).where(Reply.outbox_state == "sent"))
    )


def _spaced(times):
    return all(b - a >= PACE for a, b in itertools.pairwise(times))


def test_two_waves_on_one_account_with_two_workers_keep_the_platform_pace(
    app, session, brand, account, worker, fake_mastodon
):
    mentions = _mentions(session, worker, fake_mastodon, 8)
    cm = make_user(session, brand, "community_manager")
    start = utcnow()
    _wave(session, brand, cm, mentions[:4], start)
    _wave(session, brand, cm, mentions[4:], start)
    workers = [Worker(app), Worker(app)]
    for second in range(0, 40):
        now = start + timedelta(seconds=second)
        worker.release_waves(now=now)
        _tick(workers, now)
    times = _sent_times(session)
    assert len(times) == 8 and len(fake_mastodon.posted) == 8  # each reply posted once
    assert _spaced(times), [t.isoformat() for t in times]
    # Both waves went out together at the account's pace: 8 replies take 7 paces, not 3.
    assert times[-1] - times[0] >= 7 * PACE


def test_the_teams_own_reply_goes_at_once_and_the_wave_waits_after_it(
    session, brand, account, worker, fake_mastodon
):
    mentions = _mentions(session, worker, fake_mastodon, 3)
    cm = make_user(session, brand, "community_manager")
    start = utcnow()
    own = Reply(
        brand_id=brand.id,
        case_id=mentions[0].case_id,
        mention_id=mentions[0].id,
        text="Bonjour, c'est noté.",
        outbox_state="queued",
        next_attempt_at=start,
        idempotency_key=uuid.uuid4().hex,
    )
    session.add(own)
    session.commit()
    assert worker.send_outbox(now=start).sent == 1  # a person's reply is never held back
    _wave(session, brand, cm, mentions[1:], start)
    worker.release_waves(now=start)
    outcome = worker.send_outbox(now=start + timedelta(seconds=1))
    assert (outcome.sent, outcome.paced) == (0, 1)
    for second in range(2, 10):
        now = start + timedelta(seconds=second)
        worker.release_waves(now=now)
        worker.send_outbox(now=now)
    times = _sent_times(session)
    assert len(times) == 3 and times[0] == start and _spaced(times)


def test_an_s3_of_the_wave_approved_later_waits_for_the_pace(
    session, brand, account, worker, fake_mastodon
):
    mentions = _mentions(session, worker, fake_mastodon, 3)
    cm = make_user(session, brand, "community_manager")
    lead = make_user(session, brand, "lead")
    s3 = session.get(Case, mentions[0].case_id)
    s3.severity, s3.action, s3.approver = "S3", "reply_with_approval", "lead"
    session.add(s3)
    session.commit()
    start = utcnow()
    _wave(session, brand, cm, mentions, start)
    for second in range(0, 6):
        now = start + timedelta(seconds=second)
        worker.release_waves(now=now)
        worker.send_outbox(now=now)
    session.expire_all()
    held = session.exec(select(Reply).where(Reply.case_id == s3.id)).one()
    assert held.approval_state == "pending" and held.outbox_state == "draft"
    last_sent = _sent_times(session)[-1]
    assert len(_sent_times(session)) == 2
    # The lead approves it just after the wave's last reply went out.
    approved_at = last_sent + timedelta(milliseconds=500)
    scope = BrandScope(lead.id, {brand.id: frozenset({"lead"})})
    approvals.approve(session=session, reply=held, actor=lead, scope=scope, now=approved_at)
    session.commit()
    assert held.outbox_state == "queued"
    outcome = worker.send_outbox(now=approved_at)
    assert (outcome.sent, outcome.paced) == (0, 1)  # not at once: the account's pace first
    session.expire_all()
    assert session.get(Reply, held.id).next_attempt_at == last_sent + PACE
    assert worker.send_outbox(now=last_sent + PACE).sent == 1
    times = _sent_times(session)
    assert len(times) == 3 and _spaced(times)
    assert session.exec(select(WaveItem).where(WaveItem.reply_id == held.id)).one()


def test_a_backlog_of_a_wave_goes_out_one_slot_at_a_time(
    session, brand, account, worker, fake_mastodon
):
    """The worker was down (or the wave resumed): every reply is due at once; one goes now,
    the others wait for the account's next slot, then one per slot."""
    mentions = _mentions(session, worker, fake_mastodon, 5)
    cm = make_user(session, brand, "community_manager")
    start = utcnow()
    _wave(session, brand, cm, mentions, start)
    late = start + timedelta(minutes=10)
    worker.release_waves(now=late)
    outcome = worker.send_outbox(now=late)
    assert (outcome.sent, outcome.paced) == (1, 4)
    session.expire_all()
    waiting = session.exec(select(Reply).where(Reply.outbox_state == "queued")).all()
    assert {r.next_attempt_at for r in waiting} == {late + PACE}
    assert worker.send_outbox(now=late + PACE / 2).sent == 0  # nothing due before the slot
    for step in range(1, 5):
        assert worker.send_outbox(now=late + step * PACE).sent == 1
    times = _sent_times(session)
    assert len(times) == 5 and _spaced(times)
