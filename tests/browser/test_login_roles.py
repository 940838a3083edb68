"""Each demo role logs in, sees its own navigation, and logs out."""

from __future__ import annotations

import pytest

from tests.browser.conftest import log_in

ADMIN_LINKS = ["Marques", "Utilisateurs", "Comptes connectés"]


@pytest.mark.parametrize(
    ("email", "visible", "hidden"),
    [
        ("admin@vigie.demo", ADMIN_LINKS, []),
        ("lead@vigie.demo", [], ADMIN_LINKS),
        ("cm@vigie.demo", [], ADMIN_LINKS),
        ("editor@vigie.demo", [], ADMIN_LINKS),
        ("owner@demo-rail.vigie.demo", [], ADMIN_LINKS),
    ],
)
def test_role_sees_its_navigation_then_logs_out(page, live_server, email, visible, hidden):
    log_in(page, live_server, email)
    assert page.get_by_test_id("whoami").inner_text() == email
    nav = page.get_by_role("navigation", name="Navigation principale")
    for label in visible:
        assert nav.get_by_role("link", name=label).is_visible()
    for label in hidden:
        assert nav.get_by_role("link", name=label).count() == 0
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url("**/login")
    assert page.get_by_text("Vous êtes déconnecté.").is_visible()


def test_brand_owner_sees_only_their_brand(page, live_server):
    log_in(page, live_server, "owner@demo-rail.vigie.demo")
    body = page.locator("main").inner_text()
    assert "Ferlis" in body
    assert "Cabasso" not in body


def test_wrong_password_shows_a_clear_error(page, live_server):
    page.goto(f"{live_server.url}/login")
    page.fill("#email", "cm@vigie.demo")
    page.fill("#password", "nope")
    page.click("button[type=submit].primary")
    assert page.get_by_role("alert").inner_text() == "Adresse e-mail ou mot de passe incorrect."
