"""A reply on a channel Vigie cannot post to: copied by hand in Chromium, then confirmed."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from app.models import Brand, Case, Reply
from tests.browser.conftest import log_in
from tests.factories import make_case

TEXT = "Bonjour Jeanne, nous sommes désolés pour ce retard."


@pytest.fixture
def webhook_case(live_app) -> int:
    with Session(live_app.extensions["vigie_engine"], expire_on_commit=False) as session:
        brand = session.exec(select(Brand).where(Brand.slug == "demo-rail")).one()
        case = make_case(session, brand, "Mon colis n'est jamais arrivé", channel="webhook")
        return case.id


def test_a_reply_to_copy_is_copied_then_confirmed(browser, live_app, live_server, webhook_case):
    base = live_server.url
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    log_in(page, live_server, "cm@vigie.demo")
    page.goto(f"{base}/cases/{webhook_case}")
    page.fill("#reply-text", TEXT)
    page.get_by_role("button", name="Envoyer la réponse").click()
    page.wait_for_url("**/queue**")
    expect(page.locator(".flash-success")).to_contain_text("à publier à la main")
    expect(page.locator("body")).not_to_contain_text("Réponse envoyée")

    page.goto(f"{base}/cases/{webhook_case}")
    item = page.get_by_test_id("copy-by-hand")
    expect(page.locator("#replies")).to_contain_text("à copier à la main")
    button = item.locator("button[data-copy-target]")
    expect(button).to_have_text("Copier la réponse")
    button.click()
    expect(button).to_have_text("Copiée")
    assert page.evaluate("navigator.clipboard.readText()") == TEXT
    item.get_by_label("Lien de la publication (facultatif)").fill("https://forum.example/t/1")
    item.get_by_role("button", name="Publiée à la main").click()
    expect(page.locator(".flash-success")).to_contain_text("Réponse marquée publiée")
    expect(page.locator("#replies")).to_contain_text("publiée")
    assert not [e for e in errors if "Content Security Policy" in e], errors

    with Session(live_app.extensions["vigie_engine"]) as session:
        reply = session.exec(select(Reply).where(Reply.case_id == webhook_case)).one()
        assert reply.outbox_state == "sent"
        assert session.get(Case, webhook_case).first_response_at == reply.sent_at
    context.close()
