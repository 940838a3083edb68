"""Login, logout, sessions, CSRF and rate limiting as a user meets them."""

from __future__ import annotations

import time

import pytest

from app.models import AuditEvent
from tests.conftest import csrf_token, login, post
from tests.factories import make_brand, make_user

pytestmark = pytest.mark.db


def test_login_page_has_the_expected_fields(client):
    html = client.get("/login").get_data(as_text=True)
    for field in ('name="email"', 'name="password"', 'name="csrf_token"'):
        assert field in html


def test_login_then_logout(client, session):
    brand = make_brand(session)
    make_user(session, brand, email="cm@example.test")
    login(client, "cm@example.test")
    page = client.get("/").get_data(as_text=True)
    assert "cm@example.test" in page and brand.name in page
    response = post(client, "/logout")
    assert response.status_code == 302
    assert client.get("/").status_code == 302  # back to login


def test_wrong_password_and_unknown_user_get_the_same_clear_message(client, session):
    make_user(session, make_brand(session), email="cm@example.test")
    for email, password in (("cm@example.test", "wrong"), ("nobody@example.test", "pw-test")):
        response = client.post(
            "/login", data={"email": email, "password": password, "csrf_token": csrf_token(client)}
        )
        assert response.status_code == 401
        assert "Adresse e-mail ou mot de passe incorrect." in response.get_data(as_text=True)
    failures = session.exec(
        AuditEvent.__table__.select().where(AuditEvent.action == "auth.login_failed")  # type: ignore[attr-defined]
    ).all()
    assert len(failures) == 2


def test_passwords_are_stored_as_argon2_hashes(session):
    user = make_user(session, email="hash@example.test")
    assert user.password_hash.startswith("$argon2id$")
    assert "pw-test" not in user.password_hash
    assert "$m=47104,t=1,p=1$" in user.password_hash  # OWASP's argon2id parameters


def test_a_hash_of_older_parameters_is_upgraded_at_login(client, session):
    from argon2 import PasswordHasher

    user = make_user(session, email="old@example.test")
    user.password_hash = PasswordHasher().hash("pw-test")  # argon2-cffi's default, stored before
    session.add(user)
    session.commit()
    login(client, "old@example.test")
    session.refresh(user)
    assert "$m=47104,t=1,p=1$" in user.password_hash
    assert client.get("/").status_code == 200


def test_login_without_csrf_token_is_refused(client, session):
    make_user(session, make_brand(session), email="cm@example.test")
    response = client.post("/login", data={"email": "cm@example.test", "password": "pw-test"})
    assert response.status_code == 400
    assert "jeton de sécurité" in response.get_data(as_text=True)


def test_htmx_post_needs_the_csrf_header(client, session):
    make_user(session, make_brand(session), email="cm@example.test")
    login(client, "cm@example.test")
    refused = client.post("/logout", headers={"HX-Request": "true"})
    assert refused.status_code == 400
    token = csrf_token(client, "/")
    accepted = client.post("/logout", headers={"HX-Request": "true", "X-CSRFToken": token})
    assert accepted.status_code == 302


def test_expired_session_sends_back_to_login_with_a_message(app, client, session):
    make_user(session, make_brand(session), email="cm@example.test")
    login(client, "cm@example.test")
    with client.session_transaction() as sess:
        sess["at"] = int(time.time()) - 13 * 3600
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert "Votre session a expiré" in client.get(response.headers["Location"]).get_data(
        as_text=True
    )


def test_password_change_ends_other_sessions(client, session, app):
    user = make_user(session, make_brand(session), email="cm@example.test")
    login(client, "cm@example.test")
    from app.services.users import set_password

    set_password(session=session, user=user, password="new-password", actor=None)
    session.commit()
    assert client.get("/").status_code == 302


def test_session_cookie_is_httponly_and_samesite(client, session):
    make_user(session, make_brand(session), email="cm@example.test")
    token = csrf_token(client)
    response = client.post(
        "/login", data={"email": "cm@example.test", "password": "pw-test", "csrf_token": token}
    )
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_open_redirect_is_ignored_after_login(client, session):
    make_user(session, make_brand(session), email="cm@example.test")
    token = csrf_token(client)
    response = client.post(
        "/login?next=https://evil.example/",
        data={"email": "cm@example.test", "password": "pw-test", "csrf_token": token},
    )
    assert response.headers["Location"] == "/"


def test_login_attempts_are_rate_limited(app, session):
    from app import create_app
    from app.extensions import limiter

    limited = create_app(
        {"TESTING": True, "RATELIMIT_ENABLED": True}, settings=app.config["VIGIE_SETTINGS"]
    )
    limited.extensions["vigie_engine"] = app.extensions["vigie_engine"]
    client = limited.test_client()
    make_user(session, make_brand(session), email="cm@example.test")
    try:
        statuses = [
            client.post(
                "/login",
                data={
                    "email": "cm@example.test",
                    "password": "bad",
                    "csrf_token": csrf_token(client),
                },
            ).status_code
            for _ in range(7)
        ]
        assert statuses[:5] == [401] * 5
        assert statuses[-1] == 429
        assert "Trop de tentatives" in client.post(
            "/login",
            data={
                "email": "cm@example.test",
                "password": "pw-test",
                "csrf_token": csrf_token(client),
            },
        ).get_data(as_text=True)
    finally:
        limiter.reset()


def test_language_switch_to_english(client, session):
    make_user(session, make_brand(session), email="cm@example.test")
    login(client, "cm@example.test")
    assert "Se déconnecter" in client.get("/").get_data(as_text=True)
    post(client, "/language", {"lang": "en", "next": "/"})
    assert "Log out" in client.get("/").get_data(as_text=True)
