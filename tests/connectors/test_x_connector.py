from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import responses

from connectors import (
    AuthError,
    CreditsExhausted,
    DuplicateReply,
    OutgoingReply,
    PermanentError,
    RateLimited,
    TransientError,
)
from connectors.x import XConnector
from tests.connectors.fakes import MALFORMED, TIMEOUT, FakeResponse, FakeX
from tests.connectors.polling import MentionStore

MENTIONS = r"/2/users/\d+/mentions"


@pytest.fixture
def fake() -> Iterator[FakeX]:
    server = FakeX()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        server.install_responses(rsps)
        yield server


def make_connector(fake: FakeX, **options: object) -> XConnector:
    return XConnector(
        credentials={**fake.oauth2_credentials(), "user_id": fake.user_id},
        account_handle="acme",
        options={"page_size": 5, **options},
    )


def started_store(fake: FakeX, connector: XConnector) -> MentionStore:
    fake.add_mention("déjà vu")
    store = MentionStore()
    store.poll(connector)
    return store


def rate_limited(reset: int | None) -> FakeResponse:
    headers = {"x-rate-limit-limit": "450", "x-rate-limit-remaining": "0"}
    if reset is not None:
        headers["x-rate-limit-reset"] = str(reset)
    problem = {"title": "Too Many Requests", "detail": "Too Many Requests", "status": 429}
    return FakeResponse.json(problem, 429, headers)


def test_first_poll_reads_the_latest_page(fake: FakeX) -> None:
    for i in range(8):
        fake.add_mention(f"message {i}")
    store = MentionStore()
    result = store.poll(make_connector(fake))
    assert result.complete
    assert store.texts == {f"message {i}" for i in range(3, 8)}
    assert store.cursor == fake.tweets[-1]["id"]


def test_all_pages_then_newest_id_as_cursor(fake: FakeX) -> None:
    connector = make_connector(fake)
    store = started_store(fake, connector)
    first_cursor = store.cursor
    for i in range(23):
        fake.add_mention(f"retard {i}")
    result = store.poll(connector)
    assert result.complete
    assert store.texts == {"déjà vu"} | {f"retard {i}" for i in range(23)}
    assert store.cursor == fake.tweets[-1]["id"]
    assert [m.text for m in result.mentions][:2] == ["@acme retard 0", "@acme retard 1"]
    calls = fake.requests_to(MENTIONS)[1:]
    assert len(calls) == 5
    assert all(c.arg("since_id") == first_cursor for c in calls)
    assert result.rate_limit.limit == 450 and result.rate_limit.remaining is not None
    assert store.poll(connector).mentions == []


def test_rate_limit_mid_pass_keeps_the_old_cursor(fake: FakeX) -> None:
    connector = make_connector(fake)
    store = started_store(fake, connector)
    cursor = store.cursor
    for i in range(12):
        fake.add_mention(f"grève {i}")
    fake.inject(MENTIONS, rate_limited(1767608100), after=1)
    result = store.poll(connector)
    assert not result.complete
    assert result.cursor == cursor  # advancing would skip the unread older mentions
    assert result.retry_at == datetime.fromtimestamp(1767608100, UTC)
    assert len(result.mentions) == 5
    result = store.poll(connector)
    assert result.complete
    assert store.texts == {"déjà vu"} | {f"grève {i}" for i in range(12)}
    assert store.cursor == fake.tweets[-1]["id"]


def test_rate_limit_before_anything(fake: FakeX) -> None:
    fake.inject(MENTIONS, rate_limited(1767608100))
    with pytest.raises(RateLimited) as caught:
        make_connector(fake).fetch("1")
    assert caught.value.retry_at == datetime.fromtimestamp(1767608100, UTC)
    fake.inject(MENTIONS, rate_limited(None))
    with pytest.raises(RateLimited) as caught:
        make_connector(fake).fetch("1")
    assert caught.value.retry_at is not None
    assert caught.value.retry_at > datetime.now(UTC) + timedelta(minutes=10)


def test_unauthorized_is_an_auth_error(fake: FakeX) -> None:
    connector = XConnector(credentials={"bearer_token": "revoked", "user_id": fake.user_id})
    with pytest.raises(AuthError):
        connector.fetch(None)


@pytest.mark.parametrize(
    "fault",
    [FakeResponse.json({"title": "Service Unavailable"}, 503), TIMEOUT, MALFORMED],
    ids=["503", "timeout", "malformed-json"],
)
def test_transient_faults(fake: FakeX, fault: FakeResponse | str) -> None:
    connector = make_connector(fake)
    store = started_store(fake, connector)
    cursor = store.cursor
    for i in range(8):
        fake.add_mention(f"panne {i}")
    fake.inject(MENTIONS, fault)
    with pytest.raises(TransientError):
        store.poll(connector)
    fake.inject(MENTIONS, fault, after=1)
    partial = store.poll(connector)
    assert not partial.complete and partial.cursor == cursor
    store.poll(connector)
    assert store.texts == {"déjà vu"} | {f"panne {i}" for i in range(8)}
    assert store.cursor == fake.tweets[-1]["id"]


def test_empty_timeline_keeps_the_cursor(fake: FakeX) -> None:
    connector = make_connector(fake)
    store = started_store(fake, connector)
    cursor = store.cursor
    result = store.poll(connector)
    assert result.mentions == [] and result.complete and result.cursor == cursor


def test_mention_deleted_between_pages(fake: FakeX) -> None:
    connector = make_connector(fake)
    store = started_store(fake, connector)
    added = [fake.add_mention(f"colis {i}") for i in range(12)]
    doomed = added[3]["id"]  # on the second page (newest first)

    def delete_then_continue(_request: object) -> None:
        fake.delete(doomed)

    fake.inject(MENTIONS, delete_then_continue, after=1)
    store.poll(connector)
    assert store.texts == {"déjà vu"} | {f"colis {i}" for i in range(12) if i != 3}
    assert store.cursor == fake.tweets[-1]["id"]


def test_author_is_expanded(fake: FakeX) -> None:
    ours = fake._add_tweet("Grève demain, infos ici", fake.user_id, "fr", None)
    fake.add_mention(
        "encore ?!", username="zoe", followers=5400, verified=True, in_reply_to=ours["id"]
    )
    (mention,) = make_connector(fake).fetch(None).mentions
    assert mention.author.handle == "zoe" and mention.author.name == "Zoe"
    assert mention.author.followers == 5400 and mention.author.verified
    assert mention.in_reply_to == ours["id"] and mention.thread_id == ours["id"]
    assert mention.url == f"https://x.com/zoe/status/{mention.external_id}"
    assert mention.posted_at.tzinfo is not None and mention.lang == "fr"
    assert mention.raw["data"]["id"] == mention.external_id


def test_user_id_is_looked_up_once_and_handed_back(fake: FakeX) -> None:
    fake.add_mention("salut")
    connector = XConnector(credentials=fake.oauth2_credentials())
    result = connector.fetch(None)
    assert result.credentials is not None and result.credentials["user_id"] == fake.user_id
    assert len(fake.requests_to("/2/users/me")) == 1


def reply_for(mention_id: str, text: str = "Bonjour, nous regardons.") -> OutgoingReply:
    return OutgoingReply(
        text=text,
        in_reply_to_external_id=mention_id,
        in_reply_to_raw={"data": {"id": mention_id}},
        author_handle="alice",
        idempotency_key="r-1",
    )


def test_reply_with_an_oauth2_user_token(fake: FakeX) -> None:
    mention = fake.add_mention("mon train ?")
    posted = make_connector(fake).post_reply(reply_for(mention["id"]))
    (call,) = fake.requests_to("/2/tweets", "POST")
    assert json.loads(call.body) == {
        "text": "Bonjour, nous regardons.",
        "reply": {"in_reply_to_tweet_id": mention["id"]},
    }
    assert call.headers["authorization"] == f"Bearer {next(iter(fake.access_tokens))}"
    assert posted.external_id == fake.posted[0]["id"]
    assert posted.url == f"https://x.com/acme/status/{posted.external_id}"


def test_reply_with_oauth1_keys(fake: FakeX) -> None:
    mention = fake.add_mention("mon train ?")
    connector = XConnector(
        credentials={
            "consumer_key": fake.consumer_key,
            "consumer_secret": "cs",
            "access_token": "at",
            "access_token_secret": "ats",
            "user_id": fake.user_id,
        }
    )
    connector.post_reply(reply_for(mention["id"]))
    (call,) = fake.requests_to("/2/tweets", "POST")
    assert call.headers["authorization"].startswith("OAuth ")


def test_reply_refusals(fake: FakeX) -> None:
    mention = fake.add_mention("allo")
    connector = make_connector(fake)
    connector.post_reply(reply_for(mention["id"], "Merci !"))
    with pytest.raises(DuplicateReply):
        connector.post_reply(reply_for(mention["id"], "Merci !"))
    with pytest.raises(PermanentError, match="280"):
        connector.post_reply(reply_for(mention["id"], "trop long " * 40))
    fake.credits = 0
    with pytest.raises(CreditsExhausted) as caught:
        connector.post_reply(reply_for(mention["id"], "Autre réponse"))
    assert isinstance(caught.value, AuthError)  # the account must be flagged
    assert len(fake.posted) == 1


def test_hide_and_unhide_a_reply(fake: FakeX) -> None:
    ours = fake._add_tweet("Info trafic", fake.user_id, "fr", None)
    spam = fake.add_mention("achetez des followers", in_reply_to=ours["id"])
    stray = fake.add_mention("hors conversation")
    connector = make_connector(fake)
    (mention,) = [m for m in connector.fetch(None).mentions if m.external_id == spam["id"]]
    connector.hide(mention.raw)
    assert fake.hidden == {spam["id"]: True}
    connector.hide(mention.raw, hidden=False)
    assert fake.hidden == {spam["id"]: False}
    with pytest.raises(PermanentError):
        connector.hide({"data": {"id": stray["id"]}})


def test_verify(fake: FakeX) -> None:
    connector = XConnector(credentials=fake.oauth2_credentials())
    assert connector.verify() == "acme"
    assert connector.updated_credentials is not None
    assert connector.updated_credentials["user_id"] == fake.user_id
    with pytest.raises(AuthError):
        XConnector(credentials={"bearer_token": "bad"}).verify()
    with pytest.raises(AuthError):
        XConnector(credentials={}).verify()
