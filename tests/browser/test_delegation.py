"""A lead corrects a case to S4 while a CM has a reply ready: the CM's send is refused."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from app.extensions import get_engine
from app.models import Brand, Case, Escalation, Reply
from tests.browser.conftest import log_in
from tests.factories import make_case

CLEAN = "Bonjour Jeanne, nous vous répondons tout de suite."


@pytest.fixture
def timetable_case(live_app):
    with live_app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        brand = session.exec(select(Brand).where(Brand.slug == "demo-rail")).one()
        return make_case(
            session,
            brand,
            "À quelle heure part le dernier train ce soir ? Après ça je veux en finir.",
            severity="S1",
            scenario="horaires",
            person_name="Jeanne Martin",
            priority=5,
        )


def test_correction_to_s4_escalates_and_the_send_is_refused(
    browser, live_server, live_app, timetable_case
):
    case = timetable_case
    cm = browser.new_context().new_page()
    log_in(cm, live_server, "cm@vigie.demo")
    cm.goto(f"{live_server.url}/cases/{case.id}")
    expect(cm.locator("#triage-title + dl")).to_contain_text("L'agence répond seule")
    cm.fill("#reply-text", CLEAN)
    send = cm.get_by_role("button", name="Envoyer la réponse")
    expect(send).to_be_visible()

    lead = browser.new_context().new_page()
    log_in(lead, live_server, "lead@vigie.demo")
    lead.goto(f"{live_server.url}/cases/{case.id}")
    lead.get_by_text("Corriger le triage").click()
    lead.select_option("#ov-severity", "S4")
    lead.fill("#ov-scenario", "detresse")
    lead.fill("#ov-reason", "Le client parle d'en finir")
    lead.get_by_role("button", name="Enregistrer la correction").click()
    expect(lead.locator(".flash", has_text="Triage corrigé")).to_be_visible()

    # The CM's page still shows the old "send" button: the server refuses it (the form was
    # rendered before the correction) and shows the case as it is now.
    send.click()
    expect(cm.get_by_text("Ce cas vient de changer")).to_be_visible()
    expect(lead.locator(".flash", has_text="Cas escaladé en urgence")).to_be_visible()
    expect(lead.locator("#triage-title + dl")).to_contain_text("Escalade urgente")
    expect(cm.get_by_role("button", name="Soumettre à la marque")).to_be_visible()
    expect(cm.get_by_role("button", name="Envoyer la réponse")).to_have_count(0)
    expect(cm.locator("#reply-text")).to_have_value(CLEAN)  # nothing typed is lost

    with live_app.app_context(), Session(get_engine()) as session:
        stored = session.get(Case, case.id)
        assert stored is not None
        assert (stored.action, stored.status, stored.pinned) == (
            "escalate_urgent",
            "escalated",
            True,
        )
        assert session.exec(select(Reply).where(Reply.case_id == case.id)).all() == []
        escalation = session.exec(select(Escalation).where(Escalation.case_id == case.id)).one()
        assert escalation.urgency == "urgent"
