"""Invitations by e-mail (issue 12, finding 12): the admin gets the same answer whether the
address has an account or not, the person accepts through a signed single-use link."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlmodel import select

from app.models import AuditEvent, Invitation, Membership, OutgoingMessage, User
from app.services import invitations, users
from tests.app.smtp_inbox import body, link
from tests.conftest import csrf_token, login, post
from tests.factories import PASSWORD, make_brand, make_user

pytestmark = pytest.mark.db
NEW_PASSWORD = "vélo rouge sur le quai"


@pytest.fixture
def admin(client, session):
    brand = make_brand(session, slug="acme", name="Acme")
    user = make_user(session, brand, role="admin", email="admin@example.test")
    login(client, "admin@example.test")
    return user, brand


def _invite(client, brand, email: str, role: str = "community_manager"):
    return post(
        client,
        "/admin/users/new",
        {"email": email, "brand_id": brand.id, "role": role},
        follow_redirects=True,
    )


def _flash(response) -> str:
    return re.search(r'class="flash[^"]*">([^<]+)<', response.get_data(as_text=True)).group(1)


def _roles(session, user_id: int, brand_id: int) -> list[str]:
    session.expire_all()
    return list(
        session.exec(
            select(Membership.role).where(
                Membership.user_id == user_id, Membership.brand_id == brand_id
            )
        ).all()
    )


def test_the_admin_cannot_tell_whether_an_address_has_an_account(client, session, admin, smtp):
    _, acme = admin
    far = make_brand(session, slug="far", name="Marque Lointaine")
    stranger = make_user(session, far, role="brand_owner", email="someone@far.test")
    known = _invite(client, acme, "Someone@far.test")
    unknown = _invite(client, acme, "nobody@example.test")
    assert known.status_code == unknown.status_code == 200
    assert _flash(known).replace("someone@far.test", "X") == _flash(unknown).replace(
        "nobody@example.test", "X"
    )
    assert "Invitation envoyée" in _flash(known)
    for response in (known, unknown):
        html = response.get_data(as_text=True)
        assert "existe déjà" not in html and "Marque Lointaine" not in html
    # The pending list shows both the same way; no role is given before acceptance.
    listing = client.get("/admin/users").get_data(as_text=True)
    assert "someone@far.test" in listing and "nobody@example.test" in listing
    assert _roles(session, stranger.id, acme.id) == []
    # Each address got its mail; neither went to the brand's stored outbox an admin can read.
    assert sorted(m["To"] for m in smtp.messages) == ["nobody@example.test", "someone@far.test"]
    assert session.exec(select(OutgoingMessage)).all() == []
    actions = session.exec(select(AuditEvent.action)).all()
    assert actions.count("invitation.sent") == 2


def test_a_new_person_sets_a_password_through_the_link_once(app, client, session, admin, smtp):
    _, acme = admin
    _invite(client, acme, "new@example.test", role="lead")
    path = link(smtp.messages[0], "/invitations/")
    assert "choisir votre mot de passe" in body(smtp.messages[0])
    visitor = app.test_client()
    page = visitor.get(path)
    assert page.status_code == 200 and "Créer mon compte" in page.get_data(as_text=True)
    token = csrf_token(visitor, path)
    weak = visitor.post(path, data={"password": "1234", "confirm": "1234", "csrf_token": token})
    assert weak.status_code == 422
    response = visitor.post(
        path,
        data={
            "name": "Nouvelle",
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
            "csrf_token": token,
        },
    )
    assert response.status_code == 302
    user = users.find_by_email(session=session, email="new@example.test")
    assert user is not None and _roles(session, user.id, acme.id) == ["lead"]
    login(visitor, "new@example.test", NEW_PASSWORD)
    # Single use: the link is dead now.
    assert app.test_client().get(path).status_code == 410
    invitation = session.exec(select(Invitation)).one()
    assert invitation.status == "accepted" and invitation.accepted_by_id == user.id
    assert {"invitation.accepted", "membership.granted"} <= set(
        session.exec(select(AuditEvent.action)).all()
    )


def test_an_existing_user_accepts_while_logged_in(app, client, session, admin, smtp):
    _, acme = admin
    far = make_brand(session, slug="far", name="Lointaine")
    other = make_user(session, far, role="lead", email="lead@far.test")
    _invite(client, acme, "lead@far.test", role="community_manager")
    message = smtp.messages[0]
    assert "connectez-vous avec votre compte" in body(message)
    path = link(message, "/invitations/")
    person = app.test_client()
    page = person.get(path).get_data(as_text=True)
    assert "Se connecter" in page and "Créer mon compte" not in page
    # Someone else's session cannot accept it, nor set a password on the account.
    attacker = app.test_client()
    login(attacker, "admin@example.test")
    response = attacker.post(
        path,
        data={
            "password": "pwned pwned pwned",
            "confirm": "pwned pwned pwned",
            "csrf_token": csrf_token(attacker, path),
        },
    )
    assert response.status_code == 422
    assert _roles(session, other.id, acme.id) == []
    login(person, "lead@far.test", PASSWORD)
    response = person.post(path, data={"csrf_token": csrf_token(person, path)})
    assert response.status_code == 302
    assert _roles(session, other.id, acme.id) == ["community_manager"]
    session.expire_all()
    assert users.authenticate(session=session, email="lead@far.test", password=PASSWORD)


def test_resend_voids_the_old_link_and_revoke_voids_all(app, client, session, admin, smtp):
    _, acme = admin
    _invite(client, acme, "new@example.test")
    first = link(smtp.messages[0], "/invitations/")
    invitation = session.exec(select(Invitation)).one()
    assert post(client, f"/admin/invitations/{invitation.id}/resend").status_code == 302
    second = link(smtp.messages[1], "/invitations/")
    visitor = app.test_client()
    assert visitor.get(first).status_code == 410
    assert visitor.get(second).status_code == 200
    # Inviting the same address and role again resends rather than doubles.
    _invite(client, acme, "new@example.test")
    assert len(session.exec(select(Invitation)).all()) == 1
    third = link(smtp.messages[2], "/invitations/")
    assert visitor.get(second).status_code == 410
    assert post(client, f"/admin/invitations/{invitation.id}/revoke").status_code == 302
    assert visitor.get(third).status_code == 410
    assert "Aucune invitation en attente" in client.get("/admin/users").get_data(as_text=True)
    again = post(client, f"/admin/invitations/{invitation.id}/revoke")
    assert again.status_code == 409 and "plus en attente" in again.get_data(as_text=True)
    actions = set(session.exec(select(AuditEvent.action)).all())
    assert {"invitation.sent", "invitation.resent", "invitation.revoked"} <= actions


def test_an_invitation_expires_after_seven_days(app, client, session, admin, smtp):
    _, acme = admin
    _invite(client, acme, "late@example.test")
    path = link(smtp.messages[0], "/invitations/")
    invitation = session.exec(select(Invitation)).one()
    invitation.expires_at = invitation.expires_at - timedelta(days=invitations.INVITATION_DAYS)
    session.add(invitation)
    session.commit()
    assert app.test_client().get(path).status_code == 410
    assert "expirée" in client.get("/admin/users").get_data(as_text=True)


def test_another_brands_admin_cannot_touch_an_invitation(client, session, admin, smtp):
    admin  # noqa: B018  # logged in as the admin of Acme
    far = make_brand(session, slug="far", name="Lointaine")
    far_admin = make_user(session, far, role="admin", email="far-admin@example.test")
    invitation = invitations.invite(
        session=session,
        brand=far,
        email="x@example.test",
        role="lead",
        actor=far_admin,
        secret_key="k",
        public_url="http://localhost",
        mailer=invitations_sink(),
    )
    session.commit()
    assert "x@example.test" not in client.get("/admin/users").get_data(as_text=True)
    for action in ("resend", "revoke"):
        assert post(client, f"/admin/invitations/{invitation.id}/{action}").status_code == 404
    session.expire_all()
    assert session.get(Invitation, invitation.id).status == "pending"


def test_an_admin_cannot_invite_themself_as_brand_owner(client, session, admin, smtp):
    _, acme = admin
    response = _invite(client, acme, "admin@example.test", role="brand_owner")
    assert response.status_code == 422
    assert smtp.messages == []


def test_bad_addresses_are_refused(client, session, admin, smtp):
    _, acme = admin
    for email in ("pas-une-adresse", "a b@example.test", "x" * 300 + "@example.test"):
        assert _invite(client, acme, email).status_code == 422
    assert session.exec(select(Invitation)).all() == []


def test_a_link_cannot_be_used_twice_at_once(app, session, smtp):
    brand = make_brand(session, slug="acme", name="Acme")
    actor = make_user(session, brand, role="admin", email="admin@example.test")
    invitation = invitations.invite(
        session=session,
        brand=brand,
        email="twice@example.test",
        role="lead",
        actor=actor,
        secret_key="k",
        public_url="http://localhost",
        mailer=invitations_sink(),
    )
    session.commit()
    invitations.accept_new(session=session, invitation=invitation, name="", password=NEW_PASSWORD)
    session.commit()
    stale = Invitation(**{**invitation.model_dump(), "status": "pending"})
    with pytest.raises(invitations.InvitationError):
        invitations.accept_new(session=session, invitation=stale, name="", password=NEW_PASSWORD)
    session.rollback()
    assert len(session.exec(select(User).where(User.email == "twice@example.test")).all()) == 1


def invitations_sink():
    from app.notify.mail import SinkMailer

    return SinkMailer()
