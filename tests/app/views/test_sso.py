"""Single sign-on with OpenID Connect, against a real provider on loopback (oidc-provider-mock):
users matched by verified e-mail and then by their linked identity, refusals audited, the state
single-use and bound to the browser, the nonce and the issuer checked."""

from __future__ import annotations

import pyotp
import pytest
from sqlmodel import select

from app.models import AuditEvent, Brand, OIDCLoginState, User, UserIdentity
from app.security import oidc, totp
from app.security.secrets_box import SecretsBox
from app.services import users
from tests.conftest import TEST_ENCRYPTION_KEY, csrf_token
from tests.factories import PASSWORD, make_brand, make_user
from tests.oidc_provider import running_provider

pytestmark = pytest.mark.db


@pytest.fixture(scope="module")
def provider():
    with running_provider() as running:
        yield running


@pytest.fixture
def sso_app(app, provider):
    app.config["VIGIE_ALLOW_PRIVATE_URLS"] = True  # the provider listens on loopback
    app.config["VIGIE_OIDC_PROVIDERS"] = (provider.config(),)
    oidc.clear_caches()
    return app


def _start(client, next_url: str | None = None):
    response = client.get("/login/sso/default" + (f"?next={next_url}" if next_url else ""))
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response.headers["Location"]


def sso_login(client, provider, sub: str, **claims):
    """The whole round trip: Vigie → provider's form → Vigie's callback."""
    if claims:
        provider.set_user(sub, **claims)
    query = provider.authorize(_start(client), sub)
    return client.get("/login/sso/default/callback", query_string=query)


def _events(session, action: str) -> list[AuditEvent]:
    session.expire_all()
    return list(session.exec(select(AuditEvent).where(AuditEvent.action == action)).all())


def test_login_page_offers_the_provider_only_when_configured(app, client, provider):
    assert "Se connecter avec" not in client.get("/login").get_data(as_text=True)
    assert client.get("/login/sso/default").status_code == 404
    app.config["VIGIE_OIDC_PROVIDERS"] = (provider.config(),)
    page = client.get("/login").get_data(as_text=True)
    assert "Se connecter avec Google Workspace" in page
    assert 'href="/login/sso/default"' in page


def test_happy_path_opens_the_queue_and_links_the_identity(sso_app, client, session, provider):
    brand = make_brand(session)
    user = make_user(session, brand, email="alice@agency.test")
    authorize_url = _start(client)
    # Authorization Code flow with PKCE (S256), a state and a nonce.
    for part in (
        "response_type=code",
        "code_challenge_method=S256",
        "nonce=",
        "state=",
        "scope=openid+email+profile",
    ):
        assert part in authorize_url
    provider.set_user("alice-sub", email="Alice@agency.test", email_verified=True)
    query = provider.authorize(authorize_url, "alice-sub")
    response = client.get("/login/sso/default/callback", query_string=query)
    assert response.status_code == 302
    assert client.get("/queue").status_code == 200
    identity = session.exec(select(UserIdentity)).one()
    assert (identity.user_id, identity.subject, identity.issuer) == (
        user.id,
        "alice-sub",
        provider.url,
    )
    login = _events(session, "auth.login")[-1]
    assert login.actor_id == user.id and login.note == "sso:default"
    account = client.get("/account").get_data(as_text=True)
    assert "Lié à Google Workspace (alice@agency.test)" in account
    assert "Cette session a été ouverte par Google Workspace" in account
    # The same server-side session as a password login: "log out everywhere" ends it.
    client.post("/account/logout-everywhere", data={"csrf_token": csrf_token(client, "/")})
    assert client.get("/queue").status_code == 302


def test_next_is_kept_through_the_provider(sso_app, client, session, provider):
    make_user(session, make_brand(session), email="next@agency.test")
    provider.set_user("next-sub", email="next@agency.test", email_verified=True)
    query = provider.authorize(_start(client, "/account"), "next-sub")
    response = client.get("/login/sso/default/callback", query_string=query)
    assert response.headers["Location"] == "/account"


def test_admin_user_page_shows_whether_the_user_signed_in_through_sso(
    sso_app, client, session, provider
):
    brand = make_brand(session)
    make_user(session, brand, role="admin", email="admin@agency.test")
    cm = make_user(session, brand, email="cm@agency.test")
    admin_client = sso_app.test_client()
    from tests.conftest import login

    login(admin_client, "admin@agency.test")
    page = admin_client.get(f"/admin/users/{cm.id}").get_data(as_text=True)
    assert "Ne s'est jamais connecté par connexion unique." in page
    sso_login(client, provider, "cm-sub", email="cm@agency.test", email_verified=True)
    page = admin_client.get(f"/admin/users/{cm.id}").get_data(as_text=True)
    assert "Connexion unique : Google Workspace (cm@agency.test)" in page


@pytest.mark.parametrize("verified", [False, "false", None])
def test_unverified_email_is_refused(sso_app, client, session, provider, verified):
    make_user(session, make_brand(session), email="bob@agency.test")
    claims = {"email": "bob@agency.test"}
    if verified is not None:
        claims["email_verified"] = verified
    response = sso_login(client, provider, f"bob-{verified}", **claims)
    assert response.status_code == 403
    assert "n&#39;a pas confirmé que cette adresse e-mail vous appartient" in response.get_data(
        as_text=True
    )
    assert client.get("/queue").status_code == 302
    refused = _events(session, "auth.sso_refused")
    assert refused[-1].after == {"provider": "default", "reason": "email_unverified"}
    assert session.exec(select(UserIdentity)).all() == []


def test_unknown_email_is_refused_and_no_user_is_created(sso_app, client, session, provider):
    response = sso_login(client, provider, "eve-sub", email="eve@agency.test", email_verified=True)
    assert response.status_code == 403
    assert "Aucun compte Vigie n&#39;existe pour cette adresse" in response.get_data(as_text=True)
    assert session.exec(select(User)).all() == []
    refused = _events(session, "auth.sso_refused")[-1]
    assert refused.actor_label == "eve@agency.test"
    assert refused.after["reason"] == "unknown_user"


def test_deactivated_user_is_refused(sso_app, client, session, provider):
    user = make_user(session, make_brand(session), email="gone@agency.test")
    users.set_active(session=session, user=user, active=False, actor=None)
    session.commit()
    response = sso_login(
        client, provider, "gone-sub", email="gone@agency.test", email_verified=True
    )
    assert response.status_code == 403
    assert "Ce compte Vigie est désactivé." in response.get_data(as_text=True)
    assert client.get("/queue").status_code == 302


def test_deactivated_after_linking_is_refused_too(sso_app, client, session, provider):
    user = make_user(session, make_brand(session), email="later@agency.test")
    assert (
        sso_login(
            client, provider, "later-sub", email="later@agency.test", email_verified=True
        ).status_code
        == 302
    )
    session.refresh(user)
    users.set_active(session=session, user=user, active=False, actor=None)
    session.commit()
    other = sso_app.test_client()
    assert sso_login(other, provider, "later-sub").status_code == 403
    assert other.get("/queue").status_code == 302


def test_allowed_domains(app, client, session, provider):
    app.config["VIGIE_ALLOW_PRIVATE_URLS"] = True
    app.config["VIGIE_OIDC_PROVIDERS"] = (provider.config(allowed_domains=("agency.test",)),)
    make_user(session, make_brand(session), email="someone@gmail.test")
    response = sso_login(
        client, provider, "gmail-sub", email="someone@gmail.test", email_verified=True
    )
    assert response.status_code == 403
    assert _events(session, "auth.sso_refused")[-1].after["reason"] == "domain_not_allowed"


def test_state_is_single_use(sso_app, client, session, provider):
    make_user(session, make_brand(session), email="carol@agency.test")
    provider.set_user("carol-sub", email="carol@agency.test", email_verified=True)
    query = provider.authorize(_start(client), "carol-sub")
    cookie = client.get_cookie("vigie_session").value  # the browser's state, before the callback
    assert client.get("/login/sso/default/callback", query_string=query).status_code == 302
    # A saved copy of the cookie and the callback URL, replayed: the state was consumed.
    replay = sso_app.test_client()
    replay.set_cookie("vigie_session", cookie)
    response = replay.get("/login/sso/default/callback", query_string=query)
    assert response.status_code == 400
    assert "a expiré ou a déjà servi" in response.get_data(as_text=True)
    assert replay.get("/queue").status_code == 302
    assert session.exec(select(OIDCLoginState)).all() == []


def test_state_from_another_browser_is_refused(sso_app, client, session, provider):
    """Login CSRF: an attacker's own callback URL opened in the victim's browser."""
    make_user(session, make_brand(session), email="mallory@agency.test")
    provider.set_user("mallory-sub", email="mallory@agency.test", email_verified=True)
    attacker = sso_app.test_client()
    query = provider.authorize(_start(attacker), "mallory-sub")
    victim = sso_app.test_client()
    response = victim.get("/login/sso/default/callback", query_string=query)
    assert response.status_code == 400
    assert victim.get("/queue").status_code == 302
    # …and that state is spent: the attacker cannot use it afterwards either.
    assert attacker.get("/login/sso/default/callback", query_string=query).status_code == 400


def test_missing_or_forged_state_is_refused(sso_app, client, session, provider):
    _start(client)
    assert client.get("/login/sso/default/callback?code=abc").status_code == 400
    _start(client)
    assert client.get("/login/sso/default/callback?code=abc&state=forged").status_code == 400
    assert _events(session, "auth.sso_refused")[-1].after["reason"] == "state"


def test_a_nonce_that_does_not_match_is_refused(sso_app, client, session, provider):
    """The ID token carries the nonce Vigie sent; if the one Vigie expects differs (a token
    minted for another sign-in), the token is refused."""
    make_user(session, make_brand(session), email="dan@agency.test")
    provider.set_user("dan-sub", email="dan@agency.test", email_verified=True)
    query = provider.authorize(_start(client), "dan-sub")
    row = session.exec(select(OIDCLoginState)).one()
    row.nonce = "another-sign-in"
    session.add(row)
    session.commit()
    response = client.get("/login/sso/default/callback", query_string=query)
    assert response.status_code == 400
    assert "n&#39;a pas pu être vérifiée" in response.get_data(as_text=True)
    assert client.get("/queue").status_code == 302
    assert _events(session, "auth.sso_refused")[-1].after["reason"] == "id_token"


def test_a_code_used_twice_is_refused_by_the_provider(sso_app, client, session, provider):
    make_user(session, make_brand(session), email="erin@agency.test")
    provider.set_user("erin-sub", email="erin@agency.test", email_verified=True)
    query = provider.authorize(_start(client), "erin-sub")
    assert client.get("/login/sso/default/callback", query_string=query).status_code == 302
    other = sso_app.test_client()
    # A fresh state of this browser, with the old code: the provider refuses the code.
    fresh = provider.authorize(_start(other), "erin-sub")
    response = other.get(
        "/login/sso/default/callback", query_string={"state": fresh["state"], "code": query["code"]}
    )
    assert response.status_code == 400
    assert _events(session, "auth.sso_refused")[-1].after["reason"] == "token"


def test_cancelled_at_the_provider(sso_app, client, session, provider):
    query = provider.authorize(_start(client), "x", deny=True)
    response = client.get("/login/sso/default/callback", query_string=query)
    assert response.status_code == 400
    assert "annulée" in response.get_data(as_text=True)


def test_identity_link_stops_an_email_switch_hijack(sso_app, client, session, provider):
    brand = make_brand(session)
    alice = make_user(session, brand, email="alice@agency.test")
    bob = make_user(session, brand, email="bob@agency.test")
    assert (
        sso_login(
            client, provider, "alice-sub", email="alice@agency.test", email_verified=True
        ).status_code
        == 302
    )
    # Another person at the provider now shows Alice's address: refused, Alice is linked.
    mallory = sso_app.test_client()
    response = sso_login(
        mallory, provider, "mallory-sub", email="alice@agency.test", email_verified=True
    )
    assert response.status_code == 403
    assert "déjà lié à une autre identité" in response.get_data(as_text=True)
    assert mallory.get("/queue").status_code == 302
    assert _events(session, "auth.sso_refused")[-1].after["reason"] == "other_identity"
    # Alice's subject now carries Bob's address: it still opens Alice's account, never Bob's.
    again = sso_app.test_client()
    assert (
        sso_login(
            again, provider, "alice-sub", email="bob@agency.test", email_verified=True
        ).status_code
        == 302
    )
    assert again.get("/account").get_data(as_text=True).count("alice@agency.test") >= 1
    assert _events(session, "auth.login")[-1].actor_id == alice.id
    assert bob.id not in [e.actor_id for e in _events(session, "auth.login")]


def test_a_wrong_issuer_is_a_configuration_error(app, client, session, provider):
    """An issuer whose discovery document cannot be had (here a tenant path the provider does
    not serve): a clear 502 page for the user, the reason in the audit trail."""
    app.config["VIGIE_ALLOW_PRIVATE_URLS"] = True
    app.config["VIGIE_OIDC_PROVIDERS"] = (provider.config(issuer=provider.url + "/tenant"),)
    oidc.clear_caches()
    response = client.get("/login/sso/default")
    assert response.status_code == 502
    assert "mal configurée" in response.get_data(as_text=True)
    assert _events(session, "auth.sso_refused")[-1].after["reason"] == "discovery"


def test_loopback_provider_refused_without_allow_private_urls(app, client, session, provider):
    app.config["VIGIE_ALLOW_PRIVATE_URLS"] = False
    app.config["VIGIE_OIDC_PROVIDERS"] = (provider.config(),)
    oidc.clear_caches()
    response = client.get("/login/sso/default")
    assert response.status_code == 502
    assert session.exec(select(OIDCLoginState)).all() == []


def test_id_token_signed_by_another_key_is_refused(sso_app, provider):
    """Signature check with real keys: a token with the right claims but a foreign key."""
    import time

    from joserfc import jwt
    from joserfc.jwk import OctKey, RSAKey

    from connectors.net_policy import NetPolicy

    prov = provider.config()
    policy = NetPolicy(allow_private=True)
    meta = oidc.metadata(prov, policy)
    now = int(time.time())
    claims = {
        "iss": meta.issuer,
        "aud": prov.client_id,
        "sub": "x",
        "iat": now,
        "exp": now + 300,
        "nonce": "n",
        "email": "a@b.test",
        "email_verified": True,
    }
    forged = jwt.encode({"alg": "RS256"}, claims, RSAKey.generate_key(2048))
    with pytest.raises(oidc.OIDCError) as refused:
        oidc.verify_id_token(prov, meta, policy, id_token=forged, nonce="n", access_token=None)
    assert refused.value.reason == oidc.ID_TOKEN
    # HMAC with the (public) client id or secret as key: never accepted.
    hmac_key = OctKey.import_key(prov.client_secret.encode())
    unsigned = jwt.encode({"alg": "HS256"}, claims, hmac_key)
    with pytest.raises(oidc.OIDCError):
        oidc.verify_id_token(prov, meta, policy, id_token=unsigned, nonce="n", access_token=None)


def test_vigie_totp_is_still_asked_after_sso(sso_app, client, session, provider):
    user = make_user(session, make_brand(session), email="tfa@agency.test")
    box = SecretsBox(TEST_ENCRYPTION_KEY)
    seed = totp.start_enrolment(session=session, user=user, box=box)
    totp.confirm_enrolment(session=session, user=user, box=box, code=pyotp.TOTP(seed).now())
    session.commit()
    response = sso_login(client, provider, "tfa-sub", email="tfa@agency.test", email_verified=True)
    assert response.headers["Location"].endswith("/login/2fa")
    assert client.get("/queue").status_code == 302
    import time

    token = csrf_token(client, "/login/2fa")
    done = client.post(
        "/login/2fa",
        data={"code": pyotp.TOTP(seed).at(time.time() + 30), "csrf_token": token},
    )
    assert done.status_code == 302
    assert client.get("/queue").status_code == 200
    assert _events(session, "auth.login")[-1].note == "2fa:totp sso:default"


def test_role_rule_is_left_to_the_provider_but_a_brand_requirement_holds(
    sso_app, client, session, provider
):
    sso_app.config["VIGIE_2FA_ROLES"] = ("admin", "lead")
    brand = make_brand(session)
    make_user(session, brand, role="lead", email="lead@agency.test")
    assert (
        sso_login(
            client, provider, "lead-sub", email="lead@agency.test", email_verified=True
        ).status_code
        == 302
    )
    assert client.get("/queue").status_code == 200  # the provider's MFA counts for the role rule
    # The brand's admin requires two-factor of every member: honoured for SSO sessions too.
    brand = session.get(Brand, brand.id)
    brand.settings = {**brand.settings, totp.BRAND_SETTING: True}
    session.add(brand)
    session.commit()
    response = client.get("/queue")
    assert response.status_code == 302 and response.headers["Location"].endswith("/account/2fa")


def test_password_login_refused_for_sso_only_domains(sso_app, client, session, provider):
    sso_app.config["VIGIE_OIDC_ONLY_DOMAINS"] = ("agency.test",)
    make_user(session, make_brand(session), email="frank@agency.test")
    response = client.post(
        "/login",
        data={"email": "frank@agency.test", "password": PASSWORD, "csrf_token": csrf_token(client)},
    )
    assert response.status_code == 403
    assert "uniquement par la connexion unique" in response.get_data(as_text=True)
    assert client.get("/queue").status_code == 302
    # Superadmins keep their password: the way back in when the provider is down.
    root = make_user(session, email="root@agency.test")
    users.set_superadmin(session=session, user=root, on=True)
    session.commit()
    response = client.post(
        "/login",
        data={"email": "root@agency.test", "password": PASSWORD, "csrf_token": csrf_token(client)},
    )
    assert response.status_code == 302
    # …and SSO still works for the domain.
    other = sso_app.test_client()
    assert (
        sso_login(
            other, provider, "frank-sub", email="frank@agency.test", email_verified=True
        ).status_code
        == 302
    )


def test_garbage_on_the_callback_is_a_clear_4xx(sso_app, client, session, provider):
    from tests.app.test_garbage_input import GARBAGE

    for value in GARBAGE:
        _start(client)
        for query in ({"state": value, "code": value}, {"error": value}, {"code": value}):
            response = client.get("/login/sso/default/callback", query_string=query)
            assert 400 <= response.status_code < 500, (query, response.status_code)
        assert client.get("/login/sso/" + value[:100]).status_code in (404, 400)
    assert client.get("/queue").status_code == 302


def test_admin_unlinks_an_identity_so_the_address_can_link_again(
    sso_app, client, session, provider
):
    from tests.conftest import login, post

    brand = make_brand(session)
    make_user(session, brand, role="admin", email="admin@agency.test")
    user = make_user(session, brand, email="desk@agency.test")
    other_brand = make_brand(session)
    outsider = make_user(session, other_brand, email="out@agency.test")
    assert (
        sso_login(
            client, provider, "old-sub", email="desk@agency.test", email_verified=True
        ).status_code
        == 302
    )
    assert (
        sso_login(
            sso_app.test_client(), provider, "out-sub", email="out@agency.test", email_verified=True
        ).status_code
        == 302
    )
    # The address now belongs to a new person at the provider: refused until unlinked.
    newcomer = sso_app.test_client()
    assert (
        sso_login(
            newcomer, provider, "new-sub", email="desk@agency.test", email_verified=True
        ).status_code
        == 403
    )
    admin = sso_app.test_client()
    login(admin, "admin@agency.test")
    # Not the admin's to unlink: a user of another brand only.
    assert post(admin, f"/admin/users/{outsider.id}/sso/unlink").status_code == 404
    assert post(admin, f"/admin/users/{user.id}/sso/unlink").status_code == 302
    assert client.get("/queue").status_code == 302  # the old identity's session ended
    assert sso_login(newcomer, provider, "new-sub").status_code == 302
    session.expire_all()
    subjects = {i.subject for i in session.exec(select(UserIdentity)).all()}
    assert subjects == {"new-sub", "out-sub"}
    assert _events(session, "user.sso_unlinked")[-1].before["provider"] == "default"


def test_provider_settings_from_the_environment():
    from app.config import Settings

    base = {"VIGIE_SECRET_KEY": "s", "VIGIE_ENCRYPTION_KEY": TEST_ENCRYPTION_KEY}
    assert Settings.from_env(base).oidc_providers == ()
    one = Settings.from_env(
        {
            **base,
            "VIGIE_OIDC_ISSUER": "https://accounts.google.com",
            "VIGIE_OIDC_CLIENT_ID": "id",
            "VIGIE_OIDC_CLIENT_SECRET": "secret",
            "VIGIE_OIDC_NAME": "Google Workspace",
            "VIGIE_OIDC_ALLOWED_DOMAINS": "Agency.example, other.example",
            "VIGIE_OIDC_ONLY_DOMAINS": "agency.example",
        }
    )
    (google,) = one.oidc_providers
    assert (google.key, google.name, google.allowed_domains) == (
        "default",
        "Google Workspace",
        ("agency.example", "other.example"),
    )
    assert one.oidc_only_domains == ("agency.example",)
    two = Settings.from_env(
        {
            **base,
            "VIGIE_OIDC_PROVIDERS": "google,entra",
            **{
                f"VIGIE_OIDC_{k}_{v}": "x"
                for k in ("GOOGLE", "ENTRA")
                for v in ("ISSUER", "CLIENT_ID", "CLIENT_SECRET")
            },
        }
    )
    assert [p.key for p in two.oidc_providers] == ["google", "entra"]
    with pytest.raises(ValueError, match="VIGIE_OIDC_CLIENT_SECRET"):
        Settings.from_env({**base, "VIGIE_OIDC_ISSUER": "https://x", "VIGIE_OIDC_CLIENT_ID": "i"})
