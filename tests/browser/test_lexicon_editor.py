"""The brand lexicon editor in Chromium: create a lexicon, edit its terms one per line, see a
refusal keep the typed text, and reach it from the playbook page."""

from __future__ import annotations

from tests.browser.conftest import log_in


def test_an_editor_writes_a_brand_lexicon(page, live_server):
    log_in(page, live_server, "editor@vigie.demo")
    page.goto(f"{live_server.url}/playbooks")
    page.get_by_role("link", name="Lexiques", exact=True).click()
    page.wait_for_url("**/playbooks/lexicons**")

    page.get_by_label("Nom (minuscules, chiffres, « _ », « - »)").fill("navigateur-produits")
    page.get_by_label("Termes (un par ligne)").fill("trottinette\nvélo(s) électrique(s)")
    page.get_by_role("button", name="Créer le lexique").click()
    page.wait_for_url("**/playbooks/lexicons/*")
    assert page.get_by_text("Lexique « navigateur-produits » créé.").is_visible()
    assert page.get_by_test_id("lexicon-version").inner_text() == "1"

    # A bad line is refused with its line number; the text typed is still there to fix.
    terms = page.get_by_label("Termes (un par ligne)")
    terms.fill("trottinette\ngyropode (cassé")
    page.get_by_role("button", name="Enregistrer").click()
    assert page.get_by_test_id("lexicon-error").is_visible()
    assert "ligne 2" in page.get_by_test_id("lexicon-error").inner_text()
    assert "gyropode (cassé" in terms.input_value()

    terms.fill("trottinette\ngyropode(s)")
    page.get_by_role("button", name="Enregistrer").click()
    assert page.get_by_text("Lexique enregistré (version 2).").is_visible()
    assert page.get_by_test_id("lexicon-version").inner_text() == "2"

    page.get_by_role("link", name="Lexiques de").click()
    row = page.get_by_test_id("lexicons").locator("tr", has_text="navigateur-produits")
    assert row.is_visible() and "aucune version" in row.inner_text()

    # Unused: it can be deleted.
    row.get_by_role("link").click()
    page.get_by_role("button", name="Supprimer le lexique").click()
    assert page.get_by_text("Lexique « navigateur-produits » supprimé.").is_visible()
