"""Invitations: an admin offers a role on their brand to an e-mail address.

The admin's outcome never depends on whether the address already has an account (finding 12):
the same "invitation sent" either way. The mail goes straight to the address (never into the
brand's stored outbox an admin can read), and the signed link decides when it is opened: a new
person chooses a password, an existing user logs in and accepts. The membership exists only
once accepted. Links are single-use (a conditional UPDATE on the pending row) and a resend
voids the earlier ones (the nonce in the token changes).
"""

from __future__ import annotations

import smtplib
from datetime import timedelta
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import update
from sqlmodel import Session, col, select

from app.models import ROLES, Brand, Invitation, User, utcnow
from app.notify.mail import Mail, Mailer
from app.security.passwords import hash_password, password_problem
from app.security.roles import ROLE_LABELS
from app.services import audit
from app.services.users import UserError, find_by_email, grant, normalise_email

INVITATION_DAYS = 7
_SALT = "vigie.invitation"


class InvitationError(ValueError):
    """The link no longer works, or the invitation cannot be made (message for the UI)."""


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=_SALT)


def make_token(invitation: Invitation, *, secret_key: str) -> str:
    """A signed link token for the invitation's current sending."""
    return _serializer(secret_key).dumps({"i": invitation.id, "n": invitation.nonce})


def is_expired(invitation: Invitation) -> bool:
    return invitation.expires_at <= utcnow()


def invitation_for_token(*, session: Session, token: str, secret_key: str) -> Invitation | None:
    """The pending, unexpired invitation a token opens, or None."""
    try:
        data: Any = _serializer(secret_key).loads(token, max_age=INVITATION_DAYS * 24 * 3600 + 3600)
    except BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    inv_id, nonce = data.get("i"), data.get("n")
    if not isinstance(inv_id, int) or not isinstance(nonce, int) or not 0 < inv_id < 2**31:
        return None
    invitation = session.get(Invitation, inv_id)
    if invitation is None or invitation.status != "pending" or invitation.nonce != nonce:
        return None
    if is_expired(invitation):
        return None
    return invitation


def _send(
    session: Session,
    invitation: Invitation,
    brand: Brand,
    *,
    secret_key: str,
    public_url: str,
    mailer: Mailer,
) -> str | None:
    """Mail the link; the text depends on the address having an account, which only its owner
    reads. Returns the transport error, if any (recorded in the audit, not shown)."""
    link = f"{public_url.rstrip('/')}/invitations/{make_token(invitation, secret_key=secret_key)}"
    existing = find_by_email(session=session, email=invitation.email)
    role = ROLE_LABELS.get(invitation.role, invitation.role)
    with force_locale(existing.locale if existing and existing.locale else "fr"):
        if existing is not None:
            body = _(
                "Bonjour,\n\nVous êtes invité à rejoindre la marque %(brand)s sur Vigie avec le "
                "rôle « %(role)s ». Pour accepter, connectez-vous avec votre compte habituel et "
                "ouvrez ce lien dans les %(days)s jours :\n\n%(link)s\n\nSi vous ne vous "
                "attendiez pas à cette invitation, ignorez ce message : rien ne change sans "
                "votre accord.\n",
                brand=brand.name,
                role=role,
                days=INVITATION_DAYS,
                link=link,
            )
        else:
            body = _(
                "Bonjour,\n\nVous êtes invité à rejoindre la marque %(brand)s sur Vigie avec le "
                "rôle « %(role)s ». Ouvrez ce lien dans les %(days)s jours pour choisir votre mot "
                "de passe :\n\n%(link)s\n\nLe lien ne sert qu'une fois. Si vous ne vous "
                "attendiez pas à cette invitation, ignorez ce message.\n",
                brand=brand.name,
                role=role,
                days=INVITATION_DAYS,
                link=link,
            )
        mail = Mail(
            to=invitation.email,
            subject=_("Vigie : invitation à rejoindre %(brand)s", brand=brand.name),
            body=body,
        )
    try:
        mailer.send(mail)
    except (OSError, smtplib.SMTPException) as exc:
        return f"{type(exc).__name__}: {exc}"[:500]
    return None


def invite(
    *,
    session: Session,
    brand: Brand,
    email: str,
    role: str,
    actor: User,
    secret_key: str,
    public_url: str,
    mailer: Mailer,
) -> Invitation:
    """Invite an address to a role on the brand; the same result whoever owns the address.

    A pending invitation for the same address and role is sent again (new link, new expiry)
    rather than doubled.
    """
    email = normalise_email(email)
    if "@" not in email or len(email) > 254 or any(c.isspace() for c in email):
        raise UserError(str(_l("Adresse e-mail invalide.")))
    if role not in ROLES:
        raise UserError(str(_l("Choisissez une marque et un rôle.")))
    if role == "brand_owner" and email == actor.email and not actor.is_superadmin:
        raise UserError(
            str(_l("Vous ne pouvez pas vous donner le rôle de responsable de la marque."))
        )
    invitation = session.exec(
        select(Invitation).where(
            Invitation.brand_id == brand.id,
            Invitation.email == email,
            Invitation.role == role,
            Invitation.status == "pending",
        )
    ).first()
    if invitation is not None:
        return resend(
            session=session,
            invitation=invitation,
            actor=actor,
            secret_key=secret_key,
            public_url=public_url,
            mailer=mailer,
        )
    invitation = Invitation(
        brand_id=brand.id,  # type: ignore[arg-type]
        email=email,
        role=role,
        invited_by_id=actor.id,
        expires_at=utcnow() + timedelta(days=INVITATION_DAYS),
    )
    _mail_and_record(
        session, invitation, brand, "invitation.sent", actor, secret_key, public_url, mailer
    )
    return invitation


def resend(
    *,
    session: Session,
    invitation: Invitation,
    actor: User,
    secret_key: str,
    public_url: str,
    mailer: Mailer,
) -> Invitation:
    """Send a pending invitation again with a new link and expiry; earlier links stop working."""
    if invitation.status != "pending":
        raise UserError(str(_l("Cette invitation n'est plus en attente.")))
    brand = session.get(Brand, invitation.brand_id)
    assert brand is not None
    invitation.nonce += 1
    invitation.sent_at = utcnow()
    invitation.expires_at = utcnow() + timedelta(days=INVITATION_DAYS)
    _mail_and_record(
        session, invitation, brand, "invitation.resent", actor, secret_key, public_url, mailer
    )
    return invitation


def _mail_and_record(
    session: Session,
    invitation: Invitation,
    brand: Brand,
    action: str,
    actor: User,
    secret_key: str,
    public_url: str,
    mailer: Mailer,
) -> None:
    """Store the invitation, mail its link and audit the sending (and a failed delivery)."""
    session.add(invitation)
    session.flush()
    error = _send(
        session, invitation, brand, secret_key=secret_key, public_url=public_url, mailer=mailer
    )
    audit.record(
        session=session,
        action=action,
        target_type="invitation",
        target_id=invitation.id,
        brand_id=invitation.brand_id,
        actor=actor,
        after={"email": invitation.email, "role": invitation.role},
        note=mailer.transport + (f" failed: {error}" if error else ""),
    )


def revoke(*, session: Session, invitation: Invitation, actor: User) -> None:
    """Withdraw a pending invitation: its link stops working."""
    if invitation.status != "pending":
        raise UserError(str(_l("Cette invitation n'est plus en attente.")))
    invitation.status = "revoked"
    session.add(invitation)
    audit.record(
        session=session,
        action="invitation.revoked",
        target_type="invitation",
        target_id=invitation.id,
        brand_id=invitation.brand_id,
        actor=actor,
        before={"email": invitation.email, "role": invitation.role},
    )


def pending_for(*, session: Session, brand_ids: list[int]) -> list[Invitation]:
    """Invitations still waiting (expired ones included, to resend or revoke), newest first."""
    return list(
        session.exec(
            select(Invitation)
            .where(col(Invitation.brand_id).in_(brand_ids), Invitation.status == "pending")
            .order_by(col(Invitation.sent_at).desc())
        ).all()
    )


def _claim(session: Session, invitation: Invitation, user_id: int | None) -> None:
    # Single use: only one opening of the link turns a pending invitation into accepted.
    changed = session.execute(
        update(Invitation)
        .where(
            col(Invitation.id) == invitation.id,
            col(Invitation.status) == "pending",
            col(Invitation.nonce) == invitation.nonce,
        )
        .values(status="accepted", accepted_at=utcnow(), accepted_by_id=user_id)
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        raise InvitationError(_("Ce lien n'est plus valable. Demandez une nouvelle invitation."))


def _join(session: Session, invitation: Invitation, user: User) -> None:
    brand = session.get(Brand, invitation.brand_id)
    assert brand is not None
    inviter = session.get(User, invitation.invited_by_id) if invitation.invited_by_id else None
    # The rules of the admin who invited apply (an admin cannot make themself brand owner).
    grant(session=session, user=user, brand=brand, role=invitation.role, actor=inviter)
    audit.record(
        session=session,
        action="invitation.accepted",
        target_type="invitation",
        target_id=invitation.id,
        brand_id=invitation.brand_id,
        actor=user,
        after={"email": invitation.email, "role": invitation.role},
    )


def accept_as(*, session: Session, invitation: Invitation, user: User) -> None:
    """An existing user, logged in with the invited address, accepts: the role becomes theirs."""
    if normalise_email(user.email) != invitation.email:
        raise InvitationError(
            _("Cette invitation est adressée à une autre adresse que celle de votre compte.")
        )
    _claim(session, invitation, user.id)
    _join(session, invitation, user)


def accept_new(*, session: Session, invitation: Invitation, name: str, password: str) -> User:
    """A person without an account chooses a password: the account and the role are created."""
    if find_by_email(session=session, email=invitation.email) is not None:
        raise InvitationError(
            _("Un compte existe pour cette adresse : connectez-vous pour accepter.")
        )
    problem = password_problem(password, invitation.email)
    if problem is not None:
        raise UserError(problem)
    _claim(session, invitation, None)
    user = User(
        email=invitation.email,
        name=name.strip()[:200] or invitation.email.split("@")[0],
        password_hash=hash_password(password),
    )
    session.add(user)
    session.flush()
    session.execute(
        update(Invitation).where(col(Invitation.id) == invitation.id).values(accepted_by_id=user.id)
    )
    audit.record(
        session=session,
        action="user.created",
        target_type="user",
        target_id=user.id,
        brand_id=None,
        actor=user,
        after={"email": user.email, "name": user.name, "via": "invitation"},
    )
    _join(session, invitation, user)
    return user
