"""Users and memberships."""

from __future__ import annotations

from sqlmodel import Session, select

from app.models import ROLES, Brand, Membership, User, utcnow
from app.security.passwords import (
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)
from app.services import audit


class UserError(ValueError):
    """A user or membership change that cannot be made, with a message for the UI."""


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
