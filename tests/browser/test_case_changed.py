"""In Chromium: a reply sent from a second tab after the first one sent is refused, not doubled."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlmodel import Session, func, select

from app.extensions import get_engine
from app.models import Brand, Reply
from tests.browser.conftest import log_in
from tests.factories import make_case

TEXT = "Bonjour Jeanne, nous sommes désolés pour ce retard."


def test_a_second_tab_cannot_send_the_reply_again(browser, live_server, live_app):
    with live_app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        brand = session.exec(select(Brand).where(Brand.slug == "demo-rail")).one()
        case = make_case(session, brand, "Mon train est bloqué en gare", person_name="Jeanne")
    context = browser.new_context()
    first, second = context.new_page(), context.new_page()
    log_in(first, live_server, "cm@vigie.demo")
    for tab in (first, second):
        tab.goto(f"{live_server.url}/cases/{case.id}")
        tab.fill("#reply-text", TEXT)
    first.get_by_role("button", name="Envoyer la réponse").click()
    first.wait_for_url("**/queue**")

    second.get_by_role("button", name="Envoyer la réponse").click()
    expect(second.get_by_text("Ce cas vient de changer")).to_be_visible()
    assert second.url.endswith(f"/cases/{case.id}/reply")
    expect(second.locator("#reply-text")).to_have_value(TEXT)  # not lost, not sent
    with live_app.app_context(), Session(get_engine()) as session:
        count = select(func.count()).select_from(Reply).where(Reply.case_id == case.id)
        assert session.exec(count).one() == 1
    context.close()
