"""The queue's 10 s poll (app/ui/queue_poll.py): 204 while the rows it shows are current, the
new rows as soon as anything the user sees changes (a new case, someone's claim, the clock),
rows shared only between users of the same brands, and a user's own write always shown."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from sqlalchemy import text

from app.models import utcnow
from app.services import claims, queue_screen
from app.services import queue as queue_service
from app.ui import filters
from app.views import queue as queue_view
from tests.conftest import csrf_token, login
from tests.factories import make_brand, make_case, make_user

pytestmark = pytest.mark.db
HX = {"HX-Request": "true"}
FAR = timedelta(days=3)  # "dans 3 jours": the same words for the whole test
POLL_URL = re.compile(r'id="queue-rows" hx-get="([^"]+)"')


def _poll_url(html: str) -> str:
    found = POLL_URL.search(html)
    assert found, html[:300]
    return found.group(1).replace("&amp;", "&")


@pytest.fixture
def rail(session):
    return make_brand(session, slug="rail", name="Rail Azur")


@pytest.fixture
def cm(client, session, rail):
    user = make_user(session, rail, role="community_manager", email="cm@example.test")
    login(client, "cm@example.test")
    return user


def test_the_poll_answers_204_until_a_case_arrives_or_is_claimed(client, session, rail, cm):
    first = make_case(session, rail, "Mon train de 8 h est annulé", due_in=FAR)
    url = _poll_url(client.get("/queue").get_data(as_text=True))
    assert "seen=" in url
    unchanged = client.get(url, headers=HX)
    assert unchanged.status_code == 204 and not unchanged.get_data()

    make_case(session, rail, "Et celui de 9 h aussi", due_in=FAR)
    arrived = client.get(url, headers=HX)
    html = arrived.get_data(as_text=True)
    assert arrived.status_code == 200 and "Et celui de 9 h aussi" in html
    assert 'id="queue-count"' in html and 'hx-swap-oob="true"' in html
    url = _poll_url(html)
    assert client.get(url, headers=HX).status_code == 204

    colleague = make_user(session, rail, email="lea-collegue@example.test")
    claims.claim(session=session, case=first, actor=colleague)
    session.commit()
    claimed = client.get(url, headers=HX)
    assert claimed.status_code == 200 and "lea-collegue" in claimed.get_data(as_text=True)


def test_the_clock_alone_changes_the_rows_an_sla_turning_amber_a_claim_expiring(
    app, client, session, rail, cm, monkeypatch
):
    app.config["VIGIE_QUEUE_POLL_TTL"] = 0.5
    now = utcnow()
    case = make_case(session, rail, "Toujours rien", due_in=timedelta(minutes=45))
    colleague = make_user(session, rail, email="lea-collegue@example.test")
    case.assignee_id, case.claimed_at = colleague.id, now
    case.claim_expires_at = now + timedelta(minutes=10)
    session.add(case)
    session.commit()
    html = client.get("/queue").get_data(as_text=True)
    assert "sla-ok" in html and "lea-collegue" in html
    # A quarter of an hour later, no write anywhere: only the clock moved.
    later = now + timedelta(minutes=20)
    for module in (queue_service, queue_screen, filters, queue_view):
        monkeypatch.setattr(module, "utcnow", lambda: later)
    time.sleep(0.6)  # the kept rows' TTL
    aged = client.get(_poll_url(html), headers=HX)
    html = aged.get_data(as_text=True)
    assert aged.status_code == 200
    assert f'id="case-row-{case.id}" class="queue-row sla-warn' in html
    assert "lea-collegue" not in html and "data-claim" in html


def test_kept_rows_are_shared_only_between_users_of_the_same_brands(app, client, session, rail):
    shop = make_brand(session, slug="shop", name="Boutique")
    make_case(session, rail, "Train supprimé sans prévenir", due_in=FAR)
    make_case(session, shop, "Colis jamais livré", due_in=FAR)
    make_user(session, rail, role="community_manager", email="cm@example.test")
    make_user(session, shop, role="community_manager", email="shop@example.test")
    login(client, "cm@example.test")
    rail_url = _poll_url(client.get("/queue").get_data(as_text=True))
    other = app.test_client()
    login(other, "shop@example.test")
    # The shop's CM polls with the rail's stamp: never a 204, never the rail's rows.
    answer = other.get(rail_url, headers=HX)
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "Colis jamais livré" in html and "Train supprimé" not in html


def test_a_write_no_counter_sees_waits_for_the_ttl_the_users_own_shows_at_once(
    app, client, session, rail, cm
):
    app.config["VIGIE_QUEUE_POLL_TTL"] = 60
    case = make_case(session, rail, "Personne ne répond", due_in=FAR)
    other = make_case(session, rail, "Toujours personne", due_in=FAR)
    url = _poll_url(client.get("/queue").get_data(as_text=True))
    # A claim written in SQL beside the application (no counter moves): shown within the TTL
    # (here kept 60 s: still the old rows).
    with session.get_bind().begin() as conn:
        conn.execute(
            text("UPDATE cases SET assignee_id = :u, claim_expires_at = :t WHERE id = :c"),
            {"u": cm.id, "t": utcnow() + timedelta(minutes=10), "c": other.id},
        )
    assert client.get(url, headers=HX).status_code == 204
    # The user's own write (a claim): the next rows are read after it, the other claim too.
    token = csrf_token(client, "/queue")
    assert client.post(f"/cases/{case.id}/claim", data={"csrf_token": token}).status_code in (
        200,
        302,
        303,
    )
    fresh = client.get(url, headers=HX)
    html = fresh.get_data(as_text=True)
    assert fresh.status_code == 200
    holders = re.findall(r'<td class="assignee" data-label="[^"]*">([^<]*)</td>', html)
    assert holders == [cm.name, cm.name]  # both claims: the user's and the other process's
