"""The outbox posts each reply at most once, retries failures and shows them."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta

import pytest
from sqlmodel import select

from app.models import AuditEvent, Case, Mention, Reply, utcnow
from app.services import worker_errors
from app.worker.runner import Worker
from tests.connectors.fake_core import COMMIT_THEN_STALL, CONNECT_ERROR, TIMEOUT
from tests.connectors.fakes import FakeResponse

pytestmark = pytest.mark.db


def _queued_reply(session, worker, fake_mastodon, text="Bonjour, nous regardons cela."):
    fake_mastodon.add_mention("ma commande n'est pas arrivée", acct="jean@piaille.fr")
    worker.poll_due()
    mention = session.exec(select(Mention)).one()
    reply = Reply(
        brand_id=mention.brand_id,
        case_id=mention.case_id,
        mention_id=mention.id,
        text=text,
        outbox_state="queued",
        idempotency_key=uuid.uuid4().hex,
    )
    session.add(reply)
    session.commit()
    return reply


def test_a_queued_reply_is_posted_once_and_the_case_records_it(
    session, account, worker, fake_mastodon
):
    reply = _queued_reply(session, worker, fake_mastodon)
    outcome = worker.send_outbox()
    assert outcome.sent == 1
    assert len(fake_mastodon.posted) == 1
    posted = fake_mastodon.posted[0]
    assert "@jean@piaille.fr" in posted["content"] or "jean@piaille.fr" in str(posted)
    session.expire_all()
    reply = session.get(Reply, reply.id)
    assert reply.outbox_state == "sent" and reply.external_id
    assert session.get(Case, reply.case_id).first_response_at is not None
    assert worker.send_outbox().sent == 0
    assert len(fake_mastodon.posted) == 1


def test_two_workers_racing_post_once(app, session, account, worker, fake_mastodon):
    _queued_reply(session, worker, fake_mastodon)
    workers = [Worker(app) for _ in range(4)]
    barrier = threading.Barrier(len(workers))

    def run(w):
        barrier.wait()
        w.send_outbox()

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(fake_mastodon.posted) == 1


def test_a_failed_send_is_retried_with_backoff_and_shown(session, account, worker, fake_mastodon):
    reply = _queued_reply(session, worker, fake_mastodon)
    # Refused before anything reached the instance: safe to retry.
    fake_mastodon.inject(r"/api/v1/statuses", CONNECT_ERROR, method="POST")
    assert worker.send_outbox().retried == 1
    session.expire_all()
    reply = session.get(Reply, reply.id)
    assert reply.outbox_state == "queued" and reply.attempts == 1
    assert reply.last_error and reply.next_attempt_at > utcnow()
    assert fake_mastodon.posted == []
    reply.next_attempt_at = utcnow()
    session.add(reply)
    session.commit()
    assert worker.send_outbox().sent == 1
    assert len(fake_mastodon.posted) == 1
    actions = session.exec(
        select(AuditEvent.action).where(AuditEvent.case_id == reply.case_id)
    ).all()
    assert "reply.send_retry" in actions and "reply.sent" in actions


def _make_due(session, reply_id):
    session.expire_all()
    reply = session.get(Reply, reply_id)
    reply.next_attempt_at = utcnow()
    session.add(reply)
    session.commit()
    return reply


def test_a_5xx_to_the_post_is_checked_on_the_platform_before_any_retry(
    session, account, worker, fake_mastodon
):
    reply = _queued_reply(session, worker, fake_mastodon)
    fake_mastodon.inject(
        r"/api/v1/statuses", FakeResponse.json({"error": "oops"}, 502), method="POST"
    )
    assert worker.send_outbox().unknown == 1
    session.expire_all()
    reply = session.get(Reply, reply.id)
    assert reply.outbox_state == "unknown" and reply.next_attempt_at > utcnow()
    assert worker.send_outbox().sent == 0  # the check waits a little
    _make_due(session, reply.id)
    # The instance answers for sure that it is not there: queued again, with back-off.
    assert worker.send_outbox().retried == 1
    assert len(fake_mastodon.requests_to(r"/context$")) == 1
    reply = _make_due(session, reply.id)
    assert reply.outbox_state == "queued"
    assert worker.send_outbox().sent == 1
    assert len(fake_mastodon.posted) == 1
    actions = session.exec(
        select(AuditEvent.action).where(AuditEvent.case_id == reply.case_id)
    ).all()
    assert "reply.outcome_unknown" in actions and "reply.not_published" in actions


def test_a_send_interrupted_by_a_dead_worker_is_never_resent_blindly(
    session, account, worker, fake_mastodon
):
    reply = _queued_reply(session, worker, fake_mastodon)
    reply.outbox_state = "sending"
    reply.attempts = 1
    reply.sending_started_at = reply.first_attempt_at = utcnow() - timedelta(minutes=10)
    session.add(reply)
    session.commit()
    # The dead worker's request did reach the instance.
    mention = session.exec(select(Mention)).one()
    with_key = fake_mastodon.token
    import httpx

    httpx.post(
        f"{fake_mastodon.base_url}/api/v1/statuses",
        data={"status": f"@jean@piaille.fr {reply.text}", "in_reply_to_id": mention.external_id},
        headers={"Authorization": f"Bearer {with_key}"},
    )
    outcome = worker.send_outbox()
    assert outcome.reconciled == 1 and outcome.sent == 1
    session.expire_all()
    reply = session.get(Reply, reply.id)
    assert reply.outbox_state == "sent"
    assert reply.external_id == fake_mastodon.posted[0]["id"]
    assert len(fake_mastodon.posted) == 1
    assert session.get(Case, reply.case_id).first_response_at is not None
    actions = session.exec(select(AuditEvent.action)).all()
    assert "reply.send_interrupted" in actions and "reply.reconciled" in actions


def test_an_interrupted_send_that_never_arrived_is_sent_once(
    session, account, worker, fake_mastodon
):
    reply = _queued_reply(session, worker, fake_mastodon)
    reply.outbox_state = "sending"
    reply.attempts = 1
    reply.sending_started_at = utcnow() - timedelta(minutes=10)
    session.add(reply)
    session.commit()
    assert worker.send_outbox().retried == 1
    assert fake_mastodon.posted == []
    _make_due(session, reply.id)
    assert worker.send_outbox().sent == 1
    assert len(fake_mastodon.posted) == 1


def test_an_outcome_that_cannot_be_checked_ends_with_a_person_told(
    session, account, worker, fake_mastodon
):
    from app.worker.outbox import MAX_CHECKS

    reply = _queued_reply(session, worker, fake_mastodon)
    fake_mastodon.inject(r"/api/v1/statuses", TIMEOUT, method="POST")
    fake_mastodon.inject(r"/context$", FakeResponse.json({"error": "down"}, 503), times=MAX_CHECKS)
    assert worker.send_outbox().unknown == 1
    for _ in range(MAX_CHECKS):
        _make_due(session, reply.id)
        worker.send_outbox()
    session.expire_all()
    reply = session.get(Reply, reply.id)
    assert reply.outbox_state == "failed" and reply.checks == MAX_CHECKS
    assert "Vérifiez sur la plateforme" in worker_errors.message(reply)
    assert fake_mastodon.posted == [] and fake_mastodon.post_attempts == 0
    assert session.get(Case, reply.case_id).first_response_at is None


def test_a_hidden_mention_is_hidden_on_the_platform_once(session, account, worker, fake_mastodon):
    from app.models import AuditEvent

    fake_mastodon.add_mention("spam spam", acct="bot@spam.example")
    worker.poll_due()
    mention = session.exec(select(Mention)).one()
    mention.hidden, mention.hide_state = True, "pending"
    session.add(mention)
    session.commit()
    worker.sync_hidden()
    session.expire_all()
    mention = session.get(Mention, mention.id)
    # Mastodon has no per-mention hide: the state says so instead of retrying for ever.
    assert mention.hide_state == "unsupported" and mention.hide_error
    assert worker.sync_hidden() == 0
    actions = session.exec(select(AuditEvent.action)).all()
    assert "mention.hide_synced" in actions


def test_a_failed_reply_is_shown_in_the_case_and_can_be_sent_again(
    app, client, session, account, worker, fake_mastodon
):
    from tests.conftest import login, post
    from tests.factories import make_user

    reply = _queued_reply(session, worker, fake_mastodon)
    fake_mastodon.inject(
        r"/api/v1/statuses",
        FakeResponse.json({"error": "Validation failed: Text too long"}, 422),
        method="POST",
    )
    worker.send_outbox()
    brand_id = reply.brand_id
    from app.models import Brand

    make_user(
        session, session.get(Brand, brand_id), role="community_manager", email="cm@example.test"
    )
    login(client, "cm@example.test")
    page = client.get(f"/cases/{reply.case_id}").get_data(as_text=True)
    assert "échec de l'envoi" in page and "Text too long" in page
    response = post(client, f"/cases/{reply.case_id}/replies/{reply.id}/retry")
    assert response.status_code == 302
    assert worker.send_outbox().sent == 1
    assert len(fake_mastodon.posted) == 1
    page = client.get(f"/cases/{reply.case_id}").get_data(as_text=True)
    assert "publiée" in page and "Réponse renvoyée après vérification" in page


def test_only_a_failed_reply_can_be_sent_again(client, session, account, worker, fake_mastodon):
    from app.models import Brand
    from tests.conftest import login, post
    from tests.factories import make_user

    reply = _queued_reply(session, worker, fake_mastodon)
    make_user(
        session,
        session.get(Brand, reply.brand_id),
        role="community_manager",
        email="cm@example.test",
    )
    login(client, "cm@example.test")
    post(client, f"/cases/{reply.case_id}/replies/{reply.id}/retry")
    session.expire_all()
    assert session.get(Reply, reply.id).outbox_state == "queued"
    assert worker.send_outbox().sent == 1
    response = post(client, f"/cases/{reply.case_id}/replies/{reply.id}/retry")
    assert response.status_code == 302  # refused with a message, nothing re-sent
    assert worker.send_outbox().sent == 0 and len(fake_mastodon.posted) == 1


def test_two_workers_checking_one_unknown_reply_settle_it_once(
    app, session, account, worker, fake_mastodon
):
    reply = _queued_reply(session, worker, fake_mastodon)
    fake_mastodon.inject(r"/api/v1/statuses", COMMIT_THEN_STALL, method="POST")
    assert worker.send_outbox().unknown == 1
    _make_due(session, reply.id)
    workers = [Worker(app) for _ in range(4)]
    barrier = threading.Barrier(len(workers))

    def run(w):
        barrier.wait()
        w.send_outbox()

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    session.expire_all()
    assert session.get(Reply, reply.id).outbox_state == "sent"
    assert len(fake_mastodon.posted) == 1
    assert len(fake_mastodon.requests_to(r"/context$")) == 1  # one check, not four
    reconciled = session.exec(
        select(AuditEvent).where(AuditEvent.action == "reply.reconciled")
    ).all()
    assert len(reconciled) == 1


def test_the_case_shows_an_unknown_outcome_being_checked(
    client, session, account, worker, fake_mastodon
):
    from app.models import Brand
    from tests.conftest import login
    from tests.factories import make_user

    reply = _queued_reply(session, worker, fake_mastodon)
    fake_mastodon.inject(r"/api/v1/statuses", TIMEOUT, method="POST")
    worker.send_outbox()
    make_user(session, session.get(Brand, reply.brand_id), email="cm@example.test")
    login(client, "cm@example.test")
    page = client.get(f"/cases/{reply.case_id}").get_data(as_text=True)
    assert 'data-outbox="unknown"' in page
    assert "issue incertaine : vérification sur la plateforme" in page
    assert "J&#39;ai vérifié : renvoyer" not in page and "J'ai vérifié : renvoyer" not in page
