"""The brand owner answers an escalation on a phone: a reply refused by proofreading comes back
with "publish as is" still chosen and the text as typed; once fixed it is published, never
passed on as instructions."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from app.models import Brand, Case, Escalation, Reply, User
from tests.browser.conftest import log_in
from tests.factories import make_case

PHONE = {"width": 390, "height": 844}
MISTAKE = "Nous somme désolé pour ce train supprimé."
FIXED = "Nous sommes désolés pour ce train supprimé."


@pytest.fixture
def escalation_id(live_app) -> int:
    """An escalation of demo-rail waiting for the brand's answer."""
    engine = live_app.extensions["vigie_engine"]
    with Session(engine, expire_on_commit=False) as session:
        brand = session.exec(select(Brand).where(Brand.slug == "demo-rail")).one()
        cm = session.exec(select(User).where(User.email == "cm@vigie.demo")).one()
        case = make_case(
            session,
            brand,
            "Train supprimé sans prévenir, je veux parler à un responsable",
            severity="S3",
            action="escalate",
            person_name="Paul Durand",
        )
        case.status = "escalated"
        escalation = Escalation(
            brand_id=brand.id,  # type: ignore[arg-type]
            case_id=case.id,  # type: ignore[arg-type]
            reason="Le client demande un responsable",
            requested_by_id=cm.id,
        )
        session.add_all([case, escalation])
        session.commit()
        return escalation.id  # type: ignore[return-value]


def test_portal_keeps_the_owners_choice_and_text_after_an_error(
    browser, live_app, live_server, escalation_id
):
    page = browser.new_context(viewport=PHONE).new_page()
    log_in(page, live_server, "owner@demo-rail.vigie.demo")
    page.goto(f"{live_server.url}/portal")
    card = page.locator(f"#escalation-{escalation_id}")
    publish = card.get_by_label("Réponse à publier telle quelle")
    instructions = card.get_by_label("Consignes pour l'agence")
    expect(publish).not_to_be_checked()  # no choice is made for the owner
    expect(instructions).not_to_be_checked()
    publish.check()
    card.locator("textarea[name=text]").fill(MISTAKE)
    card.get_by_role("button", name="Répondre", exact=True).click()

    expect(card.locator(".form-error")).to_contain_text("Relecture")
    expect(publish).to_be_checked()
    expect(instructions).not_to_be_checked()
    expect(card.locator("textarea[name=text]")).to_have_value(MISTAKE)
    expect(page.locator("#htmx-error")).to_be_empty()  # the card itself, not a copy above
    expect(page.locator(f"#escalation-{escalation_id}")).to_have_count(1)

    card.locator("textarea[name=text]").fill(FIXED)
    card.get_by_role("button", name="Répondre", exact=True).click()
    expect(card.get_by_test_id("answer-kind")).to_contain_text("Réponse de la marque")

    with Session(live_app.extensions["vigie_engine"]) as session:
        escalation = session.get(Escalation, escalation_id)
        assert escalation.state == "answered" and escalation.answer_kind == "reply"
        reply = session.exec(select(Reply).where(Reply.case_id == escalation.case_id)).one()
        assert reply.text == FIXED and reply.outbox_state == "queued"
        assert session.get(Case, escalation.case_id).status == "open"
