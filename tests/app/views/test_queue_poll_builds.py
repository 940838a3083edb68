"""The queue's rows made once for CMs who open the same queue at the same moment
(app/ui/queue_poll.py): the others wait for them and take them as a cache hit would, never rows
made before a brand's counter moved, never rows read before their own write."""

from __future__ import annotations

import threading
import time

import pytest
from flask import session as flask_session

from app.ui import queue_poll
from app.ui.queue_poll import ShownRows

pytestmark = pytest.mark.db
KEY = (("rail",), (), None, None, "fr", "")
CHANGES = ((1, 7),)  # the rail brand's counter


class Builds:
    """A build that counts its calls and holds the first until released."""

    def __init__(self) -> None:
        self.calls = 0
        self.entered = threading.Event()
        self.release = threading.Event()

    def __call__(
        self, cache: queue_poll.ShownRowsCache, changes: object, _build: object
    ) -> ShownRows:
        self.calls += 1
        n, started = self.calls, time.time()
        if n == 1:
            self.entered.set()
            assert self.release.wait(5)
        return ShownRows(
            started=started,
            until=started + cache.ttl,
            changes=changes,  # type: ignore[arg-type]
            parts=(f"rows {n}",),
            count=n,
            watched_count=0,
            stamp=f"stamp {n}",
        )


def _shown_in_thread(
    app, results: list[ShownRows], wrote_at: float = 0.0, changes=CHANGES
) -> threading.Thread:
    def run() -> None:
        with app.test_request_context("/queue"):
            flask_session[queue_poll.WROTE_AT] = wrote_at
            results.append(queue_poll.shown_rows(KEY, changes, dict))

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.fixture
def builds(app, monkeypatch) -> Builds:
    app.config["VIGIE_QUEUE_POLL_TTL"] = 60
    app.extensions.pop("vigie_queue_shown", None)
    fake = Builds()
    monkeypatch.setattr(queue_poll, "_build", fake)
    return fake


def test_cms_opening_the_same_queue_at_once_wait_for_one_build(app, builds):
    results: list[ShownRows] = []
    first = _shown_in_thread(app, results)
    assert builds.entered.wait(5)
    others = [_shown_in_thread(app, results) for _ in range(3)]
    time.sleep(0.1)  # they are waiting, not building
    assert builds.calls == 1
    builds.release.set()
    for thread in (first, *others):
        thread.join(5)
    assert builds.calls == 1
    assert [r.stamp for r in results] == ["stamp 1"] * 4


def test_a_counter_moved_since_the_build_began_makes_new_rows_at_once(app, builds):
    results: list[ShownRows] = []
    first = _shown_in_thread(app, results)
    assert builds.entered.wait(5)
    # A claim committed (by any process) after the build read the counters.
    after_write = _shown_in_thread(app, results, changes=((1, 8),))
    after_write.join(5)
    assert builds.calls == 2  # did not wait for rows that cannot show the claim
    builds.release.set()
    first.join(5)
    assert sorted(r.stamp for r in results) == ["stamp 1", "stamp 2"]


def test_a_cm_whose_own_write_is_newer_than_the_rows_being_made_makes_their_own(app, builds):
    results: list[ShownRows] = []
    first = _shown_in_thread(app, results)
    assert builds.entered.wait(5)
    own_write = _shown_in_thread(app, results, wrote_at=time.time() + 1)
    time.sleep(0.1)
    assert builds.calls == 1  # waiting for the rows being made
    builds.release.set()
    for thread in (first, own_write):
        thread.join(5)
    assert builds.calls == 2  # those were read before the write: never shown to its author
    assert sorted(r.stamp for r in results) == ["stamp 1", "stamp 2"]
