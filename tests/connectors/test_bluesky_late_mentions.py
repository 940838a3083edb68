"""Bluesky mentions indexed out of order: stored once, never skipped, never returned twice.

The AppView lists notifications by the earlier of `createdAt` and the time it indexed the
post; a post from an author whose clock is behind, or relayed late, lands below what the
connector already read.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import respx

import connectors.bluesky_window as bluesky_window
from connectors import AuthError
from connectors.bluesky import BlueskyConnector
from connectors.bluesky_window import seen_key
from connectors.http_support import parse_iso
from tests.connectors.fake_bluesky import FakeBluesky
from tests.connectors.fakes import FakeResponse
from tests.connectors.polling import MentionStore

LIST = "app.bsky.notification.listNotifications"


@pytest.fixture
def fake() -> Iterator[FakeBluesky]:
    server = FakeBluesky()
    with respx.mock(assert_all_called=False) as router:
        server.install_respx(router)
        yield server


class Account:
    """Polls like the worker and counts how often each mention was handed over."""

    def __init__(self, fake: FakeBluesky, **options: Any) -> None:
        self.credentials: dict[str, Any] = {
            "identifier": fake.handle,
            "app_password": fake.password,
        }
        self.options = {"page_size": 5, **options}
        self.store = MentionStore()
        self.returned: Counter[str] = Counter()

    def poll(self):
        connector = BlueskyConnector(credentials=self.credentials, options=self.options)
        result = self.store.poll(connector)
        self.credentials = connector.updated_credentials or self.credentials
        self.returned.update(m.external_id for m in result.mentions)
        return result

    @property
    def twice(self) -> list[str]:
        return [uri for uri, count in self.returned.items() if count > 1]


def test_the_fake_lists_a_back_dated_post_below_newer_ones(fake: FakeBluesky) -> None:
    newer = fake.add_notification("arrivé d'abord")
    late = fake.add_notification("horloge en retard", lag=timedelta(minutes=10))
    connector = BlueskyConnector(
        credentials={"identifier": fake.handle, "app_password": fake.password}
    )
    uris = [m.external_id for m in connector.fetch(None).mentions[::-1]]  # newest first
    assert uris == [newer["uri"], late["uri"]]
    assert parse_iso(late["indexedAt"]) == parse_iso(late["record"]["createdAt"])


def test_a_back_dated_mention_is_stored_once_across_polls(fake: FakeBluesky) -> None:
    fake.add_notification("premier")
    account = Account(fake)
    account.poll()
    fake.add_notification("deuxième")
    fake.add_notification("troisième")
    account.poll()
    # Written 10 minutes ago by a phone whose clock is late, indexed only now: below the
    # newest notification already read.
    fake.add_notification("mon colis est perdu", lag=timedelta(minutes=10))
    result = account.poll()
    assert "mon colis est perdu" in {m.text.split(" ", 1)[1] for m in result.mentions}
    for _ in range(3):
        fake.add_notification("encore un")
        fake.add_notification("relais lent", lag=timedelta(minutes=3))
        account.poll()
    account.poll()
    assert len(account.store.mentions) == len(fake.notifications) == 10
    assert account.twice == []


def test_a_late_mention_in_a_busy_window_spans_pages(fake: FakeBluesky) -> None:
    account = Account(fake)
    fake.add_notification("premier")
    account.poll()
    for i in range(12):
        fake.add_notification(f"flux {i}")
    account.poll()
    late = fake.add_notification("en retard", lag=timedelta(minutes=2, seconds=30))
    result = account.poll()
    assert [m.external_id for m in result.mentions] == [late["uri"]]
    assert account.poll().mentions == []
    assert account.twice == []


def test_a_late_mention_during_an_interrupted_pass_is_not_lost(fake: FakeBluesky) -> None:
    fake.add_notification("premier")
    account = Account(fake)
    account.poll()
    for i in range(12):
        fake.add_notification(f"grève {i}")
    fake.inject(
        LIST,
        FakeResponse.json({"error": "RateLimitExceeded"}, 429, {"RateLimit-Reset": "1767607800"}),
        after=1,
    )
    assert not account.poll().complete
    fake.add_notification("pendant la coupure", lag=timedelta(minutes=1))
    for _ in range(3):
        account.poll()
    assert len(account.store.mentions) == len(fake.notifications) == 14
    assert account.twice == []


def test_the_window_is_an_option(fake: FakeBluesky) -> None:
    fake.add_notification("premier")
    account = Account(fake, overlap_minutes=180)
    account.poll()
    fake.add_notification("deux heures de retard", lag=timedelta(hours=2))
    assert len(account.poll().mentions) == 1
    short = Account(fake, overlap_minutes=1)
    short.poll()
    fake.add_notification("cinq minutes de retard", lag=timedelta(minutes=5))
    assert short.poll().mentions == []  # beyond the window the account owner chose


def test_the_seen_set_stays_bounded(fake: FakeBluesky, monkeypatch) -> None:
    account = Account(fake, overlap_minutes=1)
    fake.add_notification("premier")
    account.poll()
    for i in range(30):  # 13 s apart: about 5 in a one-minute window
        fake.add_notification(f"message {i}")
    account.poll()
    seen = json.loads(account.store.cursor or "")["seen"]
    assert 4 <= len(seen) <= 6
    monkeypatch.setattr(bluesky_window, "MAX_SEEN", 3)
    wide = Account(fake, page_size=50)
    wide.poll()
    assert len(json.loads(wide.store.cursor or "")["seen"]) == 3


def test_a_cursor_of_the_first_format_is_read(fake: FakeBluesky) -> None:
    """Cursors stored before the window existed: `{"t": indexedAt, "uris": [...]}`."""
    stored = [fake.add_notification(f"stocké {i}") for i in range(3)]
    account = Account(fake)
    account.store.cursor = json.dumps({"t": stored[-1]["indexedAt"], "uris": [stored[-1]["uri"]]})
    fake.add_notification("nouveau")
    fake.add_notification("en retard", lag=timedelta(minutes=5))
    account.poll()
    texts = {m.text.split(" ", 1)[1] for m in account.store.mentions.values()}
    assert {"nouveau", "en retard"} <= texts
    assert stored[-1]["uri"] not in account.returned  # named in the old cursor: not again
    cursor = json.loads(account.store.cursor or "")
    assert cursor["v"] == 2 and seen_key(stored[-1]["uri"]) in cursor["seen"]
    assert account.poll().mentions == []


def test_an_interrupted_pass_of_the_first_format_resumes(fake: FakeBluesky) -> None:
    stored = fake.add_notification("stocké")
    gap = [fake.add_notification(f"trou {i}") for i in range(3)]
    account = Account(fake)
    old = {
        "t": stored["indexedAt"],
        "uris": [stored["uri"]],
        "resume": str(FakeBluesky._ms(gap[1]["indexedAt"])),
        "pt": gap[-1]["indexedAt"],
        "puris": [gap[-1]["uri"]],
    }
    account.store.cursor = json.dumps(old)
    result = account.poll()
    assert result.complete
    assert gap[0]["uri"] in {m.external_id for m in result.mentions}
    account.poll()  # may hand "trou 1" over again (the old format did not name it): deduped
    assert account.poll().mentions == []
    assert gap[2]["uri"] not in account.returned  # stored by the interrupted pass, named
    assert stored["uri"] not in account.returned


def test_the_main_password_with_two_factor_asks_for_an_app_password(fake: FakeBluesky) -> None:
    fake.inject(
        "createSession",
        FakeResponse.json(
            {
                "error": "AuthFactorTokenRequired",
                "message": "A sign in code has been sent to your email address",
            },
            401,
        ),
        method="POST",
    )
    connector = BlueskyConnector(credentials={"identifier": fake.handle, "password": "main-pw"})
    with pytest.raises(AuthError, match="use an app password"):
        connector.verify()
