from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import respx

from connectors import (
    AuthError,
    OutcomeUnknown,
    OutgoingReply,
    PermanentError,
    RateLimited,
    TransientError,
)
from connectors.mastodon import MastodonConnector
from tests.connectors.fakes import MALFORMED, TIMEOUT, FakeMastodon, FakeResponse
from tests.connectors.polling import MentionStore


@pytest.fixture
def fake() -> Iterator[FakeMastodon]:
    server = FakeMastodon()
    with respx.mock(assert_all_called=False) as router:
        server.install_respx(router)
        yield server


def make_connector(fake: FakeMastodon, **options: object) -> MastodonConnector:
    return MastodonConnector(
        credentials={"access_token": fake.token},
        base_url=fake.base_url,
        options={"page_size": 5, **options},
    )


def started_store(fake: FakeMastodon, connector: MastodonConnector) -> MentionStore:
    """A store that already polled once, so the next polls page upwards from its cursor."""
    fake.add_mention("déjà vu")
    store = MentionStore()
    store.poll(connector)
    return store


def test_first_poll_takes_the_latest_page_and_sets_the_cursor(fake: FakeMastodon) -> None:
    for i in range(12):
        fake.add_mention(f"message {i}")
    store = MentionStore()
    result = store.poll(make_connector(fake))
    assert result.complete
    assert store.texts == {f"message {i}" for i in range(7, 12)}
    assert store.cursor == fake.notifications[-1]["id"]


def test_pages_upwards_until_empty_nothing_lost_nothing_twice(fake: FakeMastodon) -> None:
    connector = make_connector(fake)
    store = started_store(fake, connector)
    for i in range(23):  # ids cross from 2 to 3 digits: opaque ids must not sort as text
        fake.add_mention(f"retard n°{i}")
    result = store.poll(connector)
    assert result.complete and result.error is None
    assert [m.text for m in result.mentions][:2] == ["@acme retard n°0", "@acme retard n°1"]
    assert store.texts == {"déjà vu"} | {f"retard n°{i}" for i in range(23)}
    assert store.cursor == fake.notifications[-1]["id"]
    # 5 full pages and a final empty one, each asking only for mentions and quotes
    calls = fake.requests_to("/api/v1/notifications")
    assert len(calls) == 1 + 6
    assert calls[1].query["types[]"] == ["mention", "quote"]
    assert calls[1].arg("include_filtered") == "true"
    assert store.poll(connector).mentions == []


def test_rate_limit_mid_pass_keeps_what_was_read_and_resumes(fake: FakeMastodon) -> None:
    connector = make_connector(fake)
    store = started_store(fake, connector)
    for i in range(12):
        fake.add_mention(f"grève {i}")
    reset = "2026-01-05T10:15:00.000Z"
    fake.inject(
        "/api/v1/notifications",
        FakeResponse.json(
            {"error": "Too many requests"},
            429,
            {"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset},
        ),
        after=1,
    )
    result = store.poll(connector)
    assert not result.complete
    assert result.retry_at == datetime(2026, 1, 5, 10, 15, tzinfo=UTC)
    assert result.rate_limit.remaining == 0
    assert len(result.mentions) == 5
    result = store.poll(connector)
    assert result.complete
    assert store.texts == {"déjà vu"} | {f"grève {i}" for i in range(12)}
    assert store.cursor == fake.notifications[-1]["id"]


def test_rate_limit_before_anything_raises_with_the_reset_time(fake: FakeMastodon) -> None:
    connector = make_connector(fake)
    store = started_store(fake, connector)
    cursor = store.cursor
    fake.inject(
        "/api/v1/notifications",
        FakeResponse.json(
            {"error": "Too many requests"},
            429,
            {"X-RateLimit-Reset": "2026-01-05T11:00:00.000000Z"},
        ),
    )
    with pytest.raises(RateLimited) as caught:
        store.poll(connector)
    assert caught.value.retry_at == datetime(2026, 1, 5, 11, 0, tzinfo=UTC)
    assert store.cursor == cursor


def test_rate_limit_without_reset_header_still_says_when_to_retry(fake: FakeMastodon) -> None:
    fake.inject("/api/v1/notifications", FakeResponse.json({"error": "Too many requests"}, 429))
    with pytest.raises(RateLimited) as caught:
        make_connector(fake).fetch(None)
    assert caught.value.retry_at is not None
    assert caught.value.retry_at > datetime.now(UTC)


def test_invalid_token_is_an_auth_error(fake: FakeMastodon) -> None:
    connector = MastodonConnector(credentials={"access_token": "revoked"}, base_url=fake.base_url)
    with pytest.raises(AuthError, match="access token is invalid"):
        connector.fetch(None)


@pytest.mark.parametrize(
    "fault",
    [
        FakeResponse.json({"error": "boom"}, 500),
        FakeResponse(502, {}, b"<html>Bad gateway"),
        TIMEOUT,
        MALFORMED,
    ],
    ids=["500", "502-html", "timeout", "malformed-json"],
)
def test_transient_faults(fake: FakeMastodon, fault: FakeResponse | str) -> None:
    connector = make_connector(fake)
    store = started_store(fake, connector)
    cursor = store.cursor
    for i in range(8):
        fake.add_mention(f"panne {i}")
    fake.inject("/api/v1/notifications", fault)
    with pytest.raises(TransientError):
        store.poll(connector)
    assert store.cursor == cursor
    # the same fault after one page: the page is kept, the cursor moves past it only
    fake.inject("/api/v1/notifications", fault, after=1)
    partial = store.poll(connector)
    assert not partial.complete and len(partial.mentions) == 5
    store.poll(connector)
    assert store.texts == {"déjà vu"} | {f"panne {i}" for i in range(8)}


def test_empty_page_keeps_the_cursor(fake: FakeMastodon) -> None:
    connector = make_connector(fake)
    store = started_store(fake, connector)
    cursor = store.cursor
    result = store.poll(connector)
    assert result.mentions == [] and result.complete and result.cursor == cursor


def test_no_mentions_at_all_gives_no_cursor(fake: FakeMastodon) -> None:
    result = make_connector(fake).fetch(None)
    assert result.mentions == [] and result.cursor is None and result.complete


def test_mention_deleted_between_pages(fake: FakeMastodon) -> None:
    connector = make_connector(fake)
    store = started_store(fake, connector)
    added = [fake.add_mention(f"colis {i}") for i in range(12)]
    doomed = added[8]["status"]["id"]  # on the second page

    def delete_then_continue(_request: object) -> None:
        fake.delete_status(doomed)

    fake.inject("/api/v1/notifications", delete_then_continue, after=1)
    store.poll(connector)
    assert store.texts == {"déjà vu"} | {f"colis {i}" for i in range(12) if i != 8}
    assert store.cursor == fake.notifications[-1]["id"]


def test_mentions_are_plain_text_with_author_and_thread(fake: FakeMastodon) -> None:
    fake.add_mention(
        content_html=(
            '<p><span class="h-card"><a href="https://mastodon.test/@acme" class="u-url mention">'
            "@<span>acme</span></a></span> Train supprimé&nbsp;! L&#39;attente &amp; le froid"
            '<br>voir <a href="https://ex.fr/a/b"><span class="invisible">https://</span>'
            '<span class="ellipsis">ex.fr/a</span><span class="invisible">/b</span></a></p>'
            "<p>#grève</p>"
        ),
        acct="zsc@other.example",
        display_name="Zoé",
        followers=1234,
        visibility="unlisted",
        in_reply_to_id="112999",
        spoiler_text="coup de gueule",
    )
    fake.add_mention("quoted you", kind="quote")
    fake.add_mention("liked", kind="favourite")
    fake.add_mention("from a stranger", filtered=True)
    result = make_connector(fake).fetch(None)
    texts = [m.text for m in result.mentions]
    assert "@acme liked" not in texts
    assert {"@acme quoted you", "@acme from a stranger"} <= set(texts)
    mention = next(m for m in result.mentions if m.author.handle == "zsc@other.example")
    assert mention.text == (
        "coup de gueule\n\n@acme Train supprimé\xa0! L'attente & le froid\n"
        "voir https://ex.fr/a/b\n\n#grève"
    )
    assert mention.author.name == "Zoé" and mention.author.followers == 1234
    assert mention.channel == "mastodon" and mention.lang == "fr"
    assert mention.visibility == "unlisted" and mention.in_reply_to == "112999"
    assert mention.posted_at.tzinfo is not None
    assert mention.url and mention.url.startswith("https://other.example/@zsc/")


def reply_to(mention_raw: dict, text: str, key: str, visibility: str | None = None):
    return OutgoingReply(
        text=text,
        in_reply_to_external_id=mention_raw["status"]["id"],
        in_reply_to_raw=mention_raw,
        author_handle=mention_raw["account"]["acct"],
        idempotency_key=key,
        language="fr",
        visibility=visibility,
    )


def test_reply_mentions_the_author_and_mirrors_visibility(fake: FakeMastodon) -> None:
    notification = fake.add_mention("c'est privé", visibility="private", acct="zsc@other.example")
    connector = make_connector(fake)
    posted = connector.post_reply(reply_to(notification, "Bonjour, on regarde.", "r-1", "public"))
    status = fake.posted[0]
    assert posted.external_id == status["id"] and posted.url == status["url"]
    assert status["_text"] == "@zsc@other.example Bonjour, on regarde."
    assert status["visibility"] == "private"
    assert status["in_reply_to_id"] == notification["status"]["id"]
    assert status["language"] == "fr"


def test_reply_keeps_an_existing_mention(fake: FakeMastodon) -> None:
    notification = fake.add_mention("dm", visibility="direct", acct="zsc@other.example")
    make_connector(fake).post_reply(
        reply_to(notification, "Bonjour @zsc@other.example.", "r-2", "unlisted")
    )
    assert fake.posted[0]["_text"] == "Bonjour @zsc@other.example."
    assert fake.posted[0]["visibility"] == "direct"


def test_retrying_a_reply_posts_it_once(fake: FakeMastodon) -> None:
    notification = fake.add_mention("allo ?")
    connector = make_connector(fake)
    fake.inject("/api/v1/statuses", TIMEOUT, method="POST")
    reply = reply_to(notification, "Nous revenons vers vous.", "vigie-reply-42")
    with pytest.raises(OutcomeUnknown):
        connector.post_reply(reply)
    first = connector.post_reply(reply)
    second = connector.post_reply(reply)
    assert first.external_id == second.external_id
    assert len(fake.posted) == 1
    assert fake.posted[0]["_idempotency_key"] == "vigie-reply-42"


def test_reply_refused_is_permanent(fake: FakeMastodon) -> None:
    notification = fake.add_mention("long")
    with pytest.raises(PermanentError, match="character limit"):
        make_connector(fake).post_reply(reply_to(notification, "x" * 600, "r-3"))
    assert fake.posted == []


def test_verify_returns_the_full_handle(fake: FakeMastodon) -> None:
    assert make_connector(fake).verify() == "acme@mastodon.test"


def test_verify_with_a_bad_token(fake: FakeMastodon) -> None:
    with pytest.raises(AuthError):
        MastodonConnector(credentials={"access_token": "nope"}, base_url=fake.base_url).verify()
