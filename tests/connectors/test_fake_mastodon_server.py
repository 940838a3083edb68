"""The fake Mastodon also works as a real local server (for cross-process tests)."""

from __future__ import annotations

import pytest

from connectors import OutgoingReply, TransientError
from connectors.mastodon import MastodonConnector
from tests.connectors.fake_mastodon_server import serve_fake_mastodon
from tests.connectors.fakes import FakeResponse


def test_poll_and_reply_over_real_http() -> None:
    with serve_fake_mastodon() as fake:
        fake.add_mention("mon colis ?", acct="zoe@other.example")
        connector = MastodonConnector(
            credentials={"access_token": fake.token}, base_url=fake.base_url, http_timeout=2
        )
        (mention,) = connector.fetch(None).mentions
        reply = OutgoingReply(
            text="Bonjour, nous regardons.",
            in_reply_to_external_id=mention.external_id,
            in_reply_to_raw=mention.raw,
            author_handle=mention.author.handle,
            idempotency_key="e2e-1",
        )
        connector.post_reply(reply)
        connector.post_reply(reply)
        fake.inject("/api/v1/notifications", FakeResponse.json({"error": "boom"}, 503))
        with pytest.raises(TransientError):
            connector.fetch(None)
        connector.close()
    assert [s["_text"] for s in fake.posted] == ["@zoe@other.example Bonjour, nous regardons."]
