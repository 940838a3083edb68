"""Brand isolation: every URL rule, as every role of one brand, with ids from another brand."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from app.models import ROLES, Membership, User
from tests.conftest import csrf_token, login, post
from tests.factories import make_brand, make_user
from tests.isolation_fixtures import foreign_records, shared_users

pytestmark = pytest.mark.db

MARKER = "ZZFOREIGNBRAND"
# Reachable without a brand: the login flow, health checks, static files, token-authenticated API.
PUBLIC_ENDPOINTS = {
    "static",
    "auth.login",
    "auth.logout",
    "auth.language",
    "home.healthz",
    # Password reset and the login's second step: no brand, no session yet.
    "account.login_two_factor",
    "account.forgot_password",
    "account.reset_password",
    # Single sign-on: the login flow, no brand and no session yet (tests/app/views/test_sso.py).
    "sso.start",
    "sso.callback",
    # An invitation link: the signed token is the credential, no brand of the visitor's.
    "invitations.accept",
}
# Logging out everywhere acts on oneself only, and would end the sweep's own session.
PUBLIC_ENDPOINTS |= {"account.logout_everywhere"}
PUBLIC_PREFIXES = ("api.", "meta_webhook.")


def _fill(rule, ids: dict[str, int]) -> str:
    path = rule.rule
    for arg in rule.arguments:
        if arg not in ids:
            pytest.fail(
                f"{rule.endpoint}: no foreign record for <{arg}> — add it to "
                "tests/isolation_fixtures.py"
            )
        path = re.sub(r"<(?:[a-z]+:)?" + arg + ">", str(ids[arg]), path)
    return path


@pytest.mark.parametrize("role", ROLES)
def test_no_route_leaks_another_brands_data(app, client, session, role):
    mine = make_brand(session, slug="mine", name="Ma marque")
    make_user(session, mine, role=role, email=f"{role}@example.test")
    foreign = make_brand(session, slug="foreign", name=f"Marque {MARKER}")
    ids = foreign_records(session, foreign, MARKER)
    memberships_before = len(
        session.exec(select(Membership).where(Membership.brand_id == foreign.id)).all()
    )
    login(client, f"{role}@example.test")
    token = csrf_token(client, "/")
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS or rule.endpoint.startswith(PUBLIC_PREFIXES):
            continue
        path = _fill(rule, ids)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            data = {"csrf_token": token, "action": "grant", "brand_id": ids["brand_id"]}
            response = client.open(path, method=method, data=data if method != "GET" else None)
            body = response.get_data(as_text=True)
            assert MARKER not in body, f"{method} {path} as {role} leaked foreign data"
            if rule.arguments:
                assert response.status_code in (403, 404), (
                    f"{method} {path} as {role}: {response.status_code}"
                )
            checked += 1
    assert checked > 10
    # Nothing of the foreign brand was changed by the attempts.
    assert (
        len(session.exec(select(Membership).where(Membership.brand_id == foreign.id)).all())
        == memberships_before
    )


def test_admin_pages_with_users_shared_across_brands(app, client, session):
    """An admin of one brand sees shared users' roles on their brand only and cannot take them."""
    mine = make_brand(session, slug="mine", name="Ma marque")
    make_user(session, mine, role="admin", email="admin@example.test")
    foreign = make_brand(session, slug="foreign", name=f"Marque {MARKER}")
    ids = foreign_records(session, foreign, MARKER)
    shared = shared_users(session, mine, foreign, MARKER)
    accounts = {
        u.id: (u.password_hash, u.session_version, u.is_active)
        for u in session.exec(select(User)).all()
    }
    foreign_roles = sorted(
        session.exec(
            select(Membership.user_id, Membership.role).where(Membership.brand_id == foreign.id)
        ).all()
    )
    login(client, "admin@example.test")
    listing = client.get("/admin/users").get_data(as_text=True)
    assert MARKER not in listing and "Responsable marque" not in listing
    assert "shared-lead@agency.test" in listing and "cm-owner@x.test" in listing
    assert f"owner-{MARKER.lower()}@x.test" not in listing  # the foreign brand's own user
    for user_id in (shared["shared"], shared["shared_cm"]):
        page = client.get(f"/admin/users/{user_id}").get_data(as_text=True)
        assert MARKER not in page and 'data-testid="account-not-yours"' in page
        for action in ("password", "deactivate", "activate", "reset_2fa"):
            response = post(
                client, f"/admin/users/{user_id}", {"action": action, "password": "pwned-pw"}
            )
            assert response.status_code == 403, (action, response.status_code)
            assert MARKER not in response.get_data(as_text=True)
        response = post(
            client,
            f"/admin/users/{user_id}",
            {"action": "revoke", "membership_id": shared["foreign_membership"]},
        )
        assert response.status_code == 404
        response = post(
            client,
            f"/admin/users/{user_id}",
            {"action": "grant", "brand_id": foreign.id, "role": "admin"},
        )
        assert response.status_code == 422 and MARKER not in response.get_data(as_text=True)
    # The foreign brand's own users: not found, whatever the method.
    for action in ("password", "deactivate", "grant"):
        response = post(
            client,
            f"/admin/users/{ids['user_id']}",
            {"action": action, "password": "pwned-pw", "brand_id": mine.id, "role": "lead"},
        )
        assert response.status_code == 404
    # Typing a foreign user's address reveals nothing and changes nothing of their account.
    response = post(
        client,
        "/admin/users/new",
        {
            "email": f"owner-{MARKER.lower()}@x.test",
            "password": "pwned-pw",
            "brand_id": mine.id,
            "role": "community_manager",
        },
        follow_redirects=True,
    )
    assert response.status_code == 200 and MARKER not in response.get_data(as_text=True)
    session.expire_all()
    assert {
        u.id: (u.password_hash, u.session_version, u.is_active)
        for u in session.exec(select(User)).all()
    } == accounts
    assert (
        sorted(
            session.exec(
                select(Membership.user_id, Membership.role).where(Membership.brand_id == foreign.id)
            ).all()
        )
        == foreign_roles
    )
