"""The registry of platform connectors, keyed by platform name."""

from __future__ import annotations

from connectors.base import Connector
from connectors.bluesky import BlueskyConnector
from connectors.demo import DemoConnector
from connectors.google_business import GoogleBusinessConnector
from connectors.mastodon import MastodonConnector
from connectors.meta_facebook import FacebookConnector
from connectors.meta_instagram import InstagramConnector
from connectors.webhook import WebhookConnector
from connectors.x import XConnector
from connectors.youtube import YouTubeConnector

CONNECTORS: dict[str, type[Connector]] = {
    XConnector.platform: XConnector,
    MastodonConnector.platform: MastodonConnector,
    BlueskyConnector.platform: BlueskyConnector,
    WebhookConnector.platform: WebhookConnector,
    DemoConnector.platform: DemoConnector,
    FacebookConnector.platform: FacebookConnector,
    InstagramConnector.platform: InstagramConnector,
    YouTubeConnector.platform: YouTubeConnector,
    GoogleBusinessConnector.platform: GoogleBusinessConnector,
}


def get_connector(platform: str) -> type[Connector]:
    """Return the connector class for `platform`; KeyError names the known platforms."""
    try:
        return CONNECTORS[platform]
    except KeyError:
        known = ", ".join(sorted(CONNECTORS))
        raise KeyError(f"unknown platform {platform!r} (known: {known})") from None
