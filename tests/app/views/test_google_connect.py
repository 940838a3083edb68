"""Connect with Google against the fake authorization, YouTube and Business Profile servers:
authorization code with PKCE and state, offline access for a refresh token stored encrypted and
never shown, the channel or location picked, the account polling with it, the consent's
revocation shown with a reconnect that renews the same account, and every refusal a message."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import respx
from sqlmodel import select

from app.models import AuditEvent, ConnectorAccount
from app.security.secrets_box import SecretsBox
from app.worker.runner import Worker
from tests.conftest import TEST_ENCRYPTION_KEY, login, post
from tests.connectors.fake_core import FakeRequest, FakeResponse
from tests.connectors.fake_google_business import FakeGoogleBusiness
from tests.connectors.fake_google_oauth import BUSINESS_SCOPE, YOUTUBE_SCOPE, FakeGoogleOAuth
from tests.connectors.fake_youtube import FakeYouTube
from tests.factories import make_brand, make_user

pytestmark = pytest.mark.db


@pytest.fixture
def google(app):
    youtube, business = FakeYouTube(), FakeGoogleBusiness()
    oauth = FakeGoogleOAuth(youtube, business)
    app.config.update(
        VIGIE_GOOGLE_CLIENT_ID=oauth.client_id,
        VIGIE_GOOGLE_CLIENT_SECRET=oauth.client_secret,
        VIGIE_GOOGLE_AUTH_URL=oauth.auth_url,
        VIGIE_GOOGLE_TOKEN_URL=oauth.token_url,
        VIGIE_GOOGLE_YOUTUBE_URL=youtube.base_url,
        VIGIE_GOOGLE_BUSINESS_URL=business.base_url,
    )
    with respx.mock(assert_all_called=False) as router:
        for fake in (youtube, business, oauth):
            fake.install_respx(router)
        yield oauth


@pytest.fixture
def admin(client, session):
    brand = make_brand(session, slug="acme", name="Acme")
    make_user(session, brand, role="admin", email="admin@example.test")
    login(client, "admin@example.test")
    return brand


def _consent(client, oauth: FakeGoogleOAuth, brand, product: str = "youtube", **override):
    """The admin clicks the button; Google's consent screen (the fake accepts) sends them back."""
    start = client.get(f"/admin/accounts/google/connect?brand_id={brand.id}&product={product}")
    assert start.status_code == 302
    screen = start.headers["Location"]
    assert screen.startswith(oauth.auth_url + "?")
    answer = oauth.dispatch(FakeRequest("GET", screen, {}))
    back = urlsplit(answer.headers["Location"])
    args = {**{k: v[0] for k, v in parse_qs(back.query).items()}, **override}
    return client.get(back.path, query_string=args), args


def _flashes(client) -> str:
    return client.get("/admin/accounts").get_data(as_text=True)


def test_connect_a_youtube_channel_with_google(client, session, admin, google, app):
    assert "Se connecter avec Google" in client.get("/admin/accounts/new").get_data(as_text=True)
    back, _ = _consent(client, google, admin)
    params = google.consents[-1]
    assert params["scope"] == YOUTUBE_SCOPE and params["code_challenge_method"] == "S256"
    assert (params["access_type"], params["prompt"]) == ("offline", "consent")
    assert back.status_code == 302 and back.headers["Location"].endswith(
        "/admin/accounts/google/pick"
    )
    page = client.get("/admin/accounts/google/pick").get_data(as_text=True)
    assert "@acmefrance" in page and google.youtube.refresh_token not in page
    done = post(client, "/admin/accounts/google/pick", {"target": google.youtube.channel_id})
    assert done.status_code == 302
    account = session.exec(select(ConnectorAccount)).one()
    assert account.platform == "youtube" and account.base_url == google.youtube.base_url
    creds = SecretsBox(TEST_ENCRYPTION_KEY).open(account.credentials_encrypted)
    assert creds["refresh_token"] == google.youtube.refresh_token
    assert creds["channel_id"] == google.youtube.channel_id
    assert google.youtube.refresh_token not in account.credentials_encrypted
    detail = client.get(f"/admin/accounts/{account.id}").get_data(as_text=True)
    assert 'data-consent="ok"' in detail and google.youtube.refresh_token not in detail
    # The account works: the worker refreshes the token at the configured endpoint and polls.
    google.youtube.add_comment("Ma commande n'est jamais arrivée")
    Worker(app).poll_due()
    session.refresh(account)
    assert account.status == "ok" and account.last_error_code is None
    assert google.requests_to("/token$", "POST")
    # The owner revokes the access: the account is flagged, the page says so.
    google.youtube.revoke()
    account.next_poll_at = None
    session.add(account)
    session.commit()
    Worker(app).poll_due()
    session.refresh(account)
    assert account.status == "auth_failed"
    detail = client.get(f"/admin/accounts/{account.id}").get_data(as_text=True)
    assert 'data-consent="revoked"' in detail and "Reconnecter avec Google" in detail
    # Connecting again renews the same account and puts it back into service.
    google.youtube.revoked, google.youtube.refresh_token = False, "1//renewed"
    _consent(client, google, admin)
    post(client, "/admin/accounts/google/pick", {"target": google.youtube.channel_id})
    session.expire_all()
    account = session.exec(select(ConnectorAccount)).one()
    assert account.status == "ok"
    creds = SecretsBox(TEST_ENCRYPTION_KEY).open(account.credentials_encrypted)
    assert creds["refresh_token"] == "1//renewed"
    actions = [e.action for e in session.exec(select(AuditEvent))]
    assert "connector.google_connected" in actions and "connector.google_renewed" in actions


def test_connect_a_business_profile_location_with_google(client, session, admin, google, app):
    _consent(client, google, admin, product="google_business")
    assert google.consents[-1]["scope"] == BUSINESS_SCOPE
    page = client.get("/admin/accounts/google/pick").get_data(as_text=True)
    assert "Acme Lyon Part-Dieu" in page
    post(client, "/admin/accounts/google/pick", {"target": google.business.location_id})
    account = session.exec(select(ConnectorAccount)).one()
    creds = SecretsBox(TEST_ENCRYPTION_KEY).open(account.credentials_encrypted)
    assert (creds["account_id"], creds["location_id"]) == (
        google.business.account_id,
        google.business.location_id,
    )
    google.business.add_review("Colis abîmé", stars=1)
    Worker(app).poll_due()
    session.refresh(account)
    assert account.status == "ok"


@pytest.mark.parametrize("failure", ["denied", "state", "reused", "token_400", "no_refresh"])
def test_every_refusal_is_a_clear_message_and_connects_nothing(
    client, session, admin, google, failure
):
    expected = {
        "denied": "accès refusé",
        "state": "state",
        "reused": "déjà servi",
        "token_400": "invalid_request",
        "no_refresh": "hors connexion",
    }[failure]
    if failure == "denied":
        google.deny = True
    if failure == "token_400":
        google.inject(
            "/token$",
            FakeResponse.json({"error": "invalid_request", "error_description": "Bad"}, 400),
            method="POST",
        )
    if failure == "no_refresh":
        google.omit_refresh_token = True
    override = {"state": "forged"} if failure == "state" else {}
    back, args = _consent(client, google, admin, **override)
    if failure == "reused":
        # The same code again (a reload, a replay) with a fresh state: Google refuses it.
        assert back.headers["Location"].endswith("/google/pick")
        start = client.get(f"/admin/accounts/google/connect?brand_id={admin.id}&product=youtube")
        fresh_state = parse_qs(urlsplit(start.headers["Location"]).query)["state"][0]
        back = client.get(
            "/admin/accounts/google/callback",
            query_string={"code": args["code"], "state": fresh_state},
        )
    assert back.status_code == 302 and back.headers["Location"].endswith("/admin/accounts")
    assert expected in _flashes(client)
    assert session.exec(select(ConnectorAccount)).all() == []


def test_garbage_on_the_google_routes_is_a_4xx(client, admin, google):
    assert (
        client.get("/admin/accounts/google/connect?brand_id=x&product=youtube").status_code == 400
    )
    assert (
        client.get(f"/admin/accounts/google/connect?brand_id={admin.id}&product=tiktok").status_code
        == 400
    )
    assert client.get("/admin/accounts/google/callback?state=&code=").status_code == 302
    assert client.get("/admin/accounts/google/pick").status_code == 302
    assert post(client, "/admin/accounts/google/pick", {"target": "x"}).status_code == 302


def test_without_a_google_client_there_is_no_button_and_no_route(client, admin):
    page = client.get("/admin/accounts/new").get_data(as_text=True)
    assert "Se connecter avec Google" not in page
    assert (
        client.get(
            f"/admin/accounts/google/connect?brand_id={admin.id}&product=youtube"
        ).status_code
        == 404
    )
