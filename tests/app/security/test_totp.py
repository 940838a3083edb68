"""Two-factor authentication: set-up with a QR code, the login's second step, recovery codes,
the per-brand requirement and the lead/admin default (outside demo mode)."""

from __future__ import annotations

import re
import threading
import time

import pyotp
import pytest
from sqlmodel import select

from app.config import Settings
from app.models import AuditEvent, Brand, RecoveryCode, User
from app.security.secrets_box import SecretsBox
from tests.conftest import TEST_ENCRYPTION_KEY, csrf_token, login, post
from tests.factories import make_brand, make_user

pytestmark = pytest.mark.db


def _post(client, path: str, data: dict):
    """POST with a CSRF token from the set-up page (reachable even before set-up)."""
    return client.post(path, data={**data, "csrf_token": csrf_token(client, "/account/2fa")})


def _enrol(client) -> tuple[str, list[str]]:
    """Set up two-factor through the pages; returns the seed and the recovery codes shown."""
    page = client.get("/account/2fa").get_data(as_text=True)
    assert "<svg" in page and "<script>" not in page  # the QR code is inline SVG, no script
    seed = re.search(r'data-testid="totp-seed">([A-Z2-7]+)<', page).group(1)
    shown = _post(client, "/account/2fa", {"action": "confirm", "code": pyotp.TOTP(seed).now()})
    assert shown.status_code == 200
    codes = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", shown.get_data(as_text=True))
    assert len(codes) == 10
    return seed, codes


def _password_step(client, email: str, password: str = "pw-test"):
    return client.post(
        "/login", data={"email": email, "password": password, "csrf_token": csrf_token(client)}
    )


def _code_step(client, code: str):
    token = csrf_token(client, "/login/2fa")
    return client.post("/login/2fa", data={"code": code, "csrf_token": token})


def _next_code(seed: str) -> str:
    """A valid code of a later 30-second step than the one just used (no waiting)."""
    return pyotp.TOTP(seed).at(time.time() + 30)


def test_enrolment_then_login_asks_for_the_code(app, client, session):
    user = make_user(session, make_brand(session), email="cm@example.test")
    login(client, "cm@example.test")
    seed, codes = _enrol(client)

    # At rest: the seed is sealed (not in clear), recovery codes are hashes.
    session.expire_all()
    stored = session.get(User, user.id)
    assert seed not in (stored.totp_secret_sealed or "")
    assert SecretsBox(TEST_ENCRYPTION_KEY).open(stored.totp_secret_sealed)["totp"] == seed
    hashes = session.exec(select(RecoveryCode.code_hash)).all()
    assert len(hashes) == 10 and not any(c.replace("-", "") in hashes for c in codes)

    fresh = app.test_client()
    response = _password_step(fresh, "cm@example.test")
    assert response.headers["Location"].endswith("/login/2fa")
    assert fresh.get("/queue").status_code == 302  # no session before the code
    assert _code_step(fresh, "000000").status_code == 401
    assert _code_step(fresh, _next_code(seed)).status_code == 302
    assert fresh.get("/queue").status_code == 200


def test_a_code_cannot_be_replayed(app, client, session):
    make_user(session, make_brand(session), email="cm@example.test")
    login(client, "cm@example.test")
    seed, _codes = _enrol(client)
    code = _next_code(seed)
    first, second = app.test_client(), app.test_client()
    _password_step(first, "cm@example.test")
    _password_step(second, "cm@example.test")
    assert _code_step(first, code).status_code == 302
    assert _code_step(second, code).status_code == 401


def test_recovery_code_works_once(app, client, session):
    make_user(session, make_brand(session), email="cm@example.test")
    login(client, "cm@example.test")
    _seed, codes = _enrol(client)
    one = app.test_client()
    _password_step(one, "cm@example.test")
    response = _code_step(one, codes[0].upper().replace("-", " "))
    assert response.status_code == 302
    assert "Il vous en reste 9" in one.get(
        response.headers["Location"], follow_redirects=True
    ).get_data(as_text=True)
    again = app.test_client()
    _password_step(again, "cm@example.test")
    assert _code_step(again, codes[0]).status_code == 401
    actions = set(session.exec(select(AuditEvent.action)).all())
    assert {"user.2fa_enabled", "user.recovery_code_used", "auth.2fa_failed"} <= actions


def test_one_recovery_code_used_twice_at_once_opens_one_session(app, client, session):
    make_user(session, make_brand(session), email="cm@example.test")
    login(client, "cm@example.test")
    _seed, codes = _enrol(client)
    clients = [app.test_client() for _ in range(4)]
    for c in clients:
        _password_step(c, "cm@example.test")
    tokens = [csrf_token(c, "/login/2fa") for c in clients]
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []

    def use(c, token: str) -> None:
        barrier.wait()
        statuses.append(
            c.post("/login/2fa", data={"code": codes[1], "csrf_token": token}).status_code
        )

    threads = [
        threading.Thread(target=use, args=pair) for pair in zip(clients, tokens, strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [302, 401, 401, 401]


def test_five_wrong_codes_send_back_to_the_password(app, client, session):
    make_user(session, make_brand(session), email="cm@example.test")
    login(client, "cm@example.test")
    _enrol(client)
    other = app.test_client()
    _password_step(other, "cm@example.test")
    statuses = [_code_step(other, "123456").status_code for _ in range(5)]
    assert statuses == [401] * 4 + [302]
    assert other.get("/login/2fa").headers["Location"].endswith("/login")


def test_second_step_without_password_step_goes_to_login(client):
    assert client.get("/login/2fa").headers["Location"].endswith("/login")


def test_disable_and_regenerate_need_a_current_code(client, session):
    make_user(session, make_brand(session), email="cm@example.test")
    login(client, "cm@example.test")
    seed, codes = _enrol(client)
    refused = post(client, "/account/2fa", {"action": "disable", "code": "111111"})
    assert refused.status_code == 422
    renewed = post(client, "/account/2fa", {"action": "regenerate", "code": codes[2]})
    new_codes = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", renewed.get_data(as_text=True))
    assert len(new_codes) == 10 and not set(new_codes) & set(codes)
    off = post(client, "/account/2fa", {"action": "disable", "code": _next_code(seed)})
    assert off.status_code == 302
    assert "Désactivée" in client.get("/account").get_data(as_text=True)
    assert session.exec(select(RecoveryCode)).all() == []


def test_admin_requires_two_factor_for_a_brand(app, client, session):
    brand = make_brand(session)
    make_user(session, brand, role="admin", email="admin@example.test")
    make_user(session, brand, email="cm@example.test")
    login(client, "admin@example.test")
    assert "Exiger la double authentification" in client.get(f"/admin/brands/{brand.id}").get_data(
        as_text=True
    )
    assert (
        post(client, f"/admin/brands/{brand.id}/two-factor", {"require_2fa": "1"}).status_code
        == 302
    )
    session.expire_all()
    assert session.get(Brand, brand.id).settings["require_2fa"] is True

    cm = app.test_client()
    login(cm, "cm@example.test")
    # Every page now leads to the set-up until it is done; htmx requests are redirected too.
    assert cm.get("/queue").headers["Location"].endswith("/account/2fa")
    htmx = cm.get("/queue", headers={"HX-Request": "true"})
    assert htmx.status_code == 401 and htmx.headers["HX-Redirect"].endswith("/account/2fa")
    assert "exige la double authentification" in cm.get("/account/2fa").get_data(as_text=True)
    seed, _codes = _enrol(cm)
    assert cm.get("/queue").status_code == 200
    # Required: it cannot be turned off.
    refused = _post(cm, "/account/2fa", {"action": "disable", "code": _next_code(seed)})
    assert refused.status_code == 422
    assert "obligatoire" in refused.get_data(as_text=True)


def test_an_admin_of_another_brand_cannot_change_the_setting(client, session):
    mine, theirs = make_brand(session), make_brand(session)
    make_user(session, mine, role="admin", email="admin@example.test")
    login(client, "admin@example.test")
    assert (
        post(client, f"/admin/brands/{theirs.id}/two-factor", {"require_2fa": "1"}).status_code
        == 404
    )
    session.expire_all()
    assert not session.get(Brand, theirs.id).settings.get("require_2fa")


def test_leads_and_admins_need_two_factor_by_default(app, client, session):
    assert Settings.from_env(
        {"VIGIE_SECRET_KEY": "x", "VIGIE_ENCRYPTION_KEY": TEST_ENCRYPTION_KEY}
    ).two_factor_roles == ("admin", "lead")
    app.config["VIGIE_2FA_ROLES"] = ("admin", "lead")
    brand = make_brand(session)
    make_user(session, brand, role="lead", email="lead@example.test")
    make_user(session, brand, email="cm@example.test")
    login(client, "lead@example.test")
    assert client.get("/queue").headers["Location"].endswith("/account/2fa")
    cm = app.test_client()
    login(cm, "cm@example.test")
    assert cm.get("/queue").status_code == 200


def test_demo_mode_needs_no_two_factor(app, client, session):
    app.config["VIGIE_2FA_ROLES"] = ("admin", "lead")
    app.config["VIGIE_DEMO"] = True
    make_user(session, make_brand(session), role="admin", email="admin@example.test")
    login(client, "admin@example.test")
    assert client.get("/queue").status_code == 200


def test_the_setup_page_keeps_the_strict_csp(client, session):
    make_user(session, make_brand(session), email="cm@example.test")
    login(client, "cm@example.test")
    response = client.get("/account/2fa")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "otpauth" not in response.get_data(as_text=True)  # the URI is only in the QR code


def test_second_step_attempts_are_limited_per_account_across_addresses(app, client, session):
    from app import create_app
    from app.extensions import limiter

    make_user(session, make_brand(session), email="cm@example.test")
    login(client, "cm@example.test")
    _enrol(client)
    limited = create_app(
        {"TESTING": True, "RATELIMIT_ENABLED": True}, settings=app.config["VIGIE_SETTINGS"]
    )
    limited.extensions["vigie_engine"] = app.extensions["vigie_engine"]
    statuses: list[int] = []
    try:
        # An attacker who knows the password, from 8 addresses, 4 guesses each (never the 5th
        # that would end the pending login): the account's budget of 30 per hour still holds.
        for n in range(8):
            attacker = limited.test_client()
            attacker.environ_base["REMOTE_ADDR"] = f"203.0.113.{n + 1}"
            assert _password_step(attacker, "cm@example.test").status_code == 302
            statuses += [_code_step(attacker, "000000").status_code for _ in range(4)]
    finally:
        limiter.reset()
    assert statuses[:30] == [401] * 30
    assert set(statuses[30:]) == {429}
