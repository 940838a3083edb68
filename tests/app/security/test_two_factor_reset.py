"""An admin clears a user's lost two-factor, under the password-reset rule (issue 12): the user
is told by e-mail, their sessions end and they enrol again at the next login."""

from __future__ import annotations

import pytest
from sqlmodel import select

from app.models import AuditEvent, Brand, RecoveryCode, User
from app.services import users
from tests.app.security.test_totp import _enrol, _password_step
from tests.app.smtp_inbox import body
from tests.conftest import login, post
from tests.factories import make_brand, make_user

pytestmark = pytest.mark.db


@pytest.fixture
def brand_requiring_2fa(session) -> Brand:
    brand = make_brand(session, slug="acme", name="Acme")
    brand.settings = {"require_2fa": True}
    session.add(brand)
    session.commit()
    return brand


def _enrolled(app, session, brand, email: str, device=None) -> User:
    user = make_user(session, brand, email=email)
    device = device or app.test_client()
    login(device, email)
    _enrol(device)
    session.expire_all()
    return session.get(User, user.id)


def test_an_admin_resets_a_lost_second_factor(app, client, session, brand_requiring_2fa, smtp):
    brand = brand_requiring_2fa
    old_device = app.test_client()
    user = _enrolled(app, session, brand, "cm@example.test", old_device)
    assert old_device.get("/queue").status_code == 200
    version = user.session_version
    make_user(session, brand, role="admin", email="admin@example.test")
    admin = app.test_client()
    login(admin, "admin@example.test")
    _enrol(admin)  # the brand requires it of the admin too
    page = admin.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert "Réinitialiser (appareil perdu)" in page

    response = post(admin, f"/admin/users/{user.id}", {"action": "reset_2fa"})
    assert response.status_code == 302
    session.expire_all()
    stored = session.get(User, user.id)
    assert stored.totp_enabled_at is None and stored.totp_secret_sealed is None
    assert session.exec(select(RecoveryCode).where(RecoveryCode.user_id == user.id)).all() == []
    assert stored.session_version == version + 1
    assert old_device.get("/queue").status_code == 302  # its sessions ended
    # Told by e-mail, who did it named.
    assert [m["To"] for m in smtp.messages] == ["cm@example.test"]
    assert "admin@example.test" in body(smtp.messages[0])
    event = session.exec(
        select(AuditEvent).where(AuditEvent.action == "user.2fa_reset_by_admin")
    ).one()
    assert event.target_id == user.id
    # Next login: the password alone opens a session that leads to the set-up (brand requires).
    fresh = app.test_client()
    assert _password_step(fresh, "cm@example.test").status_code == 302
    assert fresh.get("/queue").headers["Location"].endswith("/account/2fa")


def test_not_for_a_user_who_also_works_for_another_brand(app, client, session, smtp):
    mine = make_brand(session, slug="mine", name="Ma marque")
    other = make_brand(session, slug="other", name="Autre")
    user = _enrolled(app, session, mine, "lead@agency.test")
    users.grant(session=session, user=user, brand=other, role="lead")
    session.commit()
    make_user(session, mine, role="admin", email="admin@example.test")
    admin = app.test_client()
    login(admin, "admin@example.test")
    _enrol(admin)  # admins need two-factor outside demo mode
    page = admin.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert "Réinitialiser (appareil perdu)" not in page
    response = post(admin, f"/admin/users/{user.id}", {"action": "reset_2fa"})
    assert response.status_code == 403
    session.expire_all()
    assert session.get(User, user.id).totp_enabled_at is not None
    assert smtp.messages == []
    # A superadmin may.
    boss = make_user(session, None, email="boss@example.test")
    users.set_superadmin(session=session, user=boss, on=True)
    session.commit()
    superadmin = app.test_client()
    login(superadmin, "boss@example.test")
    _enrol(superadmin)
    assert post(superadmin, f"/admin/users/{user.id}", {"action": "reset_2fa"}).status_code == 302
    session.expire_all()
    assert session.get(User, user.id).totp_enabled_at is None


def test_nothing_to_reset_is_a_clear_refusal(app, client, session, smtp):
    brand = make_brand(session, slug="acme", name="Acme")
    user = make_user(session, brand, email="cm@example.test")
    make_user(session, brand, role="admin", email="admin@example.test")
    admin = app.test_client()
    login(admin, "admin@example.test")
    _enrol(admin)
    response = post(admin, f"/admin/users/{user.id}", {"action": "reset_2fa"})
    assert response.status_code == 422
    assert "pas de double authentification" in response.get_data(as_text=True)
    assert smtp.messages == []
