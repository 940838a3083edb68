"""Admin pages: brands, users and memberships, connector accounts with write-only credentials."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from app.models import AuditEvent, Brand, ConnectorAccount, Membership, User
from app.security.secrets_box import SecretsBox
from app.services import users
from tests.conftest import TEST_ENCRYPTION_KEY, login, post
from tests.factories import PASSWORD, make_brand, make_user

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


def test_admin_invites_a_user_with_a_role(client, session, admin):
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


# --- Powers over accounts: users are global, an admin's power covers only their brands ---


def _can_log_in(app, email: str, password: str) -> bool:
    """Whether these credentials open a session (in a fresh browser)."""
    from tests.conftest import csrf_token

    other = app.test_client()
    token = csrf_token(other)
    response = other.post(
        "/login", data={"email": email, "password": password, "csrf_token": token}
    )
    return response.status_code == 302


@pytest.fixture
def shared_lead(session, admin):
    """The agency's lead of Acme and of another brand the admin does not administer."""
    _, acme = admin
    other = make_brand(session, slug="rail", name="Rail Secret")
    lead = make_user(session, acme, role="lead", email="lead@agency.test")
    users.grant(session=session, user=lead, brand=other, role="lead")
    session.commit()
    return lead, other


def test_an_admin_cannot_take_over_a_user_who_also_works_for_another_brand(
    app, client, session, admin, shared_lead
):
    lead, other = shared_lead
    version = lead.session_version
    page = client.get(f"/admin/users/{lead.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'data-testid="account-not-yours"' in html
    assert 'value="password"' not in html and 'value="deactivate"' not in html
    assert "Rail Secret" not in html  # nor which other brand
    response = post(client, f"/admin/users/{lead.id}", {"action": "password", "password": "pwned!"})
    assert response.status_code == 403
    assert "superadministrateur" in response.get_data(as_text=True)
    assert post(client, f"/admin/users/{lead.id}", {"action": "deactivate"}).status_code == 403
    session.expire_all()
    lead = session.get(User, lead.id)
    assert lead.is_active and lead.session_version == version
    assert not _can_log_in(app, "lead@agency.test", "pwned!")
    assert _can_log_in(app, "lead@agency.test", PASSWORD)
    # Roles on the admin's own brands stay the admin's to change.
    mine = session.exec(
        select(Membership).where(Membership.user_id == lead.id, Membership.brand_id != other.id)
    ).one()
    response = post(
        client, f"/admin/users/{lead.id}", {"action": "revoke", "membership_id": mine.id}
    )
    assert response.status_code == 302
    assert users.brand_ids_of(session=session, user=lead) == {other.id}
    # With no role left on the admin's brands, the account is no longer theirs to see.
    assert client.get(f"/admin/users/{lead.id}").status_code == 404
    assert "lead@agency.test" not in client.get("/admin/users").get_data(as_text=True)


def test_the_admin_of_all_a_users_brands_resets_their_password_audited(
    app, client, session, admin, shared_lead
):
    user, _ = admin
    lead, other = shared_lead
    users.grant(session=session, user=user, brand=other, role="admin")
    session.commit()
    response = post(
        client, f"/admin/users/{lead.id}", {"action": "password", "password": "n3w-passphrase-9"}
    )
    assert response.status_code == 302
    assert _can_log_in(app, "lead@agency.test", "n3w-passphrase-9")
    event = session.exec(
        select(AuditEvent).where(AuditEvent.action == "user.password_changed")
    ).one()
    assert event.actor_id == user.id and event.target_id == lead.id
    assert post(client, f"/admin/users/{lead.id}", {"action": "deactivate"}).status_code == 302
    session.expire_all()
    assert not session.get(User, lead.id).is_active
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "user.deactivated")).one()


def test_users_without_a_role_and_superadmins_are_only_a_superadmins(app, client, session, admin):
    _, acme = admin
    loose = make_user(session, None, email="loose@example.test")
    boss = make_user(session, acme, role="community_manager", email="boss@example.test")
    users.set_superadmin(session=session, user=boss, on=True)
    session.commit()
    assert "loose@example.test" not in client.get("/admin/users").get_data(as_text=True)
    assert client.get(f"/admin/users/{loose.id}").status_code == 404
    # A superadmin holding a role on the admin's brand only is still not the admin's to reset.
    response = post(
        client, f"/admin/users/{boss.id}", {"action": "password", "password": "x-x-x-x-x-x-9"}
    )
    assert response.status_code == 403
    assert _can_log_in(app, "boss@example.test", PASSWORD)
    # The superadmin sees and manages everyone, on every brand, with no admin role anywhere.
    other = make_brand(session, slug="far", name="Far Away")
    client = app.test_client()
    login(client, "boss@example.test")
    listing = client.get("/admin/users").get_data(as_text=True)
    assert "loose@example.test" in listing and "admin@example.test" in listing
    assert client.get(f"/admin/brands/{other.id}").status_code == 200
    response = post(
        client, f"/admin/users/{loose.id}", {"action": "password", "password": "n3w-passphrase-9"}
    )
    assert response.status_code == 302
    assert _can_log_in(app, "loose@example.test", "n3w-passphrase-9")


def test_an_admin_cannot_grant_themself_brand_owner(client, session, admin):
    user, acme = admin
    response = post(
        client,
        f"/admin/users/{user.id}",
        {"action": "grant", "brand_id": acme.id, "role": "brand_owner"},
    )
    assert response.status_code == 422
    assert "responsable de la marque" in response.get_data(as_text=True)
    assert users.brand_ids_of(session=session, user=user) == {acme.id}
    roles = session.exec(select(Membership.role).where(Membership.user_id == user.id)).all()
    assert roles == ["admin"]
    # Nor through the new-user form with their own address.
    response = post(
        client,
        "/admin/users/new",
        {
            "email": "admin@example.test",
            "password": "whatever",
            "brand_id": acme.id,
            "role": "brand_owner",
        },
    )
    assert response.status_code == 422
    # Granting it to the brand's own people stays possible.
    client_person = make_user(session, acme, role="community_manager")
    response = post(
        client,
        f"/admin/users/{client_person.id}",
        {"action": "grant", "brand_id": acme.id, "role": "brand_owner"},
    )
    assert response.status_code == 302


def test_a_superadmin_may_grant_themself_brand_owner(client, session, admin):
    user, acme = admin
    users.set_superadmin(session=session, user=user, on=True)
    session.commit()
    login(client, "admin@example.test")  # the power change ended the old session
    response = post(
        client,
        f"/admin/users/{user.id}",
        {"action": "grant", "brand_id": acme.id, "role": "brand_owner"},
    )
    assert response.status_code == 302


def test_adding_an_existing_address_reveals_nothing_of_other_brands(app, client, session, admin):
    _, acme = admin
    far = make_brand(session, slug="far", name="Marque Lointaine")
    stranger = make_user(session, far, role="brand_owner", email="someone@far.test")
    stranger.name = "Nom Secret"
    session.add(stranger)
    session.commit()
    response = post(
        client,
        "/admin/users/new",
        {
            "email": "Someone@far.test",
            "name": "Typed",
            "password": "attacker-pw",
            "brand_id": acme.id,
            "role": "community_manager",
        },
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "existe déjà" not in html and "Marque Lointaine" not in html
    assert "Nom Secret" not in html and "Invitation envoyée" in html
    # Nothing changes for the account until its owner accepts the invitation (see
    # test_invitations.py): no role yet, its own password kept.
    assert users.brand_ids_of(session=session, user=stranger) == {far.id}
    assert not _can_log_in(app, "someone@far.test", "attacker-pw")
    assert _can_log_in(app, "someone@far.test", PASSWORD)
    # The same answer for an account already on the admin's brand.
    make_user(session, acme, email="known@example.test")
    response = post(
        client,
        "/admin/users/new",
        {"email": "known@example.test", "password": "pw-pw", "brand_id": acme.id, "role": "lead"},
    )
    assert response.status_code == 302
