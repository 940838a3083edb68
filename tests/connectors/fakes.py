"""Reusable fake platform servers for connector, worker and end-to-end tests.

Usage with httpx-based connectors (Mastodon, Bluesky)::

    fake = FakeMastodon()
    with respx.mock(assert_all_called=False) as router:
        fake.install_respx(router)
        fake.add_mention("@acme mon colis ?")
        ...  # run the worker tick; then assert len(fake.posted) == 1

With tweepy (X)::

    fake = FakeX()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        fake.install_responses(rsps)

Faults: `fake.inject(path_regex, FakeResponse(...) | TIMEOUT | COMMIT_THEN_STALL |
CONNECT_ERROR | MALFORMED | callable, method=..., after=n, times=k)`. COMMIT_THEN_STALL
stores the post, then answers too late (the double-post case). Real local HTTP servers, where
the client's own timeout fires: `tests.connectors.fake_http_server.serve_fake(fake)` (any
fake) or `tests.connectors.fake_mastodon_server.serve_fake_mastodon()`.
"""

from tests.connectors.fake_bluesky import FakeBluesky
from tests.connectors.fake_core import (
    COMMIT_THEN_STALL,
    CONNECT_ERROR,
    MALFORMED,
    TIMEOUT,
    FakeRequest,
    FakeResponse,
    FakeServer,
)
from tests.connectors.fake_mastodon import FakeMastodon
from tests.connectors.fake_x import FakeX

__all__ = [
    "COMMIT_THEN_STALL",
    "CONNECT_ERROR",
    "MALFORMED",
    "TIMEOUT",
    "FakeBluesky",
    "FakeMastodon",
    "FakeRequest",
    "FakeResponse",
    "FakeServer",
    "FakeX",
]
