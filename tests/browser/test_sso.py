"""Single sign-on in Chromium: « Se connecter avec Google Workspace » on the login page, the
provider's own sign-in form (oidc-provider-mock on loopback), back in Vigie with a session."""

from __future__ import annotations

import dataclasses

import pytest

from app.security import oidc
from tests.oidc_provider import running_provider


@pytest.fixture
def provider(live_app, live_server):
    with running_provider() as running:
        saved = {
            k: live_app.config[k]
            for k in ("VIGIE_OIDC_PROVIDERS", "VIGIE_ALLOW_PRIVATE_URLS", "VIGIE_SETTINGS")
        }
        live_app.config["VIGIE_OIDC_PROVIDERS"] = (running.config(),)
        live_app.config["VIGIE_ALLOW_PRIVATE_URLS"] = True
        # The redirect URI is built from the public URL: the live server's.
        live_app.config["VIGIE_SETTINGS"] = dataclasses.replace(
            saved["VIGIE_SETTINGS"], public_url=live_server.url
        )
        oidc.clear_caches()
        try:
            yield running
        finally:
            live_app.config.update(saved)


def test_sign_in_with_the_provider_opens_the_console(page, live_server, provider):
    provider.set_user("cm-sub", email="cm@vigie.demo", email_verified=True, name="CM")
    page.route("https://cdn.jsdelivr.net/**", lambda route: route.abort())  # its stylesheet
    page.goto(f"{live_server.url}/login")
    page.get_by_role("link", name="Se connecter avec Google Workspace").click()
    page.wait_for_url(f"{provider.url}/oauth2/authorize?**")
    page.fill("input[name=sub]", "cm-sub")
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{live_server.url}/**")
    assert page.get_by_test_id("whoami").inner_text() == "cm@vigie.demo"
    page.goto(f"{live_server.url}/queue")
    assert page.url.endswith("/queue")
    page.get_by_test_id("whoami").click()
    page.wait_for_url("**/account")
    assert (
        "Lié à Google Workspace (cm@vigie.demo)"
        in page.get_by_test_id("sso-identities").inner_text()
    )


def test_an_unknown_address_gets_a_clear_refusal(page, live_server, provider):
    provider.set_user("stranger", email="stranger@vigie.demo", email_verified=True)
    page.route("https://cdn.jsdelivr.net/**", lambda route: route.abort())
    page.goto(f"{live_server.url}/login")
    page.get_by_role("link", name="Se connecter avec Google Workspace").click()
    page.fill("input[name=sub]", "stranger")
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{live_server.url}/login/sso/default/callback?**")
    assert (
        "Aucun compte Vigie n'existe pour cette adresse"
        in page.get_by_test_id("sso-refusal").inner_text()
    )
