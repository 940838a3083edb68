"""An admin connects a Bluesky account with the platform's own fields (CSP-clean script)."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import log_in


def test_admin_sees_only_the_chosen_platform_fields_and_connects(page, live_server):
    violations: list[str] = []
    page.on(
        "console", lambda m: violations.append(m.text) if "Content Security" in m.text else None
    )
    log_in(page, live_server, "admin@vigie.demo")
    page.goto(f"{live_server.url}/admin/accounts/new")
    page.select_option("#platform", "bluesky")
    bluesky = page.locator('fieldset[data-platform="bluesky"]')
    expect(bluesky).to_be_visible()
    expect(page.locator('fieldset[data-platform="mastodon"]')).to_be_hidden()
    expect(bluesky.get_by_label("Mot de passe d'application")).to_have_attribute("type", "password")
    page.select_option("#platform", "mastodon")
    expect(bluesky).to_be_hidden()
    page.select_option("#platform", "bluesky")
    page.fill("#label", "Bluesky navigateur")
    bluesky.get_by_label("Identifiant (handle ou e-mail)").fill("marque.bsky.social")
    bluesky.get_by_label("Mot de passe d'application").fill("abcd-efgh-ijkl-mnop")
    page.get_by_label("Enregistrer sans vérifier").check()  # no network from the test server
    page.get_by_role("button", name="Connecter", exact=True).click()
    expect(page.get_by_text("Compte connecté.")).to_be_visible()
    expect(page.locator("h1")).to_contain_text("Bluesky navigateur")
    assert violations == []
