"""The console in Chromium: find a case with filters and the keyboard, claim it, reply with a
canned reply, watch it leave the queue; two people on the same case."""

from __future__ import annotations

import itertools
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from app.extensions import get_engine
from app.models import Brand
from tests.browser.conftest import log_in
from tests.factories import make_canned, make_case

_words = itertools.count(1)


@pytest.fixture
def rail_case(live_app):
    """A fresh open case of the demo rail brand, with a unique word to search for."""
    word = f"quai{next(_words)}zz"
    with live_app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        brand = session.exec(select(Brand).where(Brand.slug == "demo-rail")).one()
        canned = make_canned(
            session,
            brand,
            key=f"console_{word}",
            title=f"Excuses {word}",
            body="Bonjour {{ prenom }}, nous sommes désolés pour ce retard.",
        )
        case = make_case(
            session,
            brand,
            f"Toujours bloqué sur le {word}, inadmissible",
            person_name="Jeanne Martin",
            suggested=[canned.key],
            priority=99,
        )
    return case, word


def test_find_claim_reply_and_see_it_leave_the_queue(page, live_server, rail_case):
    case, word = rail_case
    log_in(page, live_server, "cm@vigie.demo")
    page.get_by_role("link", name="File d'attente").click()
    page.fill("#f-q", word)
    page.press("#f-q", "Enter")
    page.wait_for_url(f"**q={word}**")  # the filters live in the URL
    page.locator(f"#case-row-{case.id}").wait_for()
    assert page.locator("tr.queue-row").count() == 1
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("j")
    page.keyboard.press("a")
    page.locator(f"#case-row-{case.id} td.assignee", has_text="Camille CM").wait_for()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/cases/{case.id}")
    page.get_by_role("link", name=f"Excuses {word}").click()
    text = page.locator("#reply-text")
    # expect() polls from Playwright's own script: wait_for_function would need eval, which
    # the page's CSP forbids.
    expect(page.locator("#reply-text")).to_have_value(re.compile("Jeanne"))
    assert "Bonjour Jeanne" in text.input_value()
    page.get_by_text("Aucune faute détectée.").wait_for()
    page.get_by_role("button", name="Envoyer la réponse").click()
    page.wait_for_url("**/queue**")
    assert page.get_by_text("Réponse envoyée").is_visible()
    assert page.locator(f"#case-row-{case.id}").count() == 0


def test_help_dialog_and_proofreading_fix(page, live_server, rail_case):
    case, _ = rail_case
    log_in(page, live_server, "cm@vigie.demo")
    page.goto(f"{live_server.url}/queue")
    page.keyboard.press("?")
    assert page.get_by_role("dialog").is_visible()
    page.keyboard.press("Escape")
    page.goto(f"{live_server.url}/cases/{case.id}")
    page.keyboard.press("r")
    page.keyboard.type("Nous somme désolés.")
    fix = page.locator("button.suggestion", has_text="sommes").first
    fix.wait_for()
    fix.click()
    expect(page.locator("#reply-text")).to_have_value("Nous sommes désolés.")
    page.get_by_text("Aucune faute détectée.").wait_for()
    # from the keyboard too: Enter on a focused fix
    page.locator("#reply-text").press("End")
    page.keyboard.type(" Nous vous rapelons demain.")
    fix = page.locator("button.suggestion", has_text="rappelons").first
    fix.wait_for()
    fix.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#reply-text")).to_have_value(
        "Nous sommes désolés. Nous vous rappelons demain."
    )


def test_two_people_on_the_same_case(browser, live_server, rail_case):
    case, _ = rail_case
    first = browser.new_context().new_page()
    second = browser.new_context().new_page()
    log_in(first, live_server, "cm@vigie.demo")
    first.goto(f"{live_server.url}/cases/{case.id}")
    assert first.get_by_text("Vous traitez ce cas").is_visible()
    log_in(second, live_server, "lead@vigie.demo")
    second.goto(f"{live_server.url}/cases/{case.id}")
    holder = second.get_by_test_id("claim-holder")
    assert "Camille CM traite ce cas" in holder.inner_text()
    # The lead may take it over explicitly.
    second.select_option("#assignee_id", label="Léa Superviseure")
    second.get_by_role("button", name="Attribuer").click()
    second.get_by_text("Cas réattribué.").wait_for()
    first.reload()
    assert "Léa Superviseure traite ce cas" in first.get_by_test_id("claim-holder").inner_text()


def test_loading_more_cases_pauses_the_auto_refresh(page, live_server, live_app):
    word = f"page{next(_words)}zz"
    with live_app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        brand = session.exec(select(Brand).where(Brand.slug == "demo-shop")).one()
        for n in range(55):
            make_case(session, brand, f"Colis {word} numéro {n}", priority=10)
    log_in(page, live_server, "cm@vigie.demo")
    page.goto(f"{live_server.url}/queue?q={word}")
    assert page.locator("tr.queue-row").count() == 50
    assert page.locator("#queue-paused").is_hidden()
    page.get_by_role("link", name="Cas suivants").click()
    page.locator("tr.queue-row").nth(54).wait_for()
    assert page.locator("#queue-paused").is_visible()
    page.wait_for_timeout(11_000)  # one poll period: the extra rows must still be there
    assert page.locator("tr.queue-row").count() == 55


def test_clearing_cases_with_the_keyboard_alone(page, live_server, live_app):
    word = f"clavier{next(_words)}zz"
    with live_app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        brand = session.exec(select(Brand).where(Brand.slug == "demo-rail")).one()
        canned = make_canned(
            session,
            brand,
            key=f"kbd_{word}",
            title=f"Excuses {word}",
            body="Bonjour, nous sommes désolés pour ce retard et nous regardons votre trajet.",
        )
        for n in range(3):
            make_case(
                session, brand, f"Retard {word} numéro {n}", suggested=[canned.key], priority=900
            )
    log_in(page, live_server, "cm@vigie.demo")
    page.goto(f"{live_server.url}/queue?q={word}")
    for remaining in (3, 2, 1):
        assert page.locator("tr.queue-row").count() == remaining
        page.locator("body").press("j")
        page.locator("body").press("Enter")
        page.wait_for_url("**/cases/*")
        page.locator("body").press("1")
        text = page.locator("#reply-text")
        expect(page.locator("#reply-text")).to_have_value(re.compile("désolés"))
        text.press("Control+Enter")
        page.wait_for_url("**/queue**")
        page.goto(f"{live_server.url}/queue?q={word}")
    assert page.locator("tr.queue-row").count() == 0


def test_the_poll_swaps_nothing_until_a_new_case_arrives(page, live_server, live_app):
    word = f"sondage{next(_words)}zz"
    far = timedelta(days=3)  # "dans 3 jours": rows whose words do not move with the minute
    with live_app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        brand = session.exec(select(Brand).where(Brand.slug == "demo-rail")).one()
        make_case(session, brand, f"Train {word} supprimé", priority=10, due_in=far)
    log_in(page, live_server, "cm@vigie.demo")
    page.goto(f"{live_server.url}/queue?q={word}")
    assert page.locator("tr.queue-row").count() == 1
    # The 10 s poll sends the stamp of what it shows: nothing changed, 204, nothing swapped.
    with page.expect_response(lambda r: "seen=" in r.url, timeout=15_000) as polled:
        pass
    assert polled.value.status == 204
    assert page.locator("tr.queue-row").count() == 1
    with live_app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        brand = session.exec(select(Brand).where(Brand.slug == "demo-rail")).one()
        make_case(session, brand, f"Train {word} encore supprimé", priority=10, due_in=far)
    expect(page.locator("tr.queue-row")).to_have_count(2, timeout=15_000)
    expect(page.locator("#queue-count")).to_have_attribute("data-count", "2")
