"""Urgent alerts in Chromium: a CM escalates in one browser, the lead's open page shows the
banner (and a browser notification) within seconds; the brand owner's phone opens on it."""

from __future__ import annotations

import itertools
import re

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from app.extensions import get_engine
from app.models import Brand, Escalation
from tests.browser.conftest import log_in
from tests.factories import make_case

_words = itertools.count(1)

# The page's CSP forbids inline scripts; an init script runs before it and stands in for the
# Notifications API (permission granted) so the test can see what the page asked to show.
FAKE_NOTIFICATIONS = """
(() => {
  class FakeNotification {
    constructor(title, options) {
      const list = document.documentElement.getAttribute("data-test-notified") || "";
      document.documentElement.setAttribute("data-test-notified", list + "|" + title);
    }
    static get permission() { return "granted"; }
    static requestPermission() { return Promise.resolve("granted"); }
  }
  window.Notification = FakeNotification;
})();
"""


@pytest.fixture
def rail_case(live_app):
    word = f"viaduc{next(_words)}zz"
    with live_app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        brand = session.exec(select(Brand).where(Brand.slug == "demo-rail")).one()
        case = make_case(session, brand, f"Je n'en peux plus, {word}", severity="S3")
    return case, word


def test_lead_sees_the_urgent_banner_of_an_escalation_made_in_another_browser(
    browser, live_server, live_app, rail_case
):
    case, word = rail_case
    lead_context = browser.new_context()
    lead_context.add_init_script(FAKE_NOTIFICATIONS)
    lead = lead_context.new_page()
    log_in(lead, live_server, "lead@vigie.demo")
    lead.goto(f"{live_server.url}/queue")

    cm_context = browser.new_context()
    cm = cm_context.new_page()
    log_in(cm, live_server, "cm@vigie.demo")
    cm.goto(f"{live_server.url}/cases/{case.id}")
    cm.fill("#esc-reason", f"Propos suicidaires ({word})")
    cm.locator("#escalate-form input[name=urgent]").check()
    cm.get_by_role("button", name="Escalader").click()
    cm.wait_for_url("**/queue**")

    with live_app.app_context(), Session(get_engine()) as session:
        escalation = session.exec(select(Escalation).where(Escalation.case_id == case.id)).one()
    item = lead.locator(f'#urgent-banner [data-alert-id="{escalation.id}"]')
    # The lead did nothing: the banner's poll (every 10 s) brings the alert.
    expect(item).to_be_visible(timeout=20_000)
    expect(item).to_contain_text(f"cas n° {case.id}")
    expect(lead.locator("html")).to_have_attribute(
        "data-test-notified", re.compile("Escalade urgente")
    )
    # "J'ai vu, je prends": the alert is taken for everyone.
    item.get_by_role("button", name="J'ai vu, je prends").click()
    expect(item).to_have_count(0)
    with live_app.app_context(), Session(get_engine()) as session:
        assert session.get(Escalation, escalation.id).acknowledged_at is not None
    lead_context.close()
    cm_context.close()


def test_brand_owner_on_a_phone_opens_on_urgent_work(browser, live_server, live_app, rail_case):
    case, word = rail_case
    from app.services import claims, escalations

    with live_app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        from app.models import Case, User

        cm = session.exec(select(User).where(User.email == "cm@vigie.demo")).one()
        live_case = session.get(Case, case.id)
        claims.claim(session=session, case=live_case, actor=cm)
        escalation = escalations.escalate(
            session=session, case=live_case, actor=cm, reason=f"Menace ({word})", urgent=True
        )
        session.commit()
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    log_in(page, live_server, "owner@demo-rail.vigie.demo")
    page.goto(f"{live_server.url}/")
    waiting = page.get_by_test_id("waiting")
    expect(waiting).to_be_visible()
    link = waiting.locator(f'a[href*="#escalation-{escalation.id}"]')
    expect(link).to_be_visible()
    # The list of what waits is in the first screen of the phone, above the brands table.
    box = waiting.bounding_box()
    assert box is not None and box["y"] < 844 and box["width"] <= 390
    page.screenshot(path="/tmp/vigie-owner-phone-home.png", full_page=True)
    link.click()
    card = page.locator(f"#escalation-{escalation.id}")
    expect(card).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    page.screenshot(path="/tmp/vigie-owner-phone-portal.png")
    context.close()
