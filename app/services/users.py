"""Users and memberships."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from app.models import ROLES, Brand, Membership, User, utcnow
from app.security.access import BrandScope
from app.security.passwords import (
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)
from app.services import audit


class UserError(ValueError):
    """A user or membership change that cannot be made, with a message for the UI."""


class UserForbidden(UserError):
    """The actor's powers do not cover this account (it holds roles beyond the actor's brands)."""


def brand_ids_of(*, session: Session, user: User) -> set[int]:
    """The brands on which a user holds any role."""
    rows = session.exec(select(Membership.brand_id).where(Membership.user_id == user.id)).all()
    return set(rows)


def may_manage_account(*, session: Session, actor: User, target: User) -> bool:
    """Whether the actor may reset the target's password or (de)activate the account.

    Users are global: an account is the actor's to manage only when every brand it holds a
    role on is one the actor administers (else an admin of brand A could take over the lead
    of brands A and B, and read B). Only superadmins manage superadmins and role-less users.
    """
    if actor.is_superadmin:
        return True
    if target.is_superadmin:
        return False
    if actor.id == target.id:
        return True
    theirs = brand_ids_of(session=session, user=target)
    mine = set(BrandScope.for_user(session, actor).brand_ids("admin.manage"))
    return bool(theirs) and theirs <= mine


def _require_manage(session: Session, actor: User | None, target: User) -> None:
    # No actor: the operator's CLI.
    if actor is not None and not may_manage_account(session=session, actor=actor, target=target):
        raise UserForbidden(
            str(
                _l(
                    "Ce compte a aussi des rôles sur des marques que vous n'administrez pas : "
                    "seul un superadministrateur peut changer son mot de passe ou son accès."
                )
            )
        )


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(*, session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == normalise_email(email))).first()


def create_user(
    *,
    session: Session,
    email: str,
    password: str,
    name: str = "",
    locale: str = "fr",
    actor: User | None = None,
) -> User:
    """Create a user with an argon2-hashed password."""
    email = normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise UserError("Adresse e-mail invalide.")
    if find_by_email(session=session, email=email) is not None:
        raise UserError("Un utilisateur existe déjà avec cette adresse.")
    if len(password) < 4:
        raise UserError("Mot de passe trop court.")
    user = User(
        email=email,
        name=name or email.split("@")[0],
        password_hash=hash_password(password),
        locale=locale,
    )
    session.add(user)
    session.flush()
    audit.record(
        session=session,
        action="user.created",
        target_type="user",
        target_id=user.id,
        brand_id=None,
        actor=actor,
        after={"email": email, "name": user.name},
    )
    return user


def authenticate(*, session: Session, email: str, password: str) -> User | None:
    """The active user with these credentials, or None; upgrades old hashes on the way."""
    user = find_by_email(session=session, email=email)
    if not verify_password(user.password_hash if user else None, password):
        return None
    assert user is not None
    if not user.is_active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    session.add(user)
    return user


def set_password(*, session: Session, user: User, password: str, actor: User | None) -> None:
    """Change a password (under the password rules) and end the user's other sessions."""
    _require_manage(session, actor, user)
    problem = password_problem(password, user.email)
    if problem is not None:
        raise UserError(problem)
    user.password_hash = hash_password(password)
    user.session_version += 1
    session.add(user)
    audit.record(
        session=session,
        action="user.password_changed",
        target_type="user",
        target_id=user.id,
        brand_id=None,
        actor=actor,
    )


def set_active(*, session: Session, user: User, active: bool, actor: User | None) -> None:
    """Deactivate (ending its sessions) or reactivate an account."""
    _require_manage(session, actor, user)
    user.is_active = active
    user.session_version += 1
    session.add(user)
    audit.record(
        session=session,
        action="user.activated" if active else "user.deactivated",
        target_type="user",
        target_id=user.id,
        brand_id=None,
        actor=actor,
    )


def grant(
    *, session: Session, user: User, brand: Brand, role: str, actor: User | None = None
) -> Membership:
    """Give a user a role on a brand (idempotent)."""
    if role not in ROLES:
        raise UserError(f"Rôle inconnu : {role}")
    self_grant = actor is not None and actor.id == user.id and not actor.is_superadmin
    if role == "brand_owner" and self_grant:
        # Approving as the brand is the brand's own word, not the agency's to take.
        raise UserError(
            str(_l("Vous ne pouvez pas vous donner le rôle de responsable de la marque."))
        )
    existing = session.exec(
        select(Membership).where(
            Membership.user_id == user.id, Membership.brand_id == brand.id, Membership.role == role
        )
    ).first()
    if existing:
        return existing
    membership = Membership(user_id=user.id, brand_id=brand.id, role=role)  # type: ignore[arg-type]
    session.add(membership)
    session.flush()
    audit.record(
        session=session,
        action="membership.granted",
        target_type="membership",
        target_id=membership.id,
        brand_id=brand.id,
        actor=actor,
        after={"user": user.email, "role": role},
    )
    return membership


def revoke(*, session: Session, membership: Membership, actor: User | None = None) -> None:
    """Remove a role from a user on a brand."""
    user = session.get(User, membership.user_id)
    audit.record(
        session=session,
        action="membership.revoked",
        target_type="membership",
        target_id=membership.id,
        brand_id=membership.brand_id,
        actor=actor,
        before={"user": user.email if user else None, "role": membership.role},
    )
    session.delete(membership)


def set_superadmin(*, session: Session, user: User, on: bool, actor: User | None = None) -> None:
    """Make (or unmake) a platform-wide superadmin; only the operator's CLI calls this."""
    if user.is_superadmin == on:
        return
    user.is_superadmin = on
    user.session_version += 1  # sessions opened with the old powers end
    session.add(user)
    audit.record(
        session=session,
        action="user.superadmin_granted" if on else "user.superadmin_revoked",
        target_type="user",
        target_id=user.id,
        brand_id=None,
        actor=actor,
        actor_label=None if actor else "cli",
        after={"email": user.email},
    )
