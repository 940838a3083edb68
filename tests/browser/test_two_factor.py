"""A user sets up two-factor from « Mon compte » (QR code under the strict CSP), keeps the
recovery codes, then logs in again with one of them."""

from __future__ import annotations

import pyotp

from app.extensions import get_engine, session_scope
from app.services import brands, users
from tests.browser.conftest import log_in

EMAIL = "tfa@vigie.demo"
PASSWORD = "un mot de passe solide"


def test_two_factor_set_up_and_login_with_a_recovery_code(page, live_app, live_server):
    with live_app.app_context(), session_scope(get_engine()) as session:
        user = users.create_user(session=session, email=EMAIL, password=PASSWORD)
        brand = brands.by_slug(session=session, slug="demo-rail")
        users.grant(session=session, user=user, brand=brand, role="community_manager")
    csp_errors: list[str] = []
    page.on(
        "console",
        lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    log_in(page, live_server, EMAIL, PASSWORD)
    page.get_by_test_id("whoami").click()
    page.wait_for_url("**/account")
    page.get_by_role("link", name="Gérer la double authentification").click()
    page.wait_for_url("**/account/2fa")
    qr = page.locator("figure.qr svg")
    assert qr.is_visible()
    assert qr.bounding_box()["width"] > 100
    seed = page.get_by_test_id("totp-seed").inner_text()
    page.fill("#code", pyotp.TOTP(seed).now())
    page.get_by_role("button", name="Activer", exact=True).click()
    codes = page.get_by_test_id("recovery-codes").locator("code").all_inner_texts()
    assert len(codes) == 10
    assert csp_errors == []

    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url("**/login")
    log_in(page, live_server, EMAIL, PASSWORD)
    page.wait_for_url("**/login/2fa")
    page.fill("#code", codes[0])
    page.get_by_role("button", name="Valider", exact=True).click()
    assert page.get_by_text("Code de secours utilisé. Il vous en reste 9").is_visible()
    assert page.get_by_test_id("whoami").inner_text() == EMAIL
