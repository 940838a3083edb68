"""Routing in Chromium: a CM goes on shift and a new case arrives assigned to them; they go off
shift and the case moves to a colleague; a lead rebalances in one click."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlmodel import Session

from app.extensions import get_engine
from app.models import Case
from app.services import routing, shifts
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, make_brand, make_case, make_user


def test_cases_follow_the_cms_on_shift_and_a_lead_rebalances(browser, live_server, live_app):
    with live_app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        brand = make_brand(session, slug="routage-b", name="Routage B")
        brand.settings = {"routing_enabled": True}
        session.add(brand)
        session.commit()
        make_user(session, brand, "lead", email="lead@routage.test")
        camille = make_user(session, brand, email="camille@routage.test")
        dominique = make_user(session, brand, email="dominique@routage.test")

    context = browser.new_context()
    page = context.new_page()
    log_in(page, live_server, "camille@routage.test", PASSWORD)
    page.get_by_role("button", name="Je prends mon service").click()
    expect(page.get_by_test_id("on-shift")).to_be_visible()

    with live_app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        case = make_case(session, session.merge(brand), "Ma valise n'est jamais arrivée à Lyon")
        routing.route_all(get_engine())  # the worker's next pass (every 5 s)
    page.goto(f"{live_server.url}/queue?assignee=me")
    expect(page.locator(f"#case-row-{case.id}")).to_be_visible()

    with live_app.app_context(), Session(get_engine()) as session:
        shifts.set_on_shift(session=session, user=session.merge(dominique), on_shift=True)
        session.commit()
    page.get_by_role("button", name="Je termine mon service").click()
    expect(page.get_by_test_id("off-shift")).to_be_visible()
    with live_app.app_context(), Session(get_engine()) as session:
        assert session.get(Case, case.id).assignee_id == dominique.id
    page.goto(f"{live_server.url}/queue?assignee=me")
    expect(page.locator(f"#case-row-{case.id}")).to_have_count(0)

    # More cases while Camille is away all go to Dominique; Camille comes back and the lead
    # gives her part of that load in one action.
    with live_app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        more = [make_case(session, session.merge(brand), f"Colis {n} perdu") for n in range(3)]
        routing.route_all(get_engine())
    page.goto(f"{live_server.url}/queue")
    page.get_by_role("button", name="Je prends mon service").click()
    expect(page.get_by_test_id("on-shift")).to_be_visible()
    lead_context = browser.new_context()
    lead = lead_context.new_page()
    log_in(lead, live_server, "lead@routage.test", PASSWORD)
    lead.goto(f"{live_server.url}/routing/?brand={brand.id}")
    expect(lead.get_by_test_id("routing-state")).to_contain_text("activé")
    lead.get_by_test_id("rebalance").click()
    expect(lead.locator("body")).to_contain_text("Rééquilibrage : 2 cas déplacé(s).")
    with live_app.app_context(), Session(get_engine()) as session:
        owners = [session.get(Case, c.id).assignee_id for c in [case, *more]]
    assert sorted(owners) == sorted([camille.id] * 2 + [dominique.id] * 2)
    page.goto(f"{live_server.url}/queue?assignee=me")
    expect(page.locator(".queue-row")).to_have_count(2)
    context.close()
    lead_context.close()
