"""Customer satisfaction on a phone: the CM's closing reply carries the survey link; the
customer answers on a 390 px screen without an account; the CM sees it on the case timeline."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlmodel import Session, select

from app.models import Brand, CannedReply
from tests.browser.conftest import log_in
from tests.factories import make_case

PHONE = {"width": 390, "height": 844}
LINK_RE = re.compile(r"https?://\S+/s/[A-Za-z0-9._\-]+")


def test_survey_answered_on_a_phone_and_seen_in_the_case_timeline(browser, live_app, live_server):
    engine = live_app.extensions["vigie_engine"]
    with Session(engine, expire_on_commit=False) as session:
        brand = session.exec(select(Brand).where(Brand.slug == "demo-shop")).one()
        case = make_case(session, brand, "Colis bien reçu finalement, merci", person_name="Lina")
        closing = session.exec(
            select(CannedReply).where(
                CannedReply.brand_id == brand.id,
                CannedReply.key == "shop.cloture_satisfaction",
                CannedReply.language == "fr",
            )
        ).one()
    cm = browser.new_page()
    log_in(cm, live_server, "cm@vigie.demo")
    cm.goto(f"{live_server.url}/cases/{case.id}/editor?canned={closing.id}")
    text = cm.locator("textarea[name=text]").input_value()
    link = LINK_RE.search(text)
    assert link, text
    url = link.group(0).replace("http://127.0.0.1:5000", live_server.url)

    phone = browser.new_context(viewport=PHONE, is_mobile=True).new_page()
    phone.goto(url)
    expect(phone.get_by_text("Êtes-vous satisfait de la réponse apportée ?")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    phone.locator("label:has(input[name=csat][value='5'])").click()
    phone.fill("#survey-comment", "Très rapide, merci !")
    phone.get_by_role("button", name="Envoyer mon avis").click()
    expect(phone.get_by_test_id("survey-thanks")).to_be_visible()

    cm.goto(f"{live_server.url}/cases/{case.id}")
    expect(cm.get_by_text("Avis du client reçu (questionnaire de satisfaction)")).to_be_visible()
