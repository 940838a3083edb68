"""YouTube connector against the fake YouTube Data API: threads, held comments, quota, errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import respx

from connectors import AuthError, OutgoingReply, PermanentError, RateLimited
from connectors.quota import MemoryLedger, quota_day
from connectors.youtube import YouTubeConnector
from tests.connectors.fake_core import COMMIT_THEN_STALL
from tests.connectors.fake_youtube import FakeYouTube


@pytest.fixture
def fake() -> Iterator[FakeYouTube]:
    fake = FakeYouTube()
    with respx.mock(assert_all_called=False) as router:
        fake.install_respx(router)
        yield fake


def make(fake: FakeYouTube, **kwargs) -> YouTubeConnector:
    return YouTubeConnector(credentials=fake.credentials(), base_url=fake.base_url, **kwargs)


def reply_to(mention, text: str = "Bonjour, nous regardons.") -> OutgoingReply:
    return OutgoingReply(
        text=text,
        in_reply_to_external_id=mention.external_id,
        in_reply_to_raw=mention.raw,
        author_handle=mention.author.handle,
        idempotency_key=f"k-{mention.external_id}",
    )


def test_a_reply_in_a_thread_lands_in_its_top_comment_case(fake: FakeYouTube) -> None:
    top = fake.add_comment("Colis perdu", author="@jean")
    fake.add_reply(top["id"], "Pareil pour moi")
    with make(fake) as yt:
        mentions = yt.fetch(None).mentions
    first, second = mentions
    assert first.thread_id == second.thread_id == top["id"]
    assert second.in_reply_to == top["id"] and first.in_reply_to == "vid-launch"
    assert first.channel == "youtube" and first.author.name == "@jean"
    assert first.url == f"https://www.youtube.com/watch?v=vid-launch&lc={top['id']}"


def test_our_own_replies_are_not_mentions(fake: FakeYouTube) -> None:
    fake.add_comment("Colis perdu")
    with make(fake) as yt:
        mention = yt.fetch(None).mentions[0]
        yt.post_reply(reply_to(mention))
        again = yt.fetch(None).mentions
    assert [m.external_id for m in again] == [mention.external_id]


def test_a_reply_to_a_reply_goes_under_the_top_comment(fake: FakeYouTube) -> None:
    top = fake.add_comment("Colis perdu")
    fake.add_reply(top["id"], "Moi aussi !")
    with make(fake) as yt:
        reply = yt.fetch(None).mentions[-1]
        yt.post_reply(reply_to(reply))
    assert fake.posted[0]["snippet"]["parentId"] == top["id"]


def test_held_comments_are_read_and_flagged(fake: FakeYouTube) -> None:
    fake.add_comment("Bonjour")
    held = fake.add_comment("Achetez des followers sur spam.example", held=True)
    with make(fake) as yt:
        mentions = {m.external_id: m for m in yt.fetch(None).mentions}
    assert mentions[held["id"]].visibility == "held"
    assert mentions[held["id"]].raw["moderation_status"] == "heldForReview"
    assert [m.visibility for m in mentions.values()].count(None) == 1


def test_paging_and_incremental_cursor(fake: FakeYouTube) -> None:
    fake.page_size = 2
    for n in range(5):
        fake.add_comment(f"commentaire {n}")
    with make(fake) as yt:
        first = yt.fetch(None)  # first poll: the newest page only
        assert len(first.mentions) == 2
        for n in range(3):
            fake.add_comment(f"nouveau {n}")
        second = yt.fetch(first.cursor)
    texts = {m.text for m in second.mentions}
    assert {"nouveau 0", "nouveau 1", "nouveau 2"} <= texts
    assert json.loads(second.cursor)["since"] >= json.loads(first.cursor)["since"]


def test_a_comment_surfacing_late_is_still_read(fake: FakeYouTube) -> None:
    """Out of order: a comment dated before the cursor (within the overlap) is not lost."""
    with make(fake) as yt:
        cursor = yt.fetch(None).cursor
        late = fake.add_comment("arrivé en retard")
        late["snippet"]["publishedAt"] = (datetime.now(UTC) - timedelta(minutes=3)).strftime(
            "%Y-%m-%dT%H:%M:%SZ"
        )
        assert [m.external_id for m in yt.fetch(cursor).mentions] == [late["id"]]


def test_threads_with_many_replies_are_completed(fake: FakeYouTube) -> None:
    fake.embedded_replies = 2
    top = fake.add_comment("Colis perdu")
    for n in range(5):
        fake.add_reply(top["id"], f"réponse {n}")
    with make(fake) as yt:
        mentions = yt.fetch(None).mentions
    assert len(mentions) == 6
    assert fake.requests_to("/youtube/v3/comments$", "GET")


def test_a_thread_deleted_between_pages_ends_the_pass_without_loss(fake: FakeYouTube) -> None:
    fake.page_size = 2
    comments = [fake.add_comment(f"c{n}") for n in range(4)]
    with make(fake) as yt:
        cursor = yt.fetch(None).cursor
        for n in range(4):
            fake.add_comment(f"n{n}")

        def delete(request):
            fake.delete_thread(comments[0]["id"])
            return None

        fake.inject("/commentThreads$", delete, after=1)
        result = yt.fetch(cursor)
    assert {"n3", "n2"} <= {m.text for m in result.mentions}


def test_an_expired_token_is_refreshed_and_handed_back(fake: FakeYouTube) -> None:
    fake.add_comment("Bonjour")
    with make(fake) as yt:
        yt.fetch(None)
        first = yt.updated_credentials["access_token"]
        fake.expire_token()
        assert yt.fetch(None).mentions
        assert yt.updated_credentials["access_token"] != first
        assert yt.updated_credentials["refresh_token"] == fake.refresh_token


def test_a_revoked_consent_is_an_auth_error(fake: FakeYouTube) -> None:
    fake.revoke()
    with make(fake) as yt, pytest.raises(AuthError, match=r"invalid_grant|revoked"):
        yt.fetch(None)


def test_a_forbidden_read_flags_the_account(fake: FakeYouTube) -> None:
    creds = {**fake.credentials(), "channel_id": "UCsomeoneElse"}
    yt = YouTubeConnector(credentials=creds, base_url=fake.base_url)
    with yt, pytest.raises(AuthError, match="force-ssl"):
        yt.fetch(None)


def test_comments_disabled_refuses_the_reply_for_good(fake: FakeYouTube) -> None:
    fake.add_comment("Bonjour", video="vid-tuto")
    fake.comments_disabled.add("vid-tuto")
    with make(fake) as yt:
        mention = yt.fetch(None).mentions[0]
        with pytest.raises(PermanentError, match="commentsDisabled"):
            yt.post_reply(reply_to(mention))


def test_quota_is_counted_shown_and_respected(fake: FakeYouTube) -> None:
    ledger = MemoryLedger()
    fake.add_comment("Bonjour")
    with make(fake, quota=ledger, options={"daily_quota": 200, "write_reserve": 100}) as yt:
        mention = yt.fetch(None).mentions[0]
        spent = ledger.spent(quota_day(datetime.now(UTC)))
        assert spent == 3  # channels.list + two thread lists
        assert yt.rate_limit.limit == 200 and yt.rate_limit.remaining == 197
        yt.post_reply(reply_to(mention))  # 50 units
        assert yt.rate_limit.remaining == 147
        ledger.spend(quota_day(datetime.now(UTC)), 60)  # another process spent some
        with pytest.raises(RateLimited, match="kept for replies"):
            yt.fetch(None)  # reads stop before the reserve
        yt.moderate(mention.raw, "hold")  # writes may still use it
        with pytest.raises(RateLimited) as raised:
            yt.moderate(mention.raw, "publish")
    assert raised.value.retry_at is not None and raised.value.retry_at > datetime.now(UTC)


def test_googles_quota_exceeded_waits_for_the_reset(fake: FakeYouTube) -> None:
    fake.daily_quota = 2
    with make(fake) as yt:
        yt.verify()
        # The published pass fits, the held pass does not: nothing fetched, wait for the reset.
        with pytest.raises(RateLimited, match="quotaExceeded") as raised:
            yt.fetch(None)
        sent = len(fake.requests)
        with pytest.raises(RateLimited):
            yt.fetch(None)  # the ledger knows the day is spent: no request at all
    assert raised.value.retry_at is not None and raised.value.retry_at > datetime.now(UTC)
    assert yt.rate_limit.remaining == 0 and len(fake.requests) == sent


def test_moderation_actions_and_status(fake: FakeYouTube) -> None:
    fake.add_comment("Arnaque !!!", author_id="UCtroll")
    with make(fake) as yt:
        mention = yt.fetch(None).mentions[0]
        yt.moderate(mention.raw, "hold")
        assert yt.moderation_status(mention.raw) == "heldForReview"
        yt.moderate(mention.raw, "publish")
        assert yt.moderation_status(mention.raw) == "published"
        yt.moderate(mention.raw, "ban")
        assert yt.moderation_status(mention.raw) is None  # rejected: no longer listed
        yt.hide(mention.raw)
    assert ("Ugz000001", "rejected", True) in fake.moderated
    assert fake.banned == {"UCtroll"}
    assert fake.moderated[-1][1] == "heldForReview"


def test_a_reply_committed_then_stalled_is_found_not_resent(fake: FakeYouTube) -> None:
    from connectors import OutcomeUnknown

    fake.add_comment("Bonjour")
    with make(fake, http_timeout=0.3) as yt:
        mention = yt.fetch(None).mentions[0]
        fake.inject("/youtube/v3/comments$", COMMIT_THEN_STALL, method="POST")
        with pytest.raises(OutcomeUnknown):
            yt.post_reply(reply_to(mention, "Voici le suivi"))
        found = yt.find_reply(
            reply_to(mention, "Voici le suivi"),
            posted_after=datetime.now(UTC) - timedelta(minutes=1),
        )
    assert found is not None and len(fake.posted) == 1


def test_a_new_reply_on_an_old_thread_pages_back_is_found_within_quota(fake: FakeYouTube) -> None:
    """Threads are listed by their top comment's date: a reply today on a month-old thread
    sits three pages back, where a poll's own pages (here the first two: page 1 holds today's
    thread) never look; the sweep finds it."""
    fake.page_size = 20
    old = fake.add_comment("Toujours pas remboursé", ago=timedelta(days=30))
    for n in range(70):  # 70 newer threads: the old one is on page 4, three pages back
        fake.add_comment(f"fil {n}", ago=timedelta(days=20 - n / 10))
    busy = fake.add_comment("Fil très actif", ago=timedelta(days=25))
    for n in range(8):  # more replies than a thread embeds
        fake.add_reply(busy["id"], f"ancienne réponse {n}")
    fake.add_comment("Bonjour, une question sur la vidéo")  # today's thread, on page 1
    ledger = MemoryLedger()
    with make(fake, quota=ledger) as yt:
        cursor = yt.fetch(None).cursor
        before = ledger.spent(quota_day(datetime.now(UTC)))
        late = fake.add_reply(old["id"], "Relance : toujours rien reçu !")
        found, polls = [], 0
        while not found and polls < 10:
            result = yt.fetch(cursor)
            cursor, polls = result.cursor, polls + 1
            found = [m for m in result.mentions if m.external_id == late["id"]]
        spent = ledger.spent(quota_day(datetime.now(UTC))) - before
        # One page swept per poll after the poll's own two: page 3, then page 4.
        assert found and polls == 2
        assert found[0].thread_id == old["id"] and found[0].in_reply_to == old["id"]
        # Each poll: its two pages of published threads, one of held threads, one swept page
        # (4 units), and the busy thread's replies once (its count is remembered).
        assert spent == 2 * 4 + 1
        again = yt.fetch(cursor)  # the round goes on: nothing is handed out twice
    assert late["id"] not in {m.external_id for m in again.mentions}
    listed = [
        r for r in fake.requests_to("/youtube/v3/comments$", "GET") if busy["id"] in str(r.query)
    ]
    assert len(listed) == 1  # the quiet busy thread is listed once, not at every round
