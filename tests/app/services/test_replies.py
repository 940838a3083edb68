"""Replies on a webhook channel: delivered to the brand's reply URL, or copied by hand.

Never "Réponse envoyée" for a reply that cannot leave, never a retry loop, and the case
counts as answered only once publication is confirmed.
"""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from app.models import AuditEvent, Case, ConnectorAccount, Mention, Reply
from app.security.outbound import OutboundURLError, check_outbound_url
from app.security.secrets_box import SecretsBox
from app.services import accounts
from app.worker.runner import Worker
from tests.conftest import TEST_ENCRYPTION_KEY, csrf_token, login, post
from tests.connectors.fake_core import COMMIT_THEN_STALL
from tests.connectors.fake_http_server import serve_fake
from tests.connectors.fake_reply_receiver import FakeReplyReceiver
from tests.factories import make_brand, make_case, make_user

pytestmark = pytest.mark.db
TEXT = "Bonjour Jeanne, nous sommes désolés pour ce retard."


@pytest.fixture
def shop(session):
    return make_brand(session, slug="shop", name="Boutique")


@pytest.fixture
def cm(client, session, shop):
    user = make_user(session, shop, role="community_manager", email="cm@shop.test")
    login(client, "cm@shop.test")
    return user


def _send(client, session, case) -> tuple[object, Reply]:
    client.get(f"/cases/{case.id}")  # claims it
    response = post(client, f"/cases/{case.id}/reply", {"text": TEXT, "action": "send"})
    assert response.status_code == 302
    return response, session.exec(select(Reply)).one()


def _reply_item(client, case, reply) -> str:
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    item = re.search(rf'<li id="reply-{reply.id}".*?</li>', page, re.S)
    assert item, page
    return item.group(0)


def test_a_reply_that_cannot_leave_is_to_copy_by_hand(app, client, session, shop, cm):
    case = make_case(session, shop, channel="webhook")
    _, reply = _send(client, session, case)
    flashes = client.get("/queue").get_data(as_text=True)
    assert "Réponse envoyée" not in flashes and "à publier à la main" in flashes
    assert reply.outbox_state == "manual"
    # The worker leaves it alone: no attempt, no retry loop.
    outcome = Worker(app).send_outbox()
    assert (outcome.sent, outcome.retried, outcome.failed, outcome.unknown) == (0, 0, 0, 0)
    session.expire_all()
    reply = session.get(Reply, reply.id)
    assert reply.outbox_state == "manual" and reply.attempts == 0
    assert session.get(Case, case.id).first_response_at is None
    item = _reply_item(client, case, reply)
    assert "à copier à la main" in item and "publiée" not in item
    assert f'data-copy-target="reply-copy-{reply.id}"' in item
    assert f">{TEXT}</textarea>" in item
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "js/copy.js" in page and "<script>" not in page

    response = post(
        client,
        f"/cases/{case.id}/replies/{reply.id}/published",
        {"url": "https://forum.shop.example/t/42#7"},
    )
    assert response.status_code == 302
    session.expire_all()
    reply = session.get(Reply, reply.id)
    case = session.get(Case, case.id)
    assert reply.outbox_state == "sent" and reply.external_url.endswith("/t/42#7")
    assert case.first_response_at == reply.sent_at
    item = _reply_item(client, case, reply)
    assert "publiée" in item and "à la main" in item
    event = session.exec(
        select(AuditEvent).where(AuditEvent.action == "reply.published_by_hand")
    ).one()
    assert event.actor_id == cm.id and event.case_id == case.id
    # Confirming twice is refused, nothing changes.
    again = post(client, f"/cases/{case.id}/replies/{reply.id}/published")
    assert again.status_code == 302
    assert (
        len(
            session.exec(
                select(AuditEvent).where(AuditEvent.action == "reply.published_by_hand")
            ).all()
        )
        == 1
    )


def test_only_a_cm_of_the_brand_confirms_with_csrf(app, client, session, shop, cm):
    case = make_case(session, shop, channel="webhook")
    _, reply = _send(client, session, case)
    token = csrf_token(client, "/")
    assert client.post(f"/cases/{case.id}/replies/{reply.id}/published").status_code == 400
    other_brand = make_brand(session, slug="rail", name="Rail")
    make_user(session, other_brand, role="community_manager", email="cm@rail.test")
    stranger = app.test_client()
    login(stranger, "cm@rail.test")
    response = stranger.post(
        f"/cases/{case.id}/replies/{reply.id}/published",
        data={"csrf_token": csrf_token(stranger, "/")},
    )
    assert response.status_code == 404
    bad_url = client.post(
        f"/cases/{case.id}/replies/{reply.id}/published",
        data={"csrf_token": token, "url": "javascript:alert(1)"},
        headers={"HX-Request": "true"},
    )
    assert bad_url.status_code == 422
    session.expire_all()
    assert session.get(Reply, reply.id).outbox_state == "manual"


def test_replies_go_to_the_reply_url_signed_and_once_despite_a_stall(
    app, client, session, shop, cm
):
    app.config["VIGIE_ALLOW_PRIVATE_URLS"] = True
    app.config["CONNECTOR_HTTP_TIMEOUT"] = 0.3
    receiver = FakeReplyReceiver(secret="signing-secret")
    receiver.stall_seconds = 1.0
    case = make_case(session, shop, channel="webhook")
    account = session.exec(select(ConnectorAccount)).one()
    box = SecretsBox(TEST_ENCRYPTION_KEY)
    with serve_fake(receiver), app.app_context():
        accounts.set_reply_url(
            session=session,
            account=account,
            url=f"{receiver.base_url}/vigie/replies",
            reply_secret="signing-secret",
            box=box,
            actor=None,
        )
        session.commit()
        _, reply = _send(client, session, case)
        assert reply.outbox_state == "queued"
        receiver.inject("/vigie/replies", COMMIT_THEN_STALL, method="POST")
        worker = Worker(app)
        for _ in range(6):
            worker.send_outbox()
            session.expire_all()
            reply = session.get(Reply, reply.id)
            if reply.outbox_state == "sent":
                break
            reply.next_attempt_at = None
            session.add(reply)
            session.commit()
    assert reply.outbox_state == "sent" and reply.external_id == "pub-1"
    # Delivered twice (the first answer was lost), published once: the key is the same.
    assert len(receiver.deliveries) == 2 and len(receiver.published) == 1
    keys = {d["key"] for d in receiver.deliveries}
    assert keys == {f"vigie-reply-{reply.idempotency_key}"}
    assert receiver.deliveries[0]["body"]["text"] == TEXT
    assert session.get(Case, case.id).first_response_at == reply.sent_at
    assert "signing-secret" not in (session.get(ConnectorAccount, account.id).credentials_encrypted)


@pytest.mark.parametrize(
    "url",
    [
        "http://brand.example/replies",
        "https://127.0.0.1/replies",
        "https://10.1.2.3/replies",
        "https://[::1]/replies",
        "https://localhost/replies",
        "https://user:pw@brand.example/replies",
        "ftp://brand.example/replies",
        "https://brand.example:99999/replies",
        "replies",
    ],
)
def test_reply_urls_must_be_public_https(url):
    with pytest.raises(OutboundURLError):
        check_outbound_url(url)


def test_reply_url_check_allows_loopback_only_when_configured():
    assert check_outbound_url(" https://brand.example/replies ") == "https://brand.example/replies"
    assert check_outbound_url("http://127.0.0.1:8080/r", allow_private=True)
    with pytest.raises(OutboundURLError):
        check_outbound_url("http://brand.example/replies", allow_private=True)


def test_admin_sets_a_checked_reply_url(client, session, shop):
    make_case(session, shop, channel="webhook")
    account = session.exec(select(ConnectorAccount)).one()
    make_user(session, shop, role="admin", email="admin@shop.test")
    login(client, "admin@shop.test")
    path = f"/admin/accounts/{account.id}"
    refused = post(
        client, path, {"action": "reply_url", "reply_url": "http://10.0.0.1/x", "reply_secret": "s"}
    )
    assert refused.status_code == 422 and "URL de réponse" in refused.get_data(as_text=True)
    done = post(
        client,
        path,
        {
            "action": "reply_url",
            "reply_url": "https://shop.example/vigie/replies",
            "reply_secret": "s3cret",
        },
    )
    assert done.status_code == 302
    session.expire_all()
    account = session.get(ConnectorAccount, account.id)
    assert account.options["reply_url"] == "https://shop.example/vigie/replies"
    assert (
        SecretsBox(TEST_ENCRYPTION_KEY).open(account.credentials_encrypted)["reply_secret"]
        == "s3cret"
    )
    assert "s3cret" not in account.credentials_encrypted
    actions = session.exec(select(AuditEvent.action)).all()
    assert "connector.reply_url_set" in actions


def test_two_people_confirming_at_once_publish_it_once(app, session, shop):
    import threading

    from app.models import User
    from app.services import outbox_states
    from app.services.replies import ReplyDraft, send_reply

    case = make_case(session, shop, channel="webhook")
    users = [make_user(session, shop, email=f"cm{i}@shop.test") for i in range(2)]
    from sqlmodel import Session

    from app.models import Brand, utcnow
    from app.services.claims import claim

    claim(session=session, case=case, actor=users[0])
    reply = send_reply(
        session=session,
        case=case,
        brand=session.get(Brand, shop.id),
        actor=users[0],
        draft=ReplyDraft(text=TEXT, mention_id=session.exec(select(Mention.id)).first()),
    )
    session.commit()
    assert reply.outbox_state == "manual"
    barrier = threading.Barrier(2)
    errors: list[Exception] = []

    def confirm(user_id: int) -> None:
        with app.app_context(), Session(app.extensions["vigie_engine"]) as own:
            barrier.wait()
            try:
                outbox_states.mark_published_by_hand(
                    session=own,
                    case=own.get(Case, case.id),
                    reply=own.get(Reply, reply.id),
                    actor=own.get(User, user_id),
                    now=utcnow(),
                )
                own.commit()
            except outbox_states.ManualPublishError as exc:
                errors.append(exc)
                own.rollback()

    threads = [threading.Thread(target=confirm, args=(u.id,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    events = session.exec(
        select(AuditEvent).where(AuditEvent.action == "reply.published_by_hand")
    ).all()
    assert len(events) == 1 and len(errors) == 1


def test_a_webhook_account_is_created_with_a_checked_reply_url(session, shop):
    box = SecretsBox(TEST_ENCRYPTION_KEY)
    with pytest.raises(accounts.AccountError, match="URL de réponse"):
        accounts.create_account(
            session=session,
            brand=shop,
            platform="webhook",
            credentials={"secret": "s"},
            box=box,
            options={"reply_url": "http://intranet.shop/replies"},
        )
    with pytest.raises(accounts.AccountError, match="secret"):
        accounts.create_account(
            session=session,
            brand=shop,
            platform="webhook",
            credentials={},
            box=box,
            options={"reply_url": "https://shop.example/replies"},
        )
    account, _ = accounts.create_account(
        session=session,
        brand=shop,
        platform="webhook",
        credentials={"secret": "s"},
        box=box,
        options={"reply_url": "https://shop.example/replies"},
    )
    assert account.options["reply_url"] == "https://shop.example/replies"


def test_an_approved_reply_on_a_channel_that_cannot_post_is_to_copy_by_hand(app, session, shop):
    import uuid

    from app.models import Notification
    from app.services import approvals
    from tests.app.portal_support import scope

    owner = make_user(session, shop, "brand_owner")
    author = make_user(session, shop, email="writer@shop.test")
    case = make_case(session, shop, channel="webhook")
    pending = Reply(
        brand_id=shop.id,
        case_id=case.id,
        mention_id=session.exec(select(Mention.id)).first(),
        author_user_id=author.id,
        text=TEXT,
        approval_state="pending",
        approver_role="brand",
        idempotency_key=uuid.uuid4().hex,
    )
    session.add(pending)
    session.commit()
    with app.test_request_context():
        approvals.approve(session=session, reply=pending, actor=owner, scope=scope(session, owner))
    session.commit()
    assert pending.outbox_state == "manual"
    outcome = Worker(app).send_outbox()
    assert (outcome.sent, outcome.retried, outcome.failed) == (0, 0, 0)
    note = session.exec(select(Notification).where(Notification.user_id == author.id)).one()
    assert "à publier à la main" in note.text and "elle part" not in note.text
