"""A storm in Chromium (issue 16): mentions pour in, the lead sees the spike alert in the bell,
turns crisis mode on from it in one click, every page shows the crisis banner, then turns it
off; each step is in the audit."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from app import demo_storm
from app.extensions import get_engine
from app.models import AuditEvent, Brand, CrisisPeriod
from app.services import crisis
from tests.browser.conftest import log_in


def bulk_answer_step(page, server) -> None:
    """The storm's wave, answered as one from the crisis page's link to the clusters."""
    link = page.get_by_test_id("clusters-link")
    expect(link).to_have_attribute("href", "/clusters?brand=demo-rail")
    link.click()
    wave = page.get_by_test_id("cluster-list-row").first
    expect(wave).to_be_visible()
    wave.get_by_role("link").first.click()
    page.fill(
        "#wave-body",
        "Bonjour {{ prenom }}, la grève perturbe nos trains ; nous vous tenons informés ici.",
    )
    page.get_by_test_id("wave-start").click()
    expect(
        page.get_by_text(re.compile(r"Réponse groupée lancée pour \d+ mentions"))
    ).to_be_visible()
    page.goto(f"{server.url}/crisis?brand=demo-rail")


@pytest.fixture
def rail(live_app):
    with live_app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        brand = session.exec(select(Brand).where(Brand.slug == "demo-rail")).one()
    yield brand
    with live_app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        period = crisis.open_period(session=session, brand_id=brand.id)
        if period is not None:  # never leave the shared demo brand in crisis
            crisis.stop(session=session, period=period, actor=None, via="schedule")
            session.commit()


def test_storm_alert_crisis_on_and_off(browser, live_server, live_app, rail):
    with live_app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        brand = session.get(Brand, rail.id)
        demo_storm.storm_now(session=session, brand=brand)
        session.commit()

    page = browser.new_context().new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, live_server, "lead@vigie.demo")
    page.goto(f"{live_server.url}/notifications")
    alert = page.locator('li[data-kind="spike"] a').first
    expect(alert).to_contain_text("Alerte tempête")
    alert.click()
    page.wait_for_url("**/crisis?brand=demo-rail**")
    expect(page.get_by_test_id("spike-chart").locator("svg")).to_be_visible()
    expect(page.get_by_test_id("spike-chart").locator(".chart-marker")).to_have_count(1)

    if os.environ.get("VIGIE_SCREENSHOTS"):
        page.screenshot(path=os.environ["VIGIE_SCREENSHOTS"] + "/crisis.png", full_page=True)
    page.get_by_test_id("crisis-from-alert").first.click()
    expect(page.get_by_test_id("crisis-state")).to_have_attribute("data-active", "yes")
    page.goto(f"{live_server.url}/queue")
    expect(page.get_by_test_id("crisis-banner")).to_contain_text("Ferlis")

    page.goto(f"{live_server.url}/crisis?brand=demo-rail")
    page.fill("#crisis-end-hours", "6")  # the lead plans the end while the crisis is on
    page.get_by_test_id("crisis-end-set").click()
    expect(page.get_by_test_id("crisis-end-clear")).to_be_visible()
    bulk_answer_step(page, live_server)
    page.fill("#end-note", "Trafic rétabli")
    page.get_by_test_id("crisis-off").click()
    expect(page.get_by_test_id("crisis-state")).to_have_attribute("data-active", "no")
    expect(page.get_by_test_id("crisis-banner")).to_have_count(0)

    with live_app.app_context(), Session(get_engine()) as session:
        period = session.exec(select(CrisisPeriod).where(CrisisPeriod.brand_id == rail.id)).all()[
            -1
        ]
        actions = set(
            session.exec(
                select(AuditEvent.action).where(
                    AuditEvent.brand_id == rail.id,
                    AuditEvent.action.in_(
                        ["spike.detected", "crisis.started", "crisis.end_changed", "crisis.ended"]
                    ),
                )
            ).all()
        )
    assert period.ended_at is not None and period.end_note == "Trafic rétabli"
    assert actions == {"spike.detected", "crisis.started", "crisis.end_changed", "crisis.ended"}
    page.goto(f"{live_server.url}/crisis/report/{period.id}")
    expect(page.get_by_test_id("report-timeline")).to_contain_text("Mode crise activé")
    expect(page.get_by_test_id("report-clusters").locator("a").first).to_be_visible()
