"""The contract every registered connector honours, run against each platform's fake."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta

import httpx
import pytest
import responses
import respx

from connectors import (
    CONNECTORS,
    Connector,
    FetchedMention,
    FetchResult,
    OutgoingReply,
    PostResult,
    UnsupportedAction,
    get_connector,
)
from tests.connectors.fakes import FakeBluesky, FakeMastodon, FakeX


@dataclass
class Setup:
    make: Callable[[], Connector]
    add_mention: Callable[[], object]  # one mention the connector may reply to (and hide)


@pytest.fixture
def platforms() -> Iterator[dict[str, Setup]]:
    mastodon, x, bluesky = FakeMastodon(), FakeX(), FakeBluesky()
    with (
        respx.mock(assert_all_called=False) as router,
        responses.RequestsMock(assert_all_requests_are_fired=False) as rsps,
    ):
        mastodon.install_respx(router)
        bluesky.install_respx(router)
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
            ),
            "x": Setup(
                lambda: CONNECTORS["x"](credentials={"bearer_token": x.bearer_token}),
                x_mention,
            ),
            "bluesky": Setup(
                lambda: CONNECTORS["bluesky"](
                    credentials={"identifier": bluesky.handle, "app_password": bluesky.password}
                ),
                lambda: bluesky.add_notification("bonjour"),
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
    assert set(CONNECTORS) == {"x", "mastodon", "bluesky", "webhook", "demo"}
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
