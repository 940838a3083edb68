"""One brand's writes wake that brand's queue polls only (app/services/queue_changes.py): its
ingest (clustering included), outbox, triage failures, account holds, person merges and alert
acknowledgements bump its own change counter, never another brand's, so the other brand's CMs'
10 s poll stays a 204 read from their counter alone, their rows neither read nor made again (a
re-read of the same rows is a 204 too: the reads are what a needless bump costs)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlmodel import select

from app.models import Brand, Case, Escalation, Mention, Person, Reply, utcnow
from app.services import account_holds, alerts, outbox_states, person_links, queue_changes, triage
from app.worker import outbox
from app.worker.runner import run_once
from tests.app.cluster_samples import WAVE, ingest_texts, publish_playbook
from tests.app.views.test_queue_poll_changes import FAR, Queue
from tests.app.views.test_statement_counts import statements
from tests.conftest import login
from tests.factories import make_brand, make_case, make_user

pytestmark = pytest.mark.db


@pytest.fixture
def shop(session) -> Brand:
    return make_brand(session, slug="shop", name="Boutique")


@pytest.fixture
def watched(client, session, shop) -> Queue:
    """The open queue of a CM of the other brand, who only watches it."""
    make_case(session, shop, "Colis jamais livré", due_in=FAR)
    make_user(session, shop, role="community_manager", email="shop-cm@example.test")
    login(client, "shop-cm@example.test")
    shown = Queue(client)
    assert shown.poll() == 204
    return shown


def _queued_reply(session, brand: Brand, worker, fake_mastodon) -> Reply:
    """A reply queued on the answer to a mention the worker just polled."""
    fake_mastodon.add_mention("ma commande n'est pas arrivée", acct="jean@piaille.fr")
    worker.poll_due()
    mention = session.exec(select(Mention).where(Mention.brand_id == brand.id)).one()
    reply = Reply(
        brand_id=brand.id,
        case_id=mention.case_id,
        mention_id=mention.id,
        text="Bonjour, nous regardons cela.",
        outbox_state="queued",
        idempotency_key=uuid.uuid4().hex,
    )
    session.add(reply)
    session.commit()
    return reply


def asleep(shown: Queue, engine) -> bool:
    """The poll answered 204 from the counters alone: no case read, no row made again."""
    with statements(engine) as seen:
        status = shown.poll()
    return status == 204 and not [s for s in seen if re.search(r"\bcases\b", s)]


@contextmanager
def bumps(session, *brands: Brand) -> Iterator[list[int]]:
    """How much each brand's counter moved over the block (committed writes)."""
    ids = [b.id for b in brands]
    session.commit()
    before = dict(queue_changes.counters(session, ids))  # type: ignore[arg-type]
    moved: list[int] = []
    yield moved
    session.commit()
    after = dict(queue_changes.counters(session, ids))  # type: ignore[arg-type]
    moved.extend(after[i] - before[i] for i in ids)  # type: ignore[index]


def test_ingest_and_clustering_wake_their_brand_only(app, session, brand, shop, watched, engine):
    publish_playbook(session, brand)
    make_user(session, brand, role="community_manager", email="acme-cm@example.test")
    own = app.test_client()
    login(own, "acme-cm@example.test")
    ingest_texts(session, brand, [WAVE, "Bonjour, à quelle heure part le premier train ?"])
    working = Queue(own)
    with bumps(session, brand, shop) as moved:
        # The wave grows across batches: clusters grown, mentions marked, cases folded.
        ingest_texts(session, brand, [f"RT @jeanne: {WAVE}", WAVE])
        ingest_texts(session, brand, [f"@SNCF {WAVE} !!!"])
    assert moved[0] >= 1 and moved[1] == 0
    assert session.exec(select(Mention).where(Mention.cluster_id.is_not(None))).first()  # type: ignore[union-attr]
    assert asleep(watched, engine)
    assert working.poll() == 200


def test_the_outbox_wakes_the_replys_brand_only(
    session, account, brand, shop, worker, fake_mastodon, watched, engine
):
    reply = _queued_reply(session, brand, worker, fake_mastodon)
    with bumps(session, brand, shop) as moved:
        assert worker.send_outbox().sent == 1  # claimed, posted, marked sent
    assert moved[0] >= 1 and moved[1] == 0
    assert asleep(watched, engine)
    session.expire_all()
    assert session.get(Reply, reply.id).outbox_state == "sent"  # type: ignore[union-attr]


def test_a_claim_or_a_paced_or_released_send_time_wakes_no_brand(
    session, account, brand, shop, worker, fake_mastodon, watched, engine
):
    """queued → sending and when a queued reply goes next change no queue row (both states
    count as sent on the queue): nobody's poll wakes."""
    reply = _queued_reply(session, brand, worker, fake_mastodon)
    with bumps(session, brand, shop) as moved:
        reply.next_attempt_at = utcnow() + timedelta(hours=1)  # an ORM write: its brand only
        session.add(reply)
    assert moved == [1, 0]
    with bumps(session, brand, shop) as moved:
        assert account_holds.release(session, account, utcnow()) == 1
    assert moved == [0, 0]
    with bumps(session, brand, shop) as moved:
        assert outbox._claim(session, reply.id, "worker-1", utcnow())  # type: ignore[arg-type]
    assert moved == [0, 0]
    assert asleep(watched, engine)


def test_a_reply_held_back_for_approval_wakes_its_brand_only(
    session, account, brand, shop, worker, fake_mastodon, watched, engine
):
    reply = _queued_reply(session, brand, worker, fake_mastodon)
    with bumps(session, brand, shop) as moved:
        held = outbox_states.hold_back(
            session=session, reply=reply, expected="queued", approver_role="lead"
        )
    assert held and moved == [1, 0]
    assert asleep(watched, engine)


def test_a_triage_failure_wakes_its_brand_only(
    session, account, brand, shop, worker, fake_mastodon, watched, engine, monkeypatch
):
    def decide(**kwargs):
        raise ValueError("evidence cannot be built")

    monkeypatch.setattr(triage, "decide", decide)
    fake_mastodon.add_mention("ma commande n'est pas arrivée", acct="jean@piaille.fr")
    with bumps(session, brand, shop) as moved:
        worker.poll_due()  # stored, then its triage fails and is counted
        worker.triage_backlog()
    assert moved[0] >= 1 and moved[1] == 0
    states = select(Mention.state).where(Mention.brand_id == brand.id)
    assert session.exec(states).all() == ["triage_failed"]
    assert asleep(watched, engine)


def test_a_person_merge_wakes_its_brand_only(session, brand, shop, watched, engine):
    cm = make_user(session, brand, email="acme-cm@example.test")
    first = make_case(session, brand, "Mon colis est perdu", person_name="Jeanne Martin")
    second = make_case(session, brand, "Toujours rien", person_name="J. Martin")
    person, other = session.get(Person, first.person_id), session.get(Person, second.person_id)
    with bumps(session, brand, shop) as moved:
        person_links.decide(session=session, person=person, other=other, actor=cm, confirm=True)
    assert moved == [1, 0]
    session.expire_all()
    assert session.get(Case, second.id).person_id == person.id  # type: ignore[union-attr]
    assert asleep(watched, engine)


def test_an_acknowledged_alert_wakes_its_brand_only(session, brand, shop, watched, engine):
    case = make_case(session, brand, "Menace de procès", severity="S4")
    escalation = Escalation(
        brand_id=brand.id, case_id=case.id, reason="Avis juridique", urgency="urgent"
    )
    session.add(escalation)
    with bumps(session, brand, shop) as moved:
        assert alerts.acknowledge(session=session, escalation=escalation, actor=None, via="mail")
    assert moved == [1, 0]
    assert asleep(watched, engine)


def test_a_worker_round_wakes_the_brands_it_changed_only(
    app, session, account, brand, shop, fake_mastodon, watched, engine
):
    """Every scheduled job once (polling, triage, outbox, clocks, routing, answers, crisis,
    reports…): one brand's overdue case is marked breached and its expired claim released;
    the other brand sleeps."""
    late = make_case(session, brand, "Toujours pas de réponse", due_in=-timedelta(minutes=5))
    cm = make_user(session, brand, email="acme-cm@example.test")
    late.assignee_id, late.claim_expires_at = cm.id, utcnow() - timedelta(minutes=1)
    session.add(late)
    with bumps(session, brand, shop) as moved:
        run_once(app)  # the expired claim released: the row shows nobody holds it
    assert moved[0] >= 1 and moved[1] == 0
    session.expire_all()
    assert session.get(Case, late.id).sla_breached_at is not None  # type: ignore[union-attr]
    assert asleep(watched, engine)


def test_the_workers_breach_marks_hiding_syncs_and_alert_reminders_wake_no_brand(
    session, brand, shop, watched, engine
):
    """What the worker writes every few minutes on its own, and no queue row shows."""
    case = make_case(session, brand, "Menace de procès", severity="S4")
    mention = session.exec(select(Mention).where(Mention.case_id == case.id)).first()
    escalation = Escalation(brand_id=brand.id, case_id=case.id, reason="Avis", urgency="urgent")
    session.add(escalation)
    with bumps(session, brand, shop) as moved:
        mention.hide_state, mention.hide_error = "done", None  # type: ignore[union-attr]
        escalation.reminder_count, escalation.last_reminded_at = 1, utcnow()
        escalation.ack_token_hash = "0" * 64
        case.sla_breached_at = utcnow()  # the row's colour comes from due_at and the clock
        session.add_all([mention, escalation, case])
    assert moved == [0, 0]
    assert asleep(watched, engine)
