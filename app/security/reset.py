"""Password reset by e-mail: a signed link that lives 30 minutes and works once.

The token carries the user id and a fingerprint of the current password hash: changing the
password (through the link or any other way) makes every earlier link void, and the change
itself is a conditional UPDATE on the old hash, so two uses of one link cannot both win.
"""

from __future__ import annotations

import hashlib
import hmac
import smtplib
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import update
from sqlmodel import Session

from app.models import User
from app.notify.mail import Mail, Mailer
from app.security.passwords import hash_password, password_problem
from app.services import audit
from app.services.users import UserError, find_by_email

RESET_MAX_AGE_SECONDS = 30 * 60
_SALT = "vigie.password-reset"


class ResetError(ValueError):
    """The link is invalid, expired or already used, or the new password is refused."""


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=_SALT)


def _fingerprint(user: User) -> str:
    material = f"{user.id}|{user.email}|{user.password_hash}|{user.is_active}"
    return hashlib.sha256(material.encode()).hexdigest()[:32]


def make_token(user: User, *, secret_key: str) -> str:
    """A signed reset token for the user's current password."""
    return _serializer(secret_key).dumps({"u": user.id, "f": _fingerprint(user)})


def user_for_token(
    *, session: Session, token: str, secret_key: str, max_age: int = RESET_MAX_AGE_SECONDS
) -> User | None:
    """The active user a token still opens, or None (bad signature, expired, already used)."""
    try:
        data: Any = _serializer(secret_key).loads(token, max_age=max_age)
    except BadSignature:  # SignatureExpired is a BadSignature
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    user = session.get(User, data["u"])
    if user is None or not user.is_active:
        return None
    if not hmac.compare_digest(str(data.get("f", "")), _fingerprint(user)):
        return None
    return user


def request_reset(
    *, session: Session, email: str, secret_key: str, public_url: str, mailer: Mailer
) -> None:
    """Mail a reset link when the address belongs to an active user; the caller says the same
    thing either way, so nobody learns which addresses exist."""
    user = find_by_email(session=session, email=email)
    if user is None or not user.is_active:
        audit.record(
            session=session,
            action="auth.password_reset_unknown",
            target_type="user",
            target_id=None,
            brand_id=None,
            actor_label=email.strip()[:254],
        )
        return
    link = f"{public_url.rstrip('/')}/password/reset/{make_token(user, secret_key=secret_key)}"
    with force_locale(user.locale or "fr"):
        mail = Mail(
            to=user.email,
            subject=_("Vigie : réinitialisation de votre mot de passe"),
            body=_(
                "Bonjour,\n\nPour choisir un nouveau mot de passe Vigie, ouvrez ce lien dans les "
                "30 minutes :\n\n%(link)s\n\nLe lien ne sert qu'une fois. Si vous n'avez rien "
                "demandé, ignorez ce message : votre mot de passe reste le même.\n",
                link=link,
            ),
        )
    error = None
    try:
        mailer.send(mail)
    except (OSError, smtplib.SMTPException) as exc:
        error = f"{type(exc).__name__}: {exc}"[:500]
    audit.record(
        session=session,
        action="auth.password_reset_requested",
        target_type="user",
        target_id=user.id,
        brand_id=None,
        actor_label=user.email,
        note=f"{mailer.transport}" + (f" failed: {error}" if error else ""),
    )


def complete_reset(*, session: Session, token: str, password: str, secret_key: str) -> User:
    """Set the new password through a valid link, once; other sessions end."""
    user = user_for_token(session=session, token=token, secret_key=secret_key)
    if user is None:
        raise ResetError(_("Ce lien n'est plus valable. Demandez-en un nouveau."))
    problem = password_problem(password, user.email)
    if problem is not None:
        raise UserError(problem)
    old_hash = user.password_hash
    changed = session.execute(
        update(User)
        .where(User.id == user.id, User.password_hash == old_hash)  # type: ignore[arg-type]
        .values(password_hash=hash_password(password), session_version=User.session_version + 1)
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        raise ResetError(_("Ce lien n'est plus valable. Demandez-en un nouveau."))
    session.refresh(user)
    audit.record(
        session=session,
        action="auth.password_reset",
        target_type="user",
        target_id=user.id,
        brand_id=None,
        actor=user,
    )
    return user
