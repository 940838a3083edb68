"""Playbook and canned-reply editors in a real browser: live checks, one-click fixes, propose."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import log_in

EDITOR = "editor@vigie.demo"


def test_canned_reply_mistake_is_flagged_fixed_in_one_click_then_approved(page, live_server):
    log_in(page, live_server, EDITOR)
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Réponses types"
    ).click()
    page.get_by_role("link", name="Nouvelle réponse").click()
    page.fill("#cr-key", "rail.retard.navigateur")
    page.fill("#cr-title", "Retard (test navigateur)")
    page.fill(
        "#cr-body",
        "Bonjour {{ prenom }}, nous sommes désolés pour le retart de votre train. {{ lien }}",
    )
    review = page.get_by_test_id("review")
    expect(review).to_have_attribute("data-findings", "1")
    expect(review.locator("mark.finding").first).to_have_text("retart")
    expect(page.get_by_test_id("preview")).to_contain_text("Bonjour Camille")
    expect(page.get_by_test_id("preview").locator("mark.missing")).to_have_text("[[lien]]")

    review.locator("button.suggestion", has_text=re.compile(r"^retard$")).click()
    expect(page.locator("#cr-body")).to_have_value(re.compile("pour le retard de votre train"))
    expect(review).to_have_attribute("data-findings", "0")
    expect(review).to_contain_text("Aucune faute détectée.")

    page.get_by_role("button", name="Créer le brouillon").click()
    expect(page.locator(".flash-success")).to_contain_text("Réponse type créée")
    page.get_by_role("button", name="Approuver").click()
    expect(page.locator(".flash-success")).to_contain_text("Réponse approuvée")
    expect(page.locator("h1 .badge")).to_have_text("approuvée")


def test_a_suggestion_applies_from_the_keyboard_once(page, live_server):
    """Enter on a focused suggestion fixes the word (a pointer applies it on press)."""
    log_in(page, live_server, EDITOR)
    page.goto(f"{live_server.url}/canned-replies/new")
    page.fill("#cr-body", "Nous sommes désolés pour le retart de votre train.")
    review = page.get_by_test_id("review")
    expect(review).to_have_attribute("data-findings", "1")
    review.locator("button.suggestion", has_text=re.compile(r"^retard$")).focus()
    page.keyboard.press("Enter")
    expect(page.locator("#cr-body")).to_have_value(
        "Nous sommes désolés pour le retard de votre train."
    )
    expect(review).to_have_attribute("data-findings", "0")


def test_playbook_error_shows_its_line_then_fixed_tested_and_proposed(page, live_server):
    log_in(page, live_server, EDITOR)
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Playbooks"
    ).click()
    page.get_by_role("link", name="Nouveau brouillon", exact=True).click()
    source = page.locator("#pb-source")
    original = source.input_value()
    assert "max_suggested_replies: 3" in original
    line = original.split("\n").index("max_suggested_replies: 3") + 1

    source.fill(original.replace("max_suggested_replies: 3", "max_suggested_replies: trois"))
    validation = page.get_by_test_id("validation")
    expect(validation).to_contain_text(f"playbook.yaml:{line}:")
    expect(page.locator("#pb-gutter li.err")).to_have_text(str(line))
    expect(source).to_have_attribute("aria-invalid", "true")
    validation.locator(".goto-line").first.click()
    selected = page.evaluate(
        "() => { const t = document.getElementById('pb-source');"
        " return t.value.slice(t.selectionStart, t.selectionEnd); }"
    )
    assert "trois" in selected

    source.fill(original)
    expect(validation).to_contain_text("Playbook valide")
    expect(page.locator("#pb-gutter li.err")).to_have_count(0)

    page.fill("#try-text", "Bande de connards, mon train a deux heures de retard")
    page.get_by_role("button", name="Tester").click()
    result = page.get_by_test_id("try-result")
    expect(result.get_by_test_id("try-severity")).to_have_text("S3")
    expect(result.locator("blockquote mark").first).to_contain_text("connards")

    # Four eyes (issue 18, part 4): the editor proposes; a lead approves (test_four_eyes.py).
    page.get_by_role("button", name="Proposer à la publication").click()
    expect(page.locator(".flash-success")).to_contain_text("Proposition enregistrée")
    expect(page.get_by_test_id("review-refusal")).to_contain_text("votre propre modification")
    page.get_by_role("button", name="Retirer la proposition").click()
    expect(page.locator(".flash-success")).to_contain_text("Proposition retirée")
