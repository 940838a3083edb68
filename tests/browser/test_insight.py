"""Insight in Chromium: the lead's live dashboard, the reports' charts (inline SVG with data
points, no CSP violation), and the queue as cards on a 390 px phone."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from app.extensions import get_engine
from app.models import Brand, User
from app.services import report_rollups
from tests.app.report_history import seed
from tests.browser.conftest import log_in
from tests.factories import make_case

_words = itertools.count(1)


def _brand_and_cm(session: Session) -> tuple[Brand, User]:
    brand = session.exec(select(Brand).where(Brand.slug == "demo-rail")).one()
    cm = session.exec(select(User).where(User.email == "cm@vigie.demo")).one()
    return brand, cm


def _csp_errors(page) -> list[str]:
    errors: list[str] = []
    page.on(
        "console",
        lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return errors


def test_lead_dashboard_is_live_and_links_to_the_queue(page, live_app, live_server):
    log_in(page, live_server, "lead@vigie.demo")
    page.goto(f"{live_server.url}/")
    page.locator("#lead-dashboard").wait_for()
    word = f"quai{next(_words)}risque"
    with live_app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        brand, _cm = _brand_and_cm(session)
        make_case(session, brand, f"Train annulé {word}", due_in=timedelta(minutes=8))
    # The dashboard polls every 15 s: the new at-risk case shows up without a reload.
    page.locator("[data-testid=list-at-risk]", has_text=word).wait_for(timeout=25_000)
    page.locator("[data-testid=dash-at-risk]").click()
    page.wait_for_url("**/queue?due=soon")
    page.locator("tr.queue-row", has_text=word).wait_for()
    assert page.locator("[data-testid=filter-due]").is_visible()


def test_reports_draw_charts_with_data(page, live_app, live_server):
    with live_app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        brand, cm = _brand_and_cm(session)
        seed(session, brand, cm, cm)
        report_rollups.refresh(session, brand_ids=[brand.id])
    errors = _csp_errors(page)
    log_in(page, live_server, "lead@vigie.demo")
    page.goto(f"{live_server.url}/reports?days=7")
    charts = page.locator("figure.chart svg[role=img]")
    assert charts.count() >= 5
    assert page.locator("figure.chart svg [data-value]").count() > 10
    assert page.locator("#chart-first-response [data-target='60']").count() == 1
    box = page.locator("#chart-channels svg").bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 50
    # The table alternative opens under the chart.
    page.locator("#chart-sla summary").click()
    assert page.locator("#chart-sla-table tbody tr").count() == 7
    assert not errors, errors


@pytest.mark.parametrize("width", [390])
def test_queue_is_cards_on_a_phone(page, live_app, live_server, width):
    word = f"quai{next(_words)}carte"
    with live_app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        brand, _cm = _brand_and_cm(session)
        make_case(
            session, brand, f"Mon train {word} est encore en retard de 40 minutes", priority=999
        )
    page.set_viewport_size({"width": width, "height": 844})
    log_in(page, live_server, "cm@vigie.demo")
    page.goto(f"{live_server.url}/queue")
    row = page.locator("tr.queue-row", has_text=word)
    row.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert row.evaluate("r => getComputedStyle(r).display") == "flex"
    box = row.bounding_box()
    assert box is not None and box["width"] <= width and box["height"] > 60
    label = row.locator("td.due").evaluate("td => getComputedStyle(td, '::before').content")
    assert "Délai" in label
