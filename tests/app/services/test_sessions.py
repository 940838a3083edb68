"""Server-side sessions: logout really ends them, and "Se déconnecter partout" from Mon compte."""

from __future__ import annotations

import pytest
from sqlmodel import select

from app.models import AuditEvent, User
from tests.conftest import csrf_token, login, post
from tests.factories import make_brand, make_user

pytestmark = pytest.mark.db


def _cookie(client) -> str:
    return client.get_cookie("vigie_session").value


def _replay(app, cookie: str):
    """Another browser holding a copy of a cookie (a saved HAR, a stolen cookie jar)."""
    other = app.test_client()
    other.set_cookie("vigie_session", cookie)
    return other


def test_a_cookie_saved_before_logout_no_longer_opens_the_queue(app, client, session):
    make_user(session, make_brand(session), email="cm@example.test")
    login(client, "cm@example.test")
    assert client.get("/queue").status_code == 200
    saved = _cookie(client)
    assert post(client, "/logout").status_code == 302

    replayed = _replay(app, saved).get("/queue")
    assert replayed.status_code == 302 and "/login" in replayed.headers["Location"]


def test_logging_out_one_browser_keeps_the_other_signed_in(app, session):
    make_user(session, make_brand(session), email="cm@example.test")
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, "cm@example.test")
    login(phone, "cm@example.test")
    post(laptop, "/logout")
    assert laptop.get("/queue").status_code == 302
    assert phone.get("/queue").status_code == 200


def test_account_page_lists_the_open_sessions(app, session):
    make_user(session, make_brand(session), email="cm@example.test")
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, "cm@example.test")
    phone.environ_base["HTTP_USER_AGENT"] = "Firefox sur Android"
    login(phone, "cm@example.test")
    assert 'href="/account"' in laptop.get("/queue").get_data(as_text=True)
    page = laptop.get("/account").get_data(as_text=True)
    assert "Mon compte" in page and "Sessions ouvertes" in page
    assert "Firefox sur Android" in page and "cet appareil" in page
    assert "Se déconnecter partout" in page


def test_logout_everywhere_ends_every_session_and_is_audited(app, session):
    user = make_user(session, make_brand(session), email="cm@example.test")
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, "cm@example.test")
    login(phone, "cm@example.test")
    saved = _cookie(phone)

    response = laptop.post(
        "/account/logout-everywhere", data={"csrf_token": csrf_token(laptop, "/account")}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    assert "Vous êtes déconnecté partout (2 session(s) fermée(s))." in laptop.get(
        "/login"
    ).get_data(as_text=True)
    assert laptop.get("/queue").status_code == 302
    assert phone.get("/queue").status_code == 302
    assert _replay(app, saved).get("/queue").status_code == 302
    event = session.exec(
        select(AuditEvent).where(AuditEvent.action == "auth.logout_everywhere")
    ).one()
    assert event.target_id == user.id and event.actor_id == user.id
    # Logging in again works and opens a fresh session.
    login(phone, "cm@example.test")
    assert phone.get("/queue").status_code == 200


def test_logout_everywhere_needs_the_csrf_token(app, client, session):
    make_user(session, make_brand(session), email="cm@example.test")
    login(client, "cm@example.test")
    assert client.post("/account/logout-everywhere").status_code == 400
    assert client.get("/queue").status_code == 200


def test_disconnecting_another_device_from_the_account_page(app, session):
    make_user(session, make_brand(session), email="cm@example.test")
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, "cm@example.test")
    phone.environ_base["HTTP_USER_AGENT"] = "Téléphone perdu"
    login(phone, "cm@example.test")
    from app.models import UserSession

    lost = session.exec(
        select(UserSession).where(UserSession.user_agent == "Téléphone perdu")
    ).one()
    token = csrf_token(laptop, "/account")
    response = laptop.post(f"/account/sessions/{lost.id}/revoke", data={"csrf_token": token})
    assert response.status_code == 302
    assert phone.get("/queue").status_code == 302
    assert laptop.get("/queue").status_code == 200
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "auth.session_revoked")).one()


def test_nobody_can_end_another_users_session(app, session):
    brand = make_brand(session)
    make_user(session, brand, email="cm@example.test")
    make_user(session, brand, email="other@example.test")
    victim, attacker = app.test_client(), app.test_client()
    login(victim, "cm@example.test")
    login(attacker, "other@example.test")
    from app.models import UserSession

    victim_id = session.exec(
        select(UserSession.id)
        .join(User, User.id == UserSession.user_id)
        .where(User.email == "cm@example.test")
    ).one()
    token = csrf_token(attacker, "/account")
    response = attacker.post(f"/account/sessions/{victim_id}/revoke", data={"csrf_token": token})
    assert response.status_code == 404
    assert victim.get("/queue").status_code == 200


def test_account_page_needs_a_login(client):
    response = client.get("/account")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
