"""Brand isolation: every URL rule, as every role of one brand, with ids from another brand."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from app.models import ROLES, Membership
from tests.conftest import csrf_token, login
from tests.factories import make_brand, make_user
from tests.isolation_fixtures import foreign_records

pytestmark = pytest.mark.db

MARKER = "ZZFOREIGNBRAND"
# Reachable without a brand: the login flow, health checks, static files, token-authenticated API.
# Logging out (everywhere) acts on oneself only, and would end the sweep's own session.
PUBLIC_ENDPOINTS = {"static", "auth.login", "auth.logout", "auth.language", "home.healthz"}
PUBLIC_ENDPOINTS |= {"account.logout_everywhere"}
PUBLIC_PREFIXES = ("api.",)


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
