"""A platform that stores the post and then stalls past our timeout gets the reply once.

End to end through the worker, against each fake platform served on real loopback sockets
(the client's own timeout fires): poll the mention, queue a reply on its case, run outbox
ticks until the reply settles, then count the posts on the server and read the case page.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlmodel import select

from app.models import Case, Mention, Reply, utcnow
from app.security.secrets_box import SecretsBox
from app.services import worker_errors
from app.services.accounts import create_account
from app.worker.runner import Worker
from tests.conftest import TEST_ENCRYPTION_KEY, login
from tests.connectors.fake_core import COMMIT_THEN_STALL, TIMEOUT
from tests.connectors.fake_google_business import FakeGoogleBusiness
from tests.connectors.fake_graph import FakeGraph
from tests.connectors.fake_http_server import serve_fake
from tests.connectors.fake_youtube import FakeYouTube
from tests.connectors.fakes import FakeBluesky, FakeMastodon, FakeX
from tests.factories import make_brand, make_user

pytestmark = pytest.mark.db

CLIENT_TIMEOUT = 0.3  # seconds; the fakes stall longer than this
STALL = 1.0


@dataclass
class Platform:
    fake: Any
    post_path: str
    posts: Callable[[], list[str]]  # ids of the posts stored on the server
    method: str = "POST"  # how a reply is sent (Business Profile replaces it with PUT)


def _x_to_loopback(monkeypatch: pytest.MonkeyPatch, fake: FakeX) -> None:
    """tweepy always calls https://api.twitter.com: send its requests to the local fake."""
    from connectors.x_client import _TimeoutSession

    original = _TimeoutSession.request

    def request(self: Any, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        url = url.replace("https://api.twitter.com", fake.base_url, 1)
        return original(self, method, url, *args, **kwargs)

    monkeypatch.setattr(_TimeoutSession, "request", request)


@pytest.fixture(
    params=["mastodon", "bluesky", "x", "facebook", "instagram", "youtube", "google_business"]
)
def platform(request, app, session, monkeypatch) -> Iterator[Platform]:
    # The fakes listen on 127.0.0.1: allowed as on a lab deployment (app and environment).
    app.config["VIGIE_ALLOW_PRIVATE_URLS"] = True
    monkeypatch.setenv("VIGIE_ALLOW_PRIVATE_URLS", "1")
    brand = make_brand(session, slug="acme", name="Acme")
    box = SecretsBox(TEST_ENCRYPTION_KEY)
    name = request.param
    if name == "mastodon":
        fake: Any = FakeMastodon()
        fake.honour_idempotency_key = False  # an instance or proxy that drops the header
        credentials: dict[str, Any] = {"access_token": fake.token}
    elif name == "bluesky":
        fake = FakeBluesky()
        credentials = {"identifier": fake.handle, "app_password": fake.password}
    elif name in ("facebook", "instagram"):
        fake = FakeGraph()
        key = "page_id" if name == "facebook" else "ig_user_id"
        credentials = {key: fake.page_id if name == "facebook" else fake.ig_user_id}
        credentials |= {"access_token": fake.token, "app_secret": fake.app_secret}
    elif name == "youtube":
        fake = FakeYouTube()
        credentials = fake.credentials()
    elif name == "google_business":
        fake = FakeGoogleBusiness()
        credentials = fake.credentials()
    else:
        fake = FakeX()
        credentials = {**fake.oauth2_credentials(), "user_id": fake.user_id}
    fake.stall_seconds = STALL
    with serve_fake(fake):
        if name == "x":
            _x_to_loopback(monkeypatch, fake)
        create_account(
            session=session,
            brand=brand,
            platform=name,
            credentials=credentials,
            box=box,
            handle="acme.fr" if name == "instagram" else "acme",
            base_url=None if name == "x" else fake.base_url,
        )
        session.commit()
        if name == "mastodon":
            fake.add_mention("ma commande n'est pas arrivée", acct="jean@piaille.fr")
            yield Platform(fake, "/api/v1/statuses$", lambda: [s["id"] for s in fake.posted])
        elif name == "facebook":
            fake.add_comment("ma commande n'est pas arrivée")
            yield Platform(fake, "/comments$", lambda: [c["id"] for c in fake.posted])
        elif name == "instagram":
            fake.add_ig_comment("ma commande n'est pas arrivée")
            yield Platform(fake, "/replies$", lambda: [c["id"] for c in fake.posted])
        elif name == "youtube":
            fake.add_comment("ma commande n'est pas arrivée")
            yield Platform(fake, "/youtube/v3/comments$", lambda: [c["id"] for c in fake.posted])
        elif name == "google_business":
            fake.add_review("ma commande n'est pas arrivée", stars=1)
            yield Platform(
                fake,
                "/reply$",
                lambda: [f"{fake.location}/reviews/{p['id']}/reply" for p in fake.posted],
                "PUT",
            )
        elif name == "bluesky":
            fake.add_notification("ma commande n'est pas arrivée", handle="jean.bsky.social")
            yield Platform(fake, "createRecord", lambda: [r["uri"] for r in fake.records])
        else:
            fake.add_mention("ma commande n'est pas arrivée", username="jean")
            yield Platform(fake, "/2/tweets$", lambda: [t["id"] for t in fake.posted])


@pytest.fixture
def worker(app) -> Worker:
    app.config["CONNECTOR_HTTP_TIMEOUT"] = CLIENT_TIMEOUT
    return Worker(app)


def _queue_reply(session, worker: Worker) -> Reply:
    worker.poll_due()
    mention = session.exec(select(Mention)).one()
    reply = Reply(
        brand_id=mention.brand_id,
        case_id=mention.case_id,
        mention_id=mention.id,
        text="Bonjour, nous regardons votre commande : https://aide.acme.example/suivi",
        outbox_state="queued",
        idempotency_key=uuid.uuid4().hex,
    )
    session.add(reply)
    session.commit()
    return reply


def _settle(session, worker: Worker, reply_id: int, ticks: int = 8) -> Reply:
    """Run outbox ticks, making the reply due each time, until it is sent or failed."""
    for _ in range(ticks):
        worker.send_outbox()
        session.expire_all()
        reply = session.get(Reply, reply_id)
        if reply.outbox_state in ("sent", "failed", "manual"):
            return reply
        reply.next_attempt_at = utcnow()  # skip the back-off wait
        session.add(reply)
        session.commit()
    return reply


def _case_page(client, session, reply: Reply) -> str:
    case = session.get(Case, reply.case_id)
    from app.models import Brand

    make_user(session, session.get(Brand, case.brand_id), email="cm@acme.test")
    login(client, "cm@acme.test")
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    item = re.search(rf'<li id="reply-{reply.id}".*?</li>', page, re.S)
    assert item, page
    return item.group(0)


def test_a_post_committed_then_stalled_is_published_once(
    client, session, worker, platform: Platform
):
    reply = _queue_reply(session, worker)
    platform.fake.inject(platform.post_path, COMMIT_THEN_STALL, method=platform.method)
    reply = _settle(session, worker, reply.id)
    assert len(platform.posts()) == 1  # today: two posts, the second after a blind retry
    assert reply.outbox_state == "sent"
    assert reply.external_id == platform.posts()[0]
    assert reply.attempts == 1
    case = session.get(Case, reply.case_id)
    assert case.first_response_at == reply.sent_at
    item = _case_page(client, session, reply)
    assert 'data-outbox="sent"' in item and "publiée" in item
    if platform.method == "POST":  # a Business Profile review has no public link
        assert "voir sur la plateforme" in item


def test_a_stall_that_stored_nothing_is_retried_once(client, session, worker, platform: Platform):
    reply = _queue_reply(session, worker)
    platform.fake.inject(platform.post_path, TIMEOUT, method=platform.method)
    reply = _settle(session, worker, reply.id)
    assert len(platform.posts()) == 1
    assert reply.outbox_state == "sent" and reply.attempts == 2
    assert reply.external_id == platform.posts()[0]
    item = _case_page(client, session, reply)
    assert 'data-outbox="sent"' in item


@pytest.mark.parametrize("platform", ["x"], indirect=True)
def test_x_duplicate_text_for_another_customer_is_not_counted_as_sent(
    session, worker, platform: Platform
):
    """X refuses a text we posted recently, whatever it answered: that is not our reply."""
    fake = platform.fake
    fake.add_mention("et mon remboursement ?", username="lea")
    worker.poll_due()
    mentions = session.exec(select(Mention).order_by(Mention.id)).all()
    assert len(mentions) == 2
    replies = []
    for mention in mentions:
        reply = Reply(
            brand_id=mention.brand_id,
            case_id=mention.case_id,
            mention_id=mention.id,
            text="Merci, nous regardons votre dossier.",
            outbox_state="queued",
            idempotency_key=uuid.uuid4().hex,
        )
        session.add(reply)
        session.commit()
        replies.append(_settle(session, worker, reply.id))
    first, second = replies
    assert first.outbox_state == "sent"
    assert second.outbox_state == "refused" and "texte identique" in worker_errors.message(second)
    assert len(platform.posts()) == 1
    assert session.get(Case, second.case_id).first_response_at is None
