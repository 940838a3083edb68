"""Admin pages: brands, users and memberships, connector accounts with write-only credentials."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from app.models import AuditEvent, Brand, ConnectorAccount, Membership
from app.security.secrets_box import SecretsBox
from tests.conftest import TEST_ENCRYPTION_KEY, login, post
from tests.factories import make_brand, make_user

pytestmark = pytest.mark.db


@pytest.fixture
def admin(client, session):
    brand = make_brand(session, slug="acme", name="Acme")
    user = make_user(session, brand, role="admin", email="admin@example.test")
    login(client, "admin@example.test")
    return user, brand


def test_admin_creates_a_brand_and_becomes_its_admin(client, session, admin):
    response = post(
        client,
        "/admin/brands/new",
        {
            "slug": "rail-nord",
            "name": "Rail Nord",
            "timezone": "Europe/Paris",
            "languages": "fr",
            "open_mon": "07:00",
            "close_mon": "21:00",
            "sla_S0": "240",
            "sla_S1": "60",
            "sla_S2": "60",
            "sla_S3": "45",
            "sla_S4": "10",
        },
    )
    assert response.status_code == 302
    brand = session.exec(select(Brand).where(Brand.slug == "rail-nord")).one()
    assert brand.business_hours == {"mon": ["07:00", "21:00"]}
    assert brand.sla_minutes["S3"] == 45
    roles = session.exec(select(Membership.role).where(Membership.brand_id == brand.id)).all()
    assert roles == ["admin"]
    assert "Rail Nord" in client.get("/admin/brands").get_data(as_text=True)


def test_invalid_brand_settings_name_the_field(client, admin):
    response = post(client, "/admin/brands/new", {"slug": "x", "name": "X", "sla_S1": "60"})
    assert response.status_code == 422
    assert "Identifiant" in response.get_data(as_text=True)
    response = post(
        client, "/admin/brands/new", {"slug": "ok-slug", "name": "Ok", "timezone": "Mars/Olympus"}
    )
    assert "Fuseau horaire inconnu" in response.get_data(as_text=True)


def test_brand_edit_is_audited_with_before_and_after(client, session, admin):
    _, brand = admin
    post(
        client,
        f"/admin/brands/{brand.id}",
        {
            "name": "Acme SA",
            "timezone": "Europe/Paris",
            "languages": "fr",
            "sla_S0": "240",
            "sla_S1": "30",
            "sla_S2": "60",
            "sla_S3": "60",
            "sla_S4": "15",
        },
    )
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "brand.updated")).one()
    assert event.before["name"] == "Acme" and event.after["name"] == "Acme SA"
    assert event.after["sla_minutes"]["S1"] == 30


def test_admin_creates_a_user_with_a_role(client, session, admin):
    _, brand = admin
    response = post(
        client,
        "/admin/users/new",
        {
            "email": "New@Example.test",
            "name": "New",
            "password": "secret-1",
            "brand_id": brand.id,
            "role": "lead",
        },
    )
    assert response.status_code == 302
    page = client.get("/admin/users").get_data(as_text=True)
    assert "new@example.test" in page and "Superviseur" in page


def test_connector_credentials_are_encrypted_and_never_shown_again(client, session, admin):
    _, brand = admin
    secret = "mastodon-token-SECRET-123"
    response = post(
        client,
        "/admin/accounts/new",
        {
            "brand_id": brand.id,
            "platform": "mastodon",
            "label": "Acme Masto",
            "base_url": "https://m.example",
            "interval_seconds": "60",
            "credentials": json.dumps({"access_token": secret}),
            "skip_verify": "1",
        },
    )
    assert response.status_code == 302
    account = session.exec(select(ConnectorAccount)).one()
    assert secret not in account.credentials_encrypted
    assert SecretsBox(TEST_ENCRYPTION_KEY).open(account.credentials_encrypted) == {
        "access_token": secret
    }
    for path in ("/admin/accounts", f"/admin/accounts/{account.id}"):
        assert secret not in client.get(path).get_data(as_text=True)
    audit = session.exec(select(AuditEvent).where(AuditEvent.action == "connector.created")).one()
    assert secret not in json.dumps(audit.after)


def test_incomplete_credentials_say_what_is_expected(client, admin):
    _, brand = admin
    response = post(
        client,
        "/admin/accounts/new",
        {"brand_id": brand.id, "platform": "bluesky", "credentials": '{"identifier": "a"}'},
    )
    assert response.status_code == 422
    assert "identifier, app_password" in response.get_data(as_text=True)


def test_webhook_token_is_shown_once(client, session, admin):
    _, brand = admin
    response = post(
        client,
        "/admin/accounts/new",
        {"brand_id": brand.id, "platform": "webhook", "label": "Formulaire web"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "ne sera plus jamais affiché" in html
    account = session.exec(select(ConnectorAccount)).one()
    import re

    token = re.search(r'id="webhook-token">([^<]+)<', html).group(1)
    assert token not in client.get(f"/admin/accounts/{account.id}").get_data(as_text=True)
    assert account.webhook_token_hash and token not in account.webhook_token_hash


def test_non_admins_cannot_reach_admin_pages(client, session):
    brand = make_brand(session)
    make_user(session, brand, role="community_manager", email="cm@example.test")
    login(client, "cm@example.test")
    assert client.get("/admin/brands").status_code == 403
    assert post(client, "/admin/brands/new", {"slug": "hack", "name": "Hack"}).status_code == 403


def test_a_foreign_brand_id_gets_a_clear_not_found(client, session, admin):
    other = make_brand(session, slug="other", name="Autre marque")
    response = client.get(f"/admin/brands/{other.id}")
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert "n&#39;existe pas ou vous n&#39;y avez pas accès" in body
    assert "Autre marque" not in body
