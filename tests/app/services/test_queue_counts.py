"""The queue count is kept per brand set, filters and counters, never across brands."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import update
from sqlmodel import select

from app.models import Case
from app.services import queue_counts
from app.services.queue import QueueFilters
from tests.conftest import login
from tests.factories import make_brand, make_case, make_user

pytestmark = pytest.mark.db
HX = {"HX-Request": "true"}


def _count(html: str) -> int:
    return int(re.search(r'id="queue-count"[^>]*data-count="(\d+)"', html).group(1))


@pytest.fixture
def rail(session):
    return make_brand(session, slug="rail", name="Rail Azur")


def test_poll_count_is_kept_then_counted_again_after_a_write(app, client, session, rail):
    app.config["VIGIE_QUEUE_POLL_TTL"] = 0  # the rows kept whole would not count at all
    make_user(session, rail, role="community_manager", email="cm@example.test")
    login(client, "cm@example.test")
    first = make_case(session, rail, "Mon train est en retard")
    make_case(session, rail, "Toujours pas de remboursement")
    assert _count(client.get("/queue", headers=HX).get_data(as_text=True)) == 2
    cache = app.extensions["vigie_queue_counts"]
    before = cache.hits
    assert _count(client.get("/queue", headers=HX).get_data(as_text=True)) == 2
    assert cache.hits == before + 1  # the second poll did not count again
    # A write of a case (here a bulk UPDATE) moves the brand's counter: counted again.
    session.exec(update(Case).where(Case.id == first.id).values(status="closed"))  # type: ignore[call-overload]
    session.commit()
    assert _count(client.get("/queue", headers=HX).get_data(as_text=True)) == 1


def test_cached_count_never_crosses_brands(app, client, session, rail):
    other = make_brand(session, slug="ciel", name="Ciel Air")
    make_user(session, rail, role="community_manager", email="cm@example.test")
    make_user(session, other, role="community_manager", email="autre@example.test")
    for text in ("un", "deux", "trois"):
        make_case(session, rail, f"Retard {text}")
    make_case(session, other, "Bagage perdu")
    login(client, "cm@example.test")
    assert _count(client.get("/queue", headers=HX).get_data(as_text=True)) == 3
    other_client = app.test_client()
    login(other_client, "autre@example.test")
    assert _count(other_client.get("/queue", headers=HX).get_data(as_text=True)) == 1


def test_ttl_zero_turns_the_cache_off(session, rail):
    cache = queue_counts.QueueCountCache(ttl=0)
    make_case(session, rail, "Retard")
    args = dict(session=session, brand_ids=[rail.id], filters=QueueFilters(), user_id=None)
    base = select(Case).where(Case.brand_id == rail.id)
    assert queue_counts.cached_queue_count(cache, base=base, **args) == 1
    make_case(session, rail, "Retard encore")
    assert queue_counts.cached_queue_count(cache, base=base, **args) == 2
    assert cache.hits == 0


def test_a_claim_moves_the_counter_and_every_count_stays_exact(app, client, session, rail):
    # Every case view claims its case: the brand's counter moves (the rows show the holder), so
    # the kept counts are counted again, the whole queue's as "mine".
    make_user(session, rail, role="community_manager", email="cm@example.test")
    login(client, "cm@example.test")
    case = make_case(session, rail, "Mon train est en retard")
    make_case(session, rail, "Toujours pas de remboursement")
    assert _count(client.get("/queue", headers=HX).get_data(as_text=True)) == 2
    mine = "/queue?assignee=me"
    assert _count(client.get(mine, headers=HX).get_data(as_text=True)) == 0
    cache = app.extensions["vigie_queue_counts"]
    assert client.get(f"/cases/{case.id}").status_code == 200  # claims it
    misses = cache.misses
    assert _count(client.get("/queue", headers=HX).get_data(as_text=True)) == 2
    assert _count(client.get(mine, headers=HX).get_data(as_text=True)) == 1
    assert cache.misses == misses + 2
