"""The contract every registered connector honours, run against each platform's fake."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import responses
import respx

from connectors import (
    CONNECTORS,
    Connector,
    ConnectorError,
    FetchedMention,
    FetchResult,
    OutcomeUnknown,
    OutgoingReply,
    PostResult,
    TransientError,
    UnsupportedAction,
    get_connector,
    same_reply_text,
)
from tests.connectors.fake_core import COMMIT_THEN_STALL, CONNECT_ERROR, FakeResponse
from tests.connectors.fake_google_business import FakeGoogleBusiness
from tests.connectors.fake_graph import FakeGraph
from tests.connectors.fake_youtube import FakeYouTube
from tests.connectors.fakes import FakeBluesky, FakeMastodon, FakeX


@dataclass
class Setup:
    make: Callable[[], Connector]
    add_mention: Callable[[], object]  # one mention the connector may reply to (and hide)
    fake: Any = None  # the fake platform server, when there is one


@pytest.fixture
def platforms() -> Iterator[dict[str, Setup]]:
    mastodon, x, bluesky = FakeMastodon(), FakeX(), FakeBluesky()
    facebook, instagram = FakeGraph(), FakeGraph("https://graph-ig.fake.test")
    youtube, business = FakeYouTube(), FakeGoogleBusiness()
    with (
        respx.mock(assert_all_called=False) as router,
        responses.RequestsMock(assert_all_requests_are_fired=False) as rsps,
    ):
        mastodon.install_respx(router)
        bluesky.install_respx(router)
        facebook.install_respx(router)
        instagram.install_respx(router)
        youtube.install_respx(router)
        business.install_respx(router)
        x.install_responses(rsps)
        router.post("https://brand.test/replies").mock(
            return_value=httpx.Response(200, json={"id": "delivered-1"})
        )

        def x_mention() -> None:
            ours = x._add_tweet("Info trafic", x.user_id, "fr", None)
            x.add_mention("et mon train ?", in_reply_to=ours["id"])

        yield {
            "mastodon": Setup(
                lambda: CONNECTORS["mastodon"](
                    credentials={"access_token": mastodon.token}, base_url=mastodon.base_url
                ),
                lambda: mastodon.add_mention("bonjour"),
                mastodon,
            ),
            "x": Setup(
                lambda: CONNECTORS["x"](credentials=x.oauth2_credentials()),
                x_mention,
                x,
            ),
            "bluesky": Setup(
                lambda: CONNECTORS["bluesky"](
                    credentials={"identifier": bluesky.handle, "app_password": bluesky.password}
                ),
                lambda: bluesky.add_notification("bonjour"),
                bluesky,
            ),
            "facebook": Setup(
                lambda: CONNECTORS["facebook"](
                    credentials={
                        "page_id": facebook.page_id,
                        "access_token": facebook.token,
                        "app_secret": facebook.app_secret,
                    },
                    base_url=facebook.base_url,
                ),
                lambda: facebook.add_comment("Ma commande n'est jamais arrivée"),
                facebook,
            ),
            "instagram": Setup(
                lambda: CONNECTORS["instagram"](
                    credentials={
                        "ig_user_id": instagram.ig_user_id,
                        "access_token": instagram.token,
                    },
                    base_url=instagram.base_url,
                ),
                lambda: instagram.add_ig_comment("Toujours pas livré"),
                instagram,
            ),
            "youtube": Setup(
                lambda: CONNECTORS["youtube"](
                    credentials=youtube.credentials(), base_url=youtube.base_url
                ),
                lambda: youtube.add_comment("Ma commande n'est jamais arrivée"),
                youtube,
            ),
            "google_business": Setup(
                lambda: CONNECTORS["google_business"](
                    credentials=business.credentials(), base_url=business.base_url
                ),
                lambda: business.add_review("Toujours pas livré, une étoile", stars=1),
                business,
            ),
            "webhook": Setup(
                lambda: CONNECTORS["webhook"](
                    credentials={"secret": "s"}, options={"reply_url": "https://brand.test/replies"}
                ),
                lambda: None,
            ),
            "demo": Setup(
                lambda: CONNECTORS["demo"](credentials={}, options={"pace": 0}),
                lambda: None,
            ),
        }


def test_every_platform_of_the_design_is_registered() -> None:
    assert set(CONNECTORS) == {
        "x",
        "mastodon",
        "bluesky",
        "webhook",
        "demo",
        "facebook",
        "instagram",
        "youtube",
        "google_business",
    }
    with pytest.raises(KeyError, match="known"):
        get_connector("myspace")


@pytest.mark.parametrize("platform", sorted(CONNECTORS))
def test_registry_entry_describes_itself(platform: str) -> None:
    cls = get_connector(platform)
    assert issubclass(cls, Connector) and cls.platform == platform
    assert isinstance(cls.supports_hide, bool)
    assert all(isinstance(f, str) for f in (*cls.credential_fields, *cls.option_fields))


@pytest.mark.parametrize("platform", sorted(CONNECTORS))
def test_fetch_on_an_empty_account(platform: str, platforms: dict[str, Setup]) -> None:
    with platforms[platform].make() as connector:
        result = connector.fetch(None)
    assert isinstance(result, FetchResult)
    if platform != "demo":  # the demo account is never empty
        assert result.mentions == []
    assert result.complete and result.error is None


@pytest.mark.parametrize("platform", sorted(CONNECTORS))
def test_fetch_then_reply_then_hide(platform: str, platforms: dict[str, Setup]) -> None:
    setup = platforms[platform]
    setup.add_mention()
    with setup.make() as connector:
        handle = connector.verify()
        assert isinstance(handle, str) and handle
        result = connector.fetch(None)
        if platform == "webhook":  # pushed, never polled
            assert result.mentions == []
            return
        assert result.mentions
        ids = [m.external_id for m in result.mentions]
        assert len(ids) == len(set(ids))
        mention = result.mentions[-1]
        assert isinstance(mention, FetchedMention)
        assert mention.posted_at.utcoffset() == timedelta(0)
        assert mention.author.handle and mention.channel and mention.raw
        assert isinstance(result.cursor, str)
        posted = connector.post_reply(
            OutgoingReply(
                text="Bonjour, nous regardons cela.",
                in_reply_to_external_id=mention.external_id,
                in_reply_to_raw=mention.raw,
                author_handle=mention.author.handle,
                idempotency_key="contract-1",
                language="fr",
            )
        )
        assert isinstance(posted, PostResult) and posted.external_id
        if connector.supports_hide:
            connector.hide(mention.raw)
            connector.hide(mention.raw, hidden=False)
        else:
            with pytest.raises(UnsupportedAction):
                connector.hide(mention.raw)


def test_webhook_reply_goes_to_the_brand(platforms: dict[str, Setup]) -> None:
    with platforms["webhook"].make() as connector:
        posted = connector.post_reply(
            OutgoingReply(
                text="Merci !",
                in_reply_to_external_id="ext-1",
                in_reply_to_raw={"id": "ext-1"},
                author_handle="paul",
                idempotency_key="k",
            )
        )
    assert posted.external_id == "delivered-1"


# -- a reply whose outcome is unknown is looked up, never re-sent blindly -------------------

POLLED = ("bluesky", "mastodon", "x", "facebook", "instagram", "youtube", "google_business")
#: How each platform sends a reply (Business Profile replaces the review's reply with PUT).
WRITE_METHODS = {"google_business": "PUT"}
STALL_PATHS = {
    "youtube": "/youtube/v3/comments$",
    "google_business": "/reply$",
    "facebook": "/comments$",
    "instagram": "/replies$",
    "mastodon": "/api/v1/statuses$",
    "bluesky": "createRecord",
    "x": "/2/tweets$",
}


@pytest.fixture
def fakes(platforms: dict[str, Setup]) -> dict[str, Any]:
    return {name: platforms[name].fake for name in POLLED}


def _answer(connector: Connector, text: str = "Bonjour, nous regardons cela.", key: str = "k-1"):
    mention = connector.fetch(None).mentions[-1]
    return OutgoingReply(
        text=text,
        in_reply_to_external_id=mention.external_id,
        in_reply_to_raw=mention.raw,
        author_handle=mention.author.handle,
        idempotency_key=key,
        language="fr",
    )


def _since() -> datetime:
    return datetime.now(UTC) - timedelta(minutes=5)


@pytest.mark.parametrize("platform", sorted(CONNECTORS))
def test_find_reply_answers_for_every_connector(platform: str, platforms: dict[str, Setup]) -> None:
    setup = platforms[platform]
    setup.add_mention()
    with setup.make() as connector:
        if platform == "webhook":
            outgoing = OutgoingReply(
                text="Merci !",
                in_reply_to_external_id="ext-1",
                in_reply_to_raw={"id": "ext-1"},
                author_handle="paul",
                idempotency_key="k",
            )
        else:
            outgoing = _answer(connector)
        assert connector.find_reply(outgoing, posted_after=_since()) is None
        posted = connector.post_reply(outgoing)
        found = connector.find_reply(outgoing, posted_after=_since())
    if platform == "webhook":
        # The receiver dedupes on Idempotency-Key: delivering again is the check.
        assert found is None
    else:
        assert isinstance(found, PostResult) and found.external_id == posted.external_id


@pytest.mark.parametrize("platform", POLLED)
def test_a_post_committed_then_stalled_is_unknown_and_found(
    platform: str, platforms: dict[str, Setup], fakes: dict[str, Any]
) -> None:
    fake = fakes[platform]
    platforms[platform].add_mention()
    with platforms[platform].make() as connector:
        outgoing = _answer(connector, "Voici le lien : https://aide.example/colis?id=4 & merci")
        fake.inject(
            STALL_PATHS[platform], COMMIT_THEN_STALL, method=WRITE_METHODS.get(platform, "POST")
        )
        with pytest.raises(OutcomeUnknown):
            connector.post_reply(outgoing)
        found = connector.find_reply(outgoing, posted_after=_since())
    assert found is not None and found.external_id
    assert len(fake.posted) == 1


@pytest.mark.parametrize("platform", POLLED)
def test_a_refused_connection_is_transient_not_unknown(
    platform: str, platforms: dict[str, Setup], fakes: dict[str, Any]
) -> None:
    fake = fakes[platform]
    platforms[platform].add_mention()
    with platforms[platform].make() as connector:
        outgoing = _answer(connector)
        fake.inject(
            STALL_PATHS[platform], CONNECT_ERROR, method=WRITE_METHODS.get(platform, "POST")
        )
        with pytest.raises(TransientError) as raised:
            connector.post_reply(outgoing)
    assert not isinstance(raised.value, OutcomeUnknown)


@pytest.mark.parametrize("platform", POLLED)
def test_a_5xx_answer_to_a_post_is_unknown(
    platform: str, platforms: dict[str, Setup], fakes: dict[str, Any]
) -> None:
    fake = fakes[platform]
    platforms[platform].add_mention()
    with platforms[platform].make() as connector:
        outgoing = _answer(connector)
        fake.inject(
            STALL_PATHS[platform],
            FakeResponse.json({"error": "bad gateway"}, 502),
            method=WRITE_METHODS.get(platform, "POST"),
        )
        with pytest.raises(OutcomeUnknown):
            connector.post_reply(outgoing)


@pytest.mark.parametrize("platform", POLLED)
def test_find_reply_matches_parent_author_and_text(
    platform: str, platforms: dict[str, Setup], fakes: dict[str, Any]
) -> None:
    setup = platforms[platform]
    setup.add_mention()
    setup.add_mention()
    with setup.make() as connector:
        mentions = connector.fetch(None).mentions
        first, second = mentions[0], mentions[-1]

        def to(mention: FetchedMention, text: str) -> OutgoingReply:
            return OutgoingReply(
                text=text,
                in_reply_to_external_id=mention.external_id,
                in_reply_to_raw=mention.raw,
                author_handle=mention.author.handle,
                idempotency_key=f"{mention.external_id}-{text}",
            )

        connector.post_reply(to(first, "Merci pour votre message."))
        # Same text, other mention: not ours.
        assert (
            connector.find_reply(to(second, "Merci pour votre message."), posted_after=_since())
            is None
        )
        # Same mention, other text (a colleague answered by hand): not ours either.
        assert connector.find_reply(to(first, "Nous regardons."), posted_after=_since()) is None
        assert connector.find_reply(to(first, "Merci pour votre message."), posted_after=_since())


@pytest.mark.parametrize("platform", POLLED)
def test_find_reply_that_cannot_tell_raises(
    platform: str, platforms: dict[str, Setup], fakes: dict[str, Any]
) -> None:
    fake = fakes[platform]
    platforms[platform].add_mention()
    with platforms[platform].make() as connector:
        outgoing = _answer(connector)
        paths = {
            "mastodon": "/context$",
            "bluesky": "listRecords",
            "x": "/tweets$",
            "facebook": "/comments$",
            "instagram": "/replies$",
            "youtube": "/comments$",
            "google_business": "/reviews/[^/]+$",
        }
        fake.inject(paths[platform], FakeResponse.json({"error": "unavailable"}, 503), times=5)
        with pytest.raises(ConnectorError):
            connector.find_reply(outgoing, posted_after=_since())


def test_same_reply_text_ignores_the_handles_platforms_add() -> None:
    assert same_reply_text(
        "@alice@other.example  Bonjour,\nnous regardons.", "Bonjour, nous regardons."
    )
    assert same_reply_text("@alice @bob Merci", "@alice Merci")
    assert not same_reply_text("Bonjour, nous regardons", "Bonjour, nous regardons.")
