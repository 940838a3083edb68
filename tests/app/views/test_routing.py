"""Routing through the app: a lead sets it up, CMs' shifts move cases, the queue and CLI show it."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlmodel import select

from app.cli import main
from app.models import AuditEvent, Brand, Case, Mention, RoutingProfile
from app.services.routing_profiles import DAYS
from app.worker.runner import Worker
from tests.conftest import login, post
from tests.factories import make_brand, make_case, make_user


def _assignee(session, case):
    session.expire_all()
    return session.get(Case, case.id).assignee_id


def _a_day_that_is_not_today() -> str:
    """A schedule day three days away: never today in any time zone, whenever CI runs."""
    return DAYS[(datetime.now(UTC).weekday() + 3) % 7]


def test_a_lead_sets_up_routing_and_shifts_move_cases_between_cms(app, client, session):
    day = _a_day_that_is_not_today()
    brand = make_brand(session)
    make_user(session, brand, "lead", email="lead@agency.test")
    alice = make_user(session, brand, email="alice@agency.test")
    bob = make_user(session, brand, email="bob@agency.test")
    other = make_brand(session)
    login(client, "lead@agency.test")
    page = client.get(f"/routing/?brand={brand.id}").get_data(as_text=True)
    assert "Routage automatique désactivé" in page and "alice@agency.test" in page
    # Another brand's profile or switch: not found, whatever the ids.
    assert post(client, f"/routing/{other.id}/switch", {"enabled": "1"}).status_code == 404
    assert client.post(f"/routing/{brand.id}/switch", data={"enabled": "1"}).status_code == 400
    assert post(client, f"/routing/{brand.id}/switch", {"enabled": "1"}).status_code == 302
    form = {
        "languages": "fr",
        "seniority": "senior",
        "max_open": "5",
        "schedule": f"{day} 08:00-16:00",
    }
    assert post(client, f"/routing/{brand.id}/profiles/{alice.id}", form).status_code == 302
    bad = post(client, f"/routing/{brand.id}/profiles/{bob.id}", {"max_open": "-3"})
    assert bad.status_code == 302 and "Profil refusé" in client.get(
        f"/routing/?brand={brand.id}"
    ).get_data(as_text=True)
    profile = session.exec(select(RoutingProfile)).one()
    assert (profile.user_id, profile.max_open, profile.schedule) == (
        alice.id,
        5,
        {day: ["08:00", "16:00"]},
    )
    case = make_case(session, brand)
    Worker(app).route_cases()
    assert _assignee(session, case) is None  # nobody on shift yet
    cm = app.test_client()
    login(cm, "alice@agency.test")
    post(cm, "/shift", {"action": "start"})  # routing follows at once
    assert _assignee(session, case) == alice.id
    mine = cm.get("/queue?assignee=me").get_data(as_text=True)
    assert case.excerpt[:20] in mine
    assert case.excerpt[:20] in client.get("/queue?assignee=team").get_data(as_text=True)
    assert case.excerpt[:20] not in client.get("/queue?assignee=nobody").get_data(as_text=True)
    bob_client = app.test_client()
    login(bob_client, "bob@agency.test")
    post(bob_client, "/shift", {"action": "start"})
    post(cm, "/shift", {"action": "end"})
    assert _assignee(session, case) == bob.id
    assert post(client, f"/routing/{brand.id}/rebalance").status_code == 302
    actions = session.exec(select(AuditEvent.action)).all()
    assert {"routing.switched", "routing.profile_saved", "routing.rebalanced"} <= set(actions)


def test_mentions_list_json_gives_the_case_assignee(app, session):
    brand = make_brand(session, slug="routee")
    cm = make_user(session, brand, email="cm@routee.test")
    held = make_case(session, brand)
    free = make_case(session, brand, text="Encore un colis perdu")
    held.assignee_id = cm.id
    session.add(held)
    session.commit()
    result = app.test_cli_runner().invoke(main, ["mentions", "list", "--brand", "routee", "--json"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines()]
    by_case = {r["case_id"]: r["assignee"] for r in records}
    assert by_case == {held.id: "cm@routee.test", free.id: None}
    assert session.exec(select(Mention)).all() and session.get(Brand, brand.id)
