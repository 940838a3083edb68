"""Connect with Google in Chromium: an admin connects the demo rail brand's YouTube channel
through the consent screen of a fake Google authorization server on a loopback port, picks the
channel, and sees the account connected; a refused consent comes back as a message."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from app.extensions import get_engine
from app.models import ConnectorAccount
from tests.browser.conftest import log_in
from tests.connectors.fake_google_business import FakeGoogleBusiness
from tests.connectors.fake_google_oauth import FakeGoogleOAuth
from tests.connectors.fake_http_server import serve_fake
from tests.connectors.fake_youtube import FakeYouTube


@pytest.fixture
def google(live_app, monkeypatch):
    # The fakes listen on 127.0.0.1: allowed as on a lab deployment (app and environment).
    monkeypatch.setitem(live_app.config, "VIGIE_ALLOW_PRIVATE_URLS", True)
    monkeypatch.setenv("VIGIE_ALLOW_PRIVATE_URLS", "1")
    youtube, business = FakeYouTube(), FakeGoogleBusiness()
    with (
        serve_fake(youtube),
        serve_fake(business),
        serve_fake(FakeGoogleOAuth(youtube, business)) as oauth,
    ):
        for key, value in {
            "VIGIE_GOOGLE_CLIENT_ID": oauth.client_id,
            "VIGIE_GOOGLE_CLIENT_SECRET": oauth.client_secret,
            "VIGIE_GOOGLE_AUTH_URL": oauth.auth_url,
            "VIGIE_GOOGLE_TOKEN_URL": oauth.token_url,
            "VIGIE_GOOGLE_YOUTUBE_URL": youtube.base_url,
            "VIGIE_GOOGLE_BUSINESS_URL": business.base_url,
        }.items():
            monkeypatch.setitem(live_app.config, key, value)
        yield oauth


def test_connect_a_youtube_channel_with_google(page, live_server, live_app, google):
    log_in(page, live_server, "admin@vigie.demo")
    page.goto(f"{live_server.url}/admin/accounts/new")
    row = page.locator('#google-connect li[data-brand="Ferlis (démo)"]')
    row.get_by_role("link", name="YouTube").click()
    # Google's consent screen (the fake accepts at once) sends the browser back to pick.
    expect(page.get_by_text("Chaîne YouTube « @acmefrance »")).to_be_visible()
    assert google.consents[-1]["access_type"] == "offline"
    page.get_by_role("button", name="Connecter", exact=True).click()
    expect(page.get_by_text("Compte Google connecté")).to_be_visible()
    expect(page.locator('[data-testid="google-consent"]')).to_contain_text("connecté avec Google")
    expect(page.locator("body")).not_to_contain_text(google.youtube.refresh_token)
    with live_app.app_context(), Session(get_engine()) as session:
        account = session.exec(
            select(ConnectorAccount).where(ConnectorAccount.platform == "youtube")
        ).one()
        assert account.options["connected_with"] == "google_oauth"
    # The owner refuses on Google's screen: a message, no error page.
    google.deny = True
    page.goto(f"{live_server.url}/admin/accounts/new")
    page.locator('#google-connect li[data-brand="Ferlis (démo)"]').get_by_role(
        "link", name="YouTube"
    ).click()
    expect(page.get_by_text("Connexion à Google annulée : accès refusé.")).to_be_visible()
