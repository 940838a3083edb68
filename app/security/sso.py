"""Single sign-on on Vigie's side: single-use login states, matching the provider's identity to a
Vigie user, and what an SSO session means for two-factor.

Rules:
- no user is created by SSO: roles are granted in Vigie, so an unknown address is refused;
- the e-mail must be verified by the provider, in an allowed domain when the operator lists some;
- the first sign-in links the identity (issuer + subject) to the user; later sign-ins match on
  it, so a user whose e-mail changes at the provider keeps their account, and an address that
  moves to someone else cannot open an account already linked to another subject;
- two-factor: a user who turned on Vigie's TOTP is asked for it after SSO too. Otherwise the
  provider's own MFA counts for the instance-wide rule (VIGIE_2FA_ROLES: enforce MFA at Google
  or Entra), but an admin's "require two-factor" on a brand is honoured: unless the ID token's
  `amr` says the provider did MFA, the member is sent to set up Vigie's TOTP.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from flask import current_app, session
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.config import OIDCProvider
from app.models import OIDCLoginState, User, UserIdentity, utcnow
from app.services import users

# The provider must send the browser back within this time.
STATE_LIFETIME = timedelta(minutes=10)
SESSION_KEY = "sso"  # in the cookie session: which provider opened it, and whether it did MFA

#: Refusal reasons (audited; the page words them for the user)
(
    UNVERIFIED,
    NO_EMAIL,
    DOMAIN,
    UNKNOWN,
    INACTIVE,
    OTHER_IDENTITY,
    PASSWORD_ONLY,
) = (
    "email_unverified",
    "no_email",
    "domain_not_allowed",
    "unknown_user",
    "deactivated",
    "other_identity",
    "sso_only",
)


class SSORefused(Exception):
    def __init__(self, reason: str, email: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.email = email


def providers() -> tuple[OIDCProvider, ...]:
    return tuple(current_app.config.get("VIGIE_OIDC_PROVIDERS") or ())


def provider(key: str) -> OIDCProvider | None:
    return next((p for p in providers() if p.key == key), None)


def _digest(state: str) -> str:
    return hashlib.sha256(state.encode()).hexdigest()


def save_state(
    *,
    db: Session,
    provider_key: str,
    state: str,
    nonce: str,
    code_verifier: str,
    next_url: str | None,
) -> None:
    """Remember a sign-in sent to the provider (and drop the abandoned ones)."""
    db.exec(  # type: ignore[call-overload]
        delete(OIDCLoginState).where(col(OIDCLoginState.created_at) < utcnow() - STATE_LIFETIME)
    )
    db.add(
        OIDCLoginState(
            state_hash=_digest(state),
            provider=provider_key,
            nonce=nonce,
            code_verifier=code_verifier,
            next_url=next_url if next_url and len(next_url) <= 500 else None,
        )
    )


def take_state(*, db: Session, provider_key: str, state: str) -> OIDCLoginState | None:
    """The sign-in this state belongs to, consumed: a second use (or a concurrent one) gets
    None, because only the request whose DELETE removed the row goes on."""
    if not state or len(state) > 200:
        return None
    row = db.exec(select(OIDCLoginState).where(OIDCLoginState.state_hash == _digest(state))).first()
    if row is None:
        return None
    deleted = db.exec(  # type: ignore[call-overload]
        delete(OIDCLoginState).where(col(OIDCLoginState.id) == row.id)
    )
    db.commit()
    if deleted.rowcount != 1:
        return None
    if row.provider != provider_key or row.created_at < utcnow() - STATE_LIFETIME:
        return None
    return row


def match_user(*, db: Session, prov: OIDCProvider, issuer: str, claims: dict[str, Any]) -> User:
    """The Vigie user this identity opens, linking it on the first sign-in; else SSORefused."""
    from app.security.oidc import email_verified

    email = users.normalise_email(str(claims.get("email") or ""))[:254]
    if "@" not in email or "\x00" in email or "\x00" in str(claims["sub"]):
        raise SSORefused(NO_EMAIL)
    if not email_verified(claims):
        raise SSORefused(UNVERIFIED, email)
    if prov.allowed_domains and email.rsplit("@", 1)[1] not in prov.allowed_domains:
        raise SSORefused(DOMAIN, email)
    subject = str(claims["sub"])[:255]
    identity = db.exec(
        select(UserIdentity).where(UserIdentity.issuer == issuer, UserIdentity.subject == subject)
    ).first()
    if identity is not None:
        user = db.get(User, identity.user_id)
    else:
        user = users.find_by_email(session=db, email=email)
        if user is None:
            raise SSORefused(UNKNOWN, email)
        other = db.exec(
            select(UserIdentity).where(
                UserIdentity.user_id == user.id, UserIdentity.issuer == issuer
            )
        ).first()
        if other is not None:
            # The account is already linked to another person at this provider: the address
            # was reassigned or renamed there; an admin must unlink it first.
            raise SSORefused(OTHER_IDENTITY, email)
    if user is None or not user.is_active:
        raise SSORefused(INACTIVE, email)
    if identity is None:
        identity = UserIdentity(
            user_id=user.id,  # type: ignore[arg-type]
            provider=prov.key,
            issuer=issuer,
            subject=subject,
        )
    identity.email = email
    identity.last_login_at = utcnow()
    user.last_login_at = identity.last_login_at
    db.add(identity)
    db.add(user)
    try:
        db.flush()
    except IntegrityError as exc:  # the same identity linked at the same moment elsewhere
        db.rollback()
        raise SSORefused(OTHER_IDENTITY, email) from exc
    return user


def identities_of(*, db: Session, user: User) -> list[UserIdentity]:
    return list(
        db.exec(
            select(UserIdentity)
            .where(UserIdentity.user_id == user.id)
            .order_by(col(UserIdentity.created_at))
        ).all()
    )


def unlink_all(*, db: Session, user: User, actor: User) -> int:
    """An admin unlinks the user's identities (the address now belongs to someone else at the
    provider, or the provider account was replaced); the next SSO sign-in links again. The
    user's sessions end: one of them may have come through the old identity."""
    from app.services import audit
    from app.services import sessions as session_service

    linked = identities_of(db=db, user=user)
    for identity in linked:
        audit.record(
            session=db,
            action="user.sso_unlinked",
            target_type="user",
            target_id=user.id,
            brand_id=None,
            actor=actor,
            before={"provider": identity.provider, "email": identity.email},
        )
        db.delete(identity)
    if linked:
        session_service.end_all(session=db, user=user, actor=actor)
    return len(linked)


def provider_name(key: str) -> str:
    prov = provider(key)
    return prov.name if prov else key


def password_login_refused(user: User | None, email: str) -> bool:
    """VIGIE_OIDC_ONLY_DOMAINS: these domains sign in through SSO only (superadmins keep their
    password, the way back in when the provider is down)."""
    domains = current_app.config.get("VIGIE_OIDC_ONLY_DOMAINS") or ()
    address = users.normalise_email(email)
    if not domains or "@" not in address or (user is not None and user.is_superadmin):
        return False
    return address.rsplit("@", 1)[1] in domains


def mark_session(provider_key: str, mfa: bool) -> None:
    """After login_user: this session was opened through the provider."""
    session[SESSION_KEY] = {"p": provider_key, "mfa": bool(mfa)}


def second_factor_exemption() -> str | None:
    """For the two-factor set-up check: "all" when the provider said it did MFA, "roles" for
    any other SSO session (the instance-wide role rule is the provider's job, a brand's own
    requirement still applies), None for a password session."""
    marker = session.get(SESSION_KEY)
    if not isinstance(marker, dict):
        return None
    return "all" if marker.get("mfa") else "roles"
