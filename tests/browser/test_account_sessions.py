"""Mon compte in Chromium: a user sees their devices and logs out everywhere."""

from __future__ import annotations

from tests.browser.conftest import log_in


def test_logging_out_everywhere_from_my_account_closes_the_other_browser(
    page, browser, live_server
):
    other = browser.new_context()
    try:
        phone = other.new_page()
        log_in(phone, live_server, "editor@vigie.demo")
        log_in(page, live_server, "editor@vigie.demo")

        page.get_by_test_id("whoami").click()
        page.wait_for_url("**/account")
        assert page.get_by_role("heading", name="Mon compte").is_visible()
        rows = page.get_by_test_id("sessions").locator("tbody tr")
        assert rows.count() >= 2
        assert page.get_by_text("cet appareil", exact=True).is_visible()

        page.get_by_role("button", name="Se déconnecter partout").click()
        page.wait_for_url("**/login")
        assert page.get_by_text("Vous êtes déconnecté partout").is_visible()

        phone.reload()
        phone.wait_for_url("**/login**")
        assert phone.get_by_label("Mot de passe").is_visible()
    finally:
        other.close()
