"""An admin clears the two-factor of a user who lost their phone and recovery codes.

Under the rule of password resets (finding 1): only an admin of every brand the user holds a
role on, or a superadmin. The user's sessions end, they are told by e-mail, and they enrol
again at their next login when a role or brand of theirs requires two-factor.
"""

from __future__ import annotations

import smtplib

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from app.models import User
from app.notify.mail import Mail, Mailer
from app.security import totp
from app.services import audit
from app.services.users import UserError, UserForbidden, may_manage_account


def reset_two_factor(*, session: Session, user: User, actor: User, mailer: Mailer) -> None:
    """Turn the user's two-factor off (seed and recovery codes dropped), end their sessions,
    record it and mail them."""
    if actor.id == user.id:
        raise UserError(
            str(_l("Votre propre double authentification se gère dans « Mon compte »."))
        )
    if not may_manage_account(session=session, actor=actor, target=user):
        raise UserForbidden(
            str(
                _l(
                    "Ce compte a aussi des rôles sur des marques que vous n'administrez pas : "
                    "seul un superadministrateur peut réinitialiser sa double authentification."
                )
            )
        )
    if not totp.is_enabled(user) and not user.totp_secret_sealed:
        raise UserError(str(_l("Ce compte n'a pas de double authentification à réinitialiser.")))
    totp.disable(session=session, user=user, actor=actor)
    user.session_version += 1  # whoever holds a session of theirs logs in again
    session.add(user)
    with force_locale(user.locale or "fr"):
        mail = Mail(
            to=user.email,
            subject=_("Vigie : votre double authentification a été réinitialisée"),
            body=_(
                "Bonjour,\n\n%(admin)s a réinitialisé la double authentification de votre "
                "compte Vigie (appareil perdu). Vos sessions ouvertes sont fermées. À votre "
                "prochaine connexion, configurez de nouveau votre application "
                "d'authentification si votre marque l'exige.\n\nSi vous n'avez rien demandé, "
                "prévenez votre administrateur sans attendre.\n",
                admin=actor.email,
            ),
        )
    error = None
    try:
        mailer.send(mail)
    except (OSError, smtplib.SMTPException) as exc:
        error = f"{type(exc).__name__}: {exc}"[:500]
    audit.record(
        session=session,
        action="user.2fa_reset_by_admin",
        target_type="user",
        target_id=user.id,
        brand_id=None,
        actor=actor,
        after={"email": user.email},
        note=mailer.transport + (f" failed: {error}" if error else ""),
    )
