"""Where people see urgent work first: the agency's default queue, the brand owner's home/portal."""

from __future__ import annotations

import re

import pytest

from tests.app.portal_support import cast, open_escalation, pending_reply
from tests.conftest import login
from tests.factories import make_brand, make_case

pytestmark = pytest.mark.db


def _row_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'id="case-row-(\d+)"', html)]


def test_default_queue_pins_urgent_and_escalated_cases_on_top(app, client, session):
    people = cast(session)
    ordinary = make_case(session, people.brand, "Mon train est en retard", priority=90)
    normal = open_escalation(session, people.brand, people.cm)  # escalated, not urgent
    urgent = open_escalation(session, people.brand, None, urgency="urgent")
    for who in ("lead@agency.test", "cm@agency.test"):
        c = app.test_client()
        login(c, who)
        html = c.get("/queue").get_data(as_text=True)
        ids = _row_ids(html)
        # The urgent escalation first, the other escalated case next, then the open queue.
        assert ids[:3] == [urgent.case_id, normal.case_id, ordinary.id], who
        assert "Urgent · escaladé, la marque s" in html and "1 cas · 2 escaladés suivis" in html
        # The live refresh keeps them on top.
        rows = c.get("/queue", headers={"HX-Request": "true"}).get_data(as_text=True)
        assert _row_ids(rows)[:3] == ids[:3]
    # Filtering on a status shows that status only; other filters still apply to the pinned.
    login(client, "lead@agency.test")
    closed = _row_ids(client.get("/queue?status=closed").get_data(as_text=True))
    assert urgent.case_id not in closed
    assert _row_ids(client.get("/queue?severity=S2").get_data(as_text=True)) == [ordinary.id]


def test_brand_owner_home_opens_on_urgent_then_pending_items(client, session):
    people = cast(session)
    reply = pending_reply(session, people.brand, people.cm)
    urgent = open_escalation(session, people.brand, None, urgency="urgent")
    login(client, "owner@rail.test")
    html = client.get("/").get_data(as_text=True)
    assert 'data-testid="waiting"' in html
    section = html[html.index('data-testid="waiting"') : html.index("</section>")]
    assert section.index(f"#escalation-{urgent.id}") < section.index(f"#reply-{reply.id}")
    assert "Escalade urgente" in section
    # The table of brands comes after what waits.
    assert html.index('data-testid="waiting"') < html.index("<table")
    # An agent who answers for no brand sees no such list.
    c = client.application.test_client()
    login(c, "cm@agency.test")
    assert 'data-testid="waiting"' not in c.get("/").get_data(as_text=True)


def test_portal_opens_on_the_brand_with_something_urgent(client, session):
    people = cast(session)
    zeta = make_brand(session, slug="zeta", name="Zeta")  # sorts after "Rail"
    from app.services import users

    users.grant(session=session, user=people.owner, brand=zeta, role="brand_owner")
    session.commit()
    urgent = open_escalation(session, zeta, None, urgency="urgent")
    login(client, "owner@rail.test")
    html = client.get("/portal").get_data(as_text=True)
    assert f'id="escalation-{urgent.id}"' in html
    # Escalations come before the replies to approve on the page.
    assert html.index('id="esc-title"') < html.index('id="appr-title"')
    # Asking for a brand still shows that brand.
    assert f'id="escalation-{urgent.id}"' not in client.get(
        f"/portal?brand={people.brand.id}"
    ).get_data(as_text=True)
