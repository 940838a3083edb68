"""An X account through the worker and the pages (issue 21): credentials that last, account
problems flagged once, no reply stuck or wrongly "sent", duplicates sent as a variant."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import responses
from sqlmodel import select

from app.cli import main
from app.models import AuditEvent, ConnectorAccount, Mention, Reply, utcnow
from app.security.secrets_box import SecretsBox
from app.services import accounts, worker_errors
from app.services.accounts import create_account
from app.worker.runner import Worker
from connectors.x_limits import next_cap_reset
from tests.conftest import TEST_ENCRYPTION_KEY, login, post
from tests.connectors.fakes import FakeResponse, FakeX
from tests.factories import make_brand, make_user

BOX = SecretsBox(TEST_ENCRYPTION_KEY)


@pytest.fixture
def fake() -> Iterator[FakeX]:
    server = FakeX()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        server.install_responses(rsps)
        yield server


@pytest.fixture
def brand(session):
    return make_brand(session, slug="acme", name="Acme")


@pytest.fixture
def worker(app) -> Worker:
    return Worker(app)


def x_account(session, brand, credentials: dict) -> ConnectorAccount:
    account, _ = create_account(
        session=session,
        brand=brand,
        platform="x",
        credentials=credentials,
        box=BOX,
        handle="acme",
    )
    session.commit()
    return account


def queue(session, mention: Mention, text: str = "Bonjour, nous regardons.") -> Reply:
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


def fresh(session, model, id_):
    session.expire_all()
    return session.get(model, id_)


def mentions(session) -> list[Mention]:
    session.expire_all()
    return list(session.exec(select(Mention).order_by(Mention.id)))


def test_renewed_oauth2_tokens_are_stored_encrypted_and_keep_working(session, brand, fake, worker):
    account = x_account(session, brand, {**fake.oauth2_credentials(), "user_id": fake.user_id})
    fake.add_mention("mon colis ?", username="jean")
    worker.poll_due()
    stored = BOX.open(fresh(session, ConnectorAccount, account.id).credentials_encrypted)
    assert stored["refresh_token"] == fake.refresh_token  # the rotated one, not the pasted one
    fake.expire_access_tokens()  # two hours later
    (mention,) = mentions(session)
    reply = queue(session, mention)
    worker.send_outbox()
    assert fresh(session, Reply, reply.id).outbox_state == "sent"
    # Hiding renews too: its rotated refresh token must not be lost either.
    fake.expire_access_tokens()
    ours = fake._add_tweet("Info", fake.user_id, "fr", None)
    spam = fake.add_mention("spam", username="bot", in_reply_to=ours["id"])
    account = fresh(session, ConnectorAccount, account.id)
    account.next_poll_at = utcnow()
    session.add(account)
    session.commit()
    worker.poll_due()
    hidden = next(m for m in mentions(session) if m.external_id == spam["id"])
    hidden.hidden, hidden.hide_state = True, "pending"
    session.add(hidden)
    session.commit()
    assert worker.sync_hidden() == 1
    stored = BOX.open(fresh(session, ConnectorAccount, account.id).credentials_encrypted)
    assert stored["refresh_token"] == fake.refresh_token
    assert fake.hidden == {spam["id"]: True}


def test_a_read_only_app_flags_the_account_once_and_holds_every_reply(session, brand, fake, worker):
    account = x_account(session, brand, {**fake.oauth1_credentials(), "user_id": fake.user_id})
    fake.add_mention("premier", username="jean")
    fake.add_mention("second", username="lea")
    worker.poll_due()
    fake.oauth1_access_level = "read"
    replies = [queue(session, m, f"Réponse {i}") for i, m in enumerate(mentions(session))]
    worker.send_outbox()
    account = fresh(session, ConnectorAccount, account.id)
    assert account.status == "auth_failed" and "Read and write" in (account.last_error or "")
    for reply in replies:
        reply = fresh(session, Reply, reply.id)
        assert reply.outbox_state == "queued" and reply.attempts == 0  # not failed one by one
        assert "est à corriger" in (worker_errors.message(reply) or "")
    flags = session.exec(
        select(AuditEvent).where(AuditEvent.action == "connector.auth_failed")
    ).all()
    assert len(flags) == 1
    # The admin fixes the app and checks the credentials: the held replies leave at once.
    fake.oauth1_access_level = "read-write"
    accounts.verify_account(session=session, account=account, box=BOX, actor=None)
    session.commit()
    worker.send_outbox()
    assert [fresh(session, Reply, r.id).outbox_state for r in replies] == ["sent", "sent"]


def test_an_app_only_bearer_reads_and_the_account_says_why_replies_wait(
    session, brand, fake, worker
):
    account = x_account(session, brand, {"bearer_token": fake.bearer_token})
    fake.add_mention("bonjour", username="jean")
    worker.poll_due()
    (mention,) = mentions(session)  # reading works (the account found by its handle)
    reply = queue(session, mention)
    worker.send_outbox()
    assert fresh(session, Reply, reply.id).outbox_state == "queued"
    account = fresh(session, ConnectorAccount, account.id)
    assert account.status == "auth_failed" and "app-only" in (account.last_error or "")
    assert fake.posted == []


def test_a_24_hour_header_without_reset_leaves_no_reply_in_sending(session, brand, fake, worker):
    x_account(session, brand, {**fake.oauth1_credentials(), "user_id": fake.user_id})
    fake.add_mention("bonjour", username="jean")
    worker.poll_due()
    (mention,) = mentions(session)
    reply = queue(session, mention)
    problem = {"title": "Too Many Requests", "detail": "Too Many Requests", "status": 429}
    headers = {"x-user-limit-24hour-remaining": "0", "x-rate-limit-reset": "n/a"}
    fake.inject("/2/tweets$", FakeResponse.json(problem, 429, headers), method="POST")
    worker.send_outbox()  # today: ValueError out of the worker, the reply stuck in sending
    reply = fresh(session, Reply, reply.id)
    assert reply.outbox_state == "queued" and reply.next_attempt_at > utcnow()


def test_a_duplicate_is_refused_never_sent_and_goes_out_as_a_variant(
    client, session, brand, fake, worker
):
    x_account(session, brand, {**fake.oauth1_credentials(), "user_id": fake.user_id})
    fake.add_mention("merci", username="jean")
    fake.add_mention("merci aussi", username="lea")
    worker.poll_due()
    first, second = (queue(session, m, "Bonjour, avec plaisir !") for m in mentions(session))
    worker.send_outbox()
    assert fresh(session, Reply, first.id).outbox_state == "sent"
    refused = fresh(session, Reply, second.id)
    assert refused.outbox_state == "refused" and refused.sent_at is None
    assert len(fake.posted) == 1

    make_user(session, brand, email="cm@acme.test")
    login(client, "cm@acme.test")
    page = client.get(f"/cases/{refused.case_id}").get_data(as_text=True)
    item = re.search(rf'<li id="reply-{refused.id}".*?</li>', page, re.S)
    assert item is not None
    assert "Envoyer une variante" in item.group(0) and "Bonjour Lea, avec plaisir !" in item.group(
        0
    )
    answer = post(client, f"/cases/{refused.case_id}/replies/{refused.id}/variant")
    assert answer.status_code == 302
    again = post(client, f"/cases/{refused.case_id}/replies/{refused.id}/variant")
    assert again.status_code == 302  # clicked twice: queued once, the second is refused
    worker.send_outbox()
    sent = fresh(session, Reply, second.id)
    assert sent.outbox_state == "sent" and sent.text == "Bonjour Lea, avec plaisir !"
    assert [p["_posted_text"] for p in fake.posted][-1] == sent.text
    assert client.post(f"/cases/{refused.case_id}/replies/{refused.id}/variant").status_code == 400


def test_usage_capped_pauses_the_account_until_the_cap_resets(session, brand, fake, worker):
    account = x_account(session, brand, {**fake.oauth1_credentials(), "user_id": fake.user_id})
    fake.usage_capped = True
    worker.poll_due()
    account = fresh(session, ConnectorAccount, account.id)
    assert account.status == "rate_limited"
    assert account.next_poll_at == next_cap_reset(datetime.now(UTC))
    assert "monthly usage cap" in (account.last_error or "")
    assert len(fake.requests) == 1  # not every 15 minutes all month


def test_an_edited_mention_updates_the_stored_one(session, brand, fake, worker):
    account = x_account(session, brand, {**fake.oauth1_credentials(), "user_id": fake.user_id})
    original = fake.add_mention("mon colis n'est pas arrivé", username="jean")
    worker.poll_due()
    edited = fake.edit(original["id"], "mon colis n'est toujours pas arrivé !")
    account = fresh(session, ConnectorAccount, account.id)
    account.next_poll_at = utcnow()
    session.add(account)
    session.commit()
    worker.poll_due()
    (mention,) = mentions(session)
    assert mention.external_id == edited["id"]
    assert mention.text == "@acme mon colis n'est toujours pas arrivé !"


def test_polls_are_paced_to_the_api_tier_and_the_health_page_says_so(
    client, session, brand, fake, worker
):
    fake.window_limits["mentions"] = fake.windows["mentions"] = 10  # a small tier
    account = x_account(session, brand, {**fake.oauth1_credentials(), "user_id": fake.user_id})
    before = utcnow()
    worker.poll_due()
    account = fresh(session, ConnectorAccount, account.id)
    assert account.interval_seconds == 60
    assert account.next_poll_at >= before + timedelta(seconds=120)
    make_user(session, brand, role="admin", email="admin@acme.test")
    login(client, "admin@acme.test")
    page = client.get(f"/admin/accounts/{account.id}").get_data(as_text=True)
    assert "120 s" in page and "10 requêtes par 15 minutes" in page


def test_connectors_add_and_check_credentials_say_what_the_credentials_allow(
    app, client, session, brand, fake
):
    runner = app.test_cli_runner()
    result = runner.invoke(
        main,
        ["connectors", "add", "--brand", "acme", "--platform", "x", "--handle", "acme"],
        input=json.dumps({"bearer_token": fake.bearer_token}),
    )
    assert result.exit_code == 0, result.output
    assert "these credentials allow: read mentions (bearer)" in result.output
    assert "app-only Bearer Token: reading only" in result.output
    result = runner.invoke(
        main,
        ["connectors", "add", "--brand", "acme", "--platform", "x"],
        input=json.dumps(fake.oauth2_credentials()),
    )
    assert "these credentials allow: read mentions, reply, hide replies (oauth2)" in result.output
    account = session.exec(select(ConnectorAccount).order_by(ConnectorAccount.id)).all()[-1]
    make_user(session, brand, role="admin", email="admin@acme.test")
    login(client, "admin@acme.test")
    fake.oauth1_access_level = "read"
    page = post(
        client, f"/admin/accounts/{account.id}", {"action": "verify"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Ces identifiants permettent : lire les mentions, répondre, masquer des réponses" in page
