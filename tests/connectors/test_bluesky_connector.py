from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import respx

from connectors import AuthError, OutgoingReply, PermanentError, RateLimited, TransientError
from connectors.bluesky import BlueskyConnector
from connectors.http_support import parse_iso
from tests.connectors.fake_bluesky import FakeBluesky
from tests.connectors.fakes import MALFORMED, TIMEOUT, FakeResponse
from tests.connectors.polling import MentionStore

LIST = "app.bsky.notification.listNotifications"


@pytest.fixture
def fake() -> Iterator[FakeBluesky]:
    server = FakeBluesky()
    with respx.mock(assert_all_called=False) as router:
        server.install_respx(router)
        yield server


class Account:
    """A connector account whose credentials are persisted after every call, like the app."""

    def __init__(self, fake: FakeBluesky, **options: Any) -> None:
        self.credentials: dict[str, Any] = {
            "identifier": fake.handle,
            "app_password": fake.password,
        }
        self.options = {"page_size": 5, **options}
        self.store = MentionStore()

    def connector(self) -> BlueskyConnector:
        return BlueskyConnector(credentials=self.credentials, options=self.options)

    def poll(self):
        connector = self.connector()
        try:
            return self.store.poll(connector)
        finally:
            if connector.updated_credentials is not None:
                self.credentials = connector.updated_credentials


def started(fake: FakeBluesky, **options: Any) -> Account:
    fake.add_notification("déjà vu")
    account = Account(fake, **options)
    account.poll()
    return account


def rate_limited(reset: int) -> FakeResponse:
    return FakeResponse.json(
        {"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"},
        429,
        {"RateLimit-Limit": "3000", "RateLimit-Remaining": "0", "RateLimit-Reset": str(reset)},
    )


def test_logs_in_once_then_reuses_the_session(fake: FakeBluesky) -> None:
    account = started(fake)
    for _ in range(3):
        fake.add_notification("encore")
        account.poll()
    assert fake.logins == 1
    assert account.credentials["pds_url"] == fake.pds_url
    assert all(r.url.startswith(fake.pds_url) for r in fake.requests_to(LIST))


def test_first_poll_reads_the_latest_page(fake: FakeBluesky) -> None:
    for i in range(8):
        fake.add_notification(f"message {i}")
    account = Account(fake)
    result = account.poll()
    assert result.complete
    assert account.store.texts == {f"message {i}" for i in range(3, 8)}
    cursor = json.loads(result.cursor or "")
    assert parse_iso(cursor["t"]) == parse_iso(fake.notifications[-1]["indexedAt"])
    assert len(cursor["seen"]) == 5


def test_pages_down_to_the_high_water_mark(fake: FakeBluesky) -> None:
    account = started(fake)
    for i in range(10):
        fake.add_notification(f"ancien {i}")
    fake._clock += timedelta(hours=2)  # what came before is out of the overlap window
    fake.add_notification("récent")
    account.poll()
    before = len(fake.requests_to(LIST))
    for i in range(23):
        fake.add_notification(f"retard {i}", reason="reply" if i % 3 else "mention")
    fake.add_notification("j'aime", reason="like")
    result = account.poll()
    assert result.complete
    assert len(result.mentions) == 23
    assert [m.text for m in result.mentions][:2] == ["@acme.bsky.social retard 0", "retard 1"]
    # 5 pages: 23 new items, "récent" (in the window below the mark), then an old one ends it
    assert len(fake.requests_to(LIST)) - before == 5
    assert fake.requests_to(LIST)[-1].query["reasons"] == ["mention", "reply", "quote"]
    assert account.poll().mentions == []


def test_expired_access_token_is_refreshed_and_the_new_tokens_handed_back(
    fake: FakeBluesky,
) -> None:
    account = started(fake)
    old_refresh = account.credentials["refresh_jwt"]
    fake.expire_access_tokens()
    fake.add_notification("après expiration")
    result = account.poll()
    assert "après expiration" in account.store.texts
    assert fake.refreshes == 1 and fake.logins == 1
    assert result.credentials is not None
    assert result.credentials["refresh_jwt"] != old_refresh
    assert old_refresh in fake.revoked
    # the rotated tokens work for the next poll: no new login
    fake.add_notification("suite")
    account.poll()
    assert "suite" in account.store.texts and fake.logins == 1


def test_rotated_tokens_survive_a_failure_after_the_refresh(fake: FakeBluesky) -> None:
    account = started(fake)
    fake.expire_access_tokens()
    fake.inject(LIST, rate_limited(1767607500), after=1)  # the retry after refresh
    with pytest.raises(RateLimited) as caught:
        account.poll()
    assert caught.value.credentials is not None
    assert caught.value.retry_at == datetime.fromtimestamp(1767607500, UTC)
    account.poll()
    assert fake.logins == 1  # the persisted rotated refresh token was valid


def test_revoked_refresh_token_without_password_is_an_auth_error(fake: FakeBluesky) -> None:
    account = started(fake)
    stale = dict(account.credentials)
    account.poll()
    fake.expire_access_tokens()
    account.poll()  # rotates the refresh token: `stale` now holds a revoked one
    stale.pop("app_password")
    connector = BlueskyConnector(credentials=stale)
    with pytest.raises(AuthError, match="revoked"):
        connector.fetch(None)


def test_revoked_refresh_token_with_password_logs_in_again(fake: FakeBluesky) -> None:
    account = started(fake)
    fake.expire_access_tokens()
    fake.revoked.update(fake.refresh_tokens)
    fake.refresh_tokens.clear()
    fake.add_notification("toujours là")
    account.poll()
    assert fake.logins == 2 and "toujours là" in account.store.texts


def test_wrong_app_password(fake: FakeBluesky) -> None:
    connector = BlueskyConnector(credentials={"identifier": fake.handle, "app_password": "nope"})
    with pytest.raises(AuthError, match="Invalid identifier or password"):
        connector.fetch(None)


def test_rate_limit_mid_pass_resumes_where_it_stopped(fake: FakeBluesky) -> None:
    account = started(fake)
    for i in range(12):
        fake.add_notification(f"grève {i}")
    fake.inject(LIST, rate_limited(1767607800), after=1)
    result = account.poll()
    assert not result.complete and len(result.mentions) == 5
    assert result.retry_at == datetime.fromtimestamp(1767607800, UTC)
    fake.add_notification("arrivé entre deux passes")
    before = len(fake.requests_to(LIST))
    result = account.poll()
    assert fake.requests_to(LIST)[before].arg("cursor") is not None  # resumed, not restarted
    assert result.complete
    assert account.store.texts == {"déjà vu"} | {f"grève {i}" for i in range(12)}
    # the resumed pass filled the gap; the next one starts from the top again
    account.poll()
    assert "arrivé entre deux passes" in account.store.texts
    newest = parse_iso(fake.notifications[-1]["indexedAt"])
    assert parse_iso(json.loads(account.store.cursor or "")["t"]) == newest


@pytest.mark.parametrize(
    "fault",
    [FakeResponse.json({"error": "InternalServerError"}, 500), TIMEOUT, MALFORMED],
    ids=["500", "timeout", "malformed-json"],
)
def test_transient_faults(fake: FakeBluesky, fault: FakeResponse | str) -> None:
    account = started(fake)
    cursor = account.store.cursor
    for i in range(8):
        fake.add_notification(f"panne {i}")
    fake.inject(LIST, fault)
    with pytest.raises(TransientError):
        account.poll()
    assert account.store.cursor == cursor
    fake.inject(LIST, fault, after=1)
    assert not account.poll().complete
    account.poll()
    assert account.store.texts == {"déjà vu"} | {f"panne {i}" for i in range(8)}


def test_empty_poll_keeps_the_cursor(fake: FakeBluesky) -> None:
    account = started(fake)
    cursor = account.store.cursor
    result = account.poll()
    assert result.mentions == [] and result.cursor == cursor


def test_nothing_at_all(fake: FakeBluesky) -> None:
    result = Account(fake).poll()
    assert result.mentions == [] and result.cursor is None and result.complete


def test_mention_deleted_between_pages(fake: FakeBluesky) -> None:
    account = started(fake)
    added = [fake.add_notification(f"colis {i}") for i in range(12)]
    doomed = added[4]["uri"]  # second page, newest first

    def delete_then_continue(_request: object) -> None:
        fake.delete(doomed)

    fake.inject(LIST, delete_then_continue, after=1)
    account.poll()
    assert account.store.texts == {"déjà vu"} | {f"colis {i}" for i in range(12) if i != 4}


def test_authors_followers_in_batches_of_25(fake: FakeBluesky) -> None:
    for i in range(30):
        fake.add_notification(f"msg {i}", handle=f"user{i}.bsky.social", followers=100 + i)
    result = Account(fake, page_size=50).poll()
    assert {m.author.followers for m in result.mentions} == set(range(100, 130))
    batches = [len(r.query["actors"]) for r in fake.requests_to("app.bsky.actor.getProfiles")]
    assert batches == [25, 5]
    mention = result.mentions[0]
    assert mention.author.handle == "user0.bsky.social"
    assert mention.url and mention.url.startswith("https://bsky.app/profile/user0.bsky.social/")
    assert mention.channel == "bluesky" and mention.lang == "fr"


def test_followers_are_best_effort(fake: FakeBluesky) -> None:
    fake.add_notification("salut")
    fake.inject("app.bsky.actor.getProfiles", FakeResponse.json({"error": "boom"}, 502))
    (mention,) = Account(fake).poll().mentions
    assert mention.author.followers is None


def reply_to(notification: dict[str, Any], text: str) -> OutgoingReply:
    return OutgoingReply(
        text=text,
        in_reply_to_external_id=notification["uri"],
        in_reply_to_raw=notification,
        author_handle=notification["author"]["handle"],
        idempotency_key="r-1",
        language="fr",
    )


def test_reply_to_a_reply_keeps_the_thread_root_and_adds_facets(fake: FakeBluesky) -> None:
    root = fake.add_notification("premier message", handle="zoé.bsky.social")
    child = fake.add_notification("et alors ?", handle="zoé.bsky.social", reply_to=root)
    account = Account(fake)
    account.poll()
    mention = account.store.mentions[child["uri"]]
    assert mention.thread_id == root["uri"] and mention.in_reply_to == root["uri"]
    text = "Désolés 😔 @zoé.bsky.social, voir https://aide.example/grève."
    posted = account.connector().post_reply(reply_to(mention.raw, text))
    (body,) = fake.posted
    record = body["record"]
    assert body["repo"] == fake.did and body["collection"] == "app.bsky.feed.post"
    assert record["reply"] == {
        "root": {"uri": root["uri"], "cid": root["cid"]},
        "parent": {"uri": child["uri"], "cid": child["cid"]},
    }
    assert record["langs"] == ["fr"] and record["createdAt"].endswith("Z")
    encoded = text.encode("utf-8")
    spans = {
        f["features"][0]["$type"].split("#")[1]: encoded[
            f["index"]["byteStart"] : f["index"]["byteEnd"]
        ].decode()
        for f in record["facets"]
    }
    assert spans == {"mention": "@zoé.bsky.social", "link": "https://aide.example/grève"}
    mention_facet = next(f for f in record["facets"] if "mention" in f["features"][0]["$type"])
    assert mention_facet["features"][0]["did"] == child["author"]["did"]
    assert posted.external_id.startswith(f"at://{fake.did}/")
    assert posted.url and posted.url.startswith("https://bsky.app/profile/acme.bsky.social/post/")


def test_reply_to_a_top_level_post_uses_it_as_root(fake: FakeBluesky) -> None:
    notification = fake.add_notification("hello")
    Account(fake).connector().post_reply(reply_to(notification, "Bonjour !"))
    reply = fake.posted[0]["record"]["reply"]
    assert (
        reply["root"]
        == reply["parent"]
        == {
            "uri": notification["uri"],
            "cid": notification["cid"],
        }
    )
    assert "facets" not in fake.posted[0]["record"]


def test_reply_too_long_is_refused_before_posting(fake: FakeBluesky) -> None:
    notification = fake.add_notification("hello")
    with pytest.raises(PermanentError, match="300"):
        Account(fake).connector().post_reply(reply_to(notification, "é" * 301))
    assert fake.posted == []


def test_verify_returns_the_handle(fake: FakeBluesky) -> None:
    connector = Account(fake).connector()
    assert connector.verify() == fake.handle
    assert connector.updated_credentials is not None  # the new session must be stored
