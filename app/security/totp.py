"""Two-factor authentication: TOTP (authenticator apps) and single-use recovery codes.

The TOTP seed is sealed with the SecretsBox; recovery codes are kept as sha256 (they are random,
50 bits each, and shown once). Accepting a code is a conditional UPDATE, so a code, or a TOTP
step, cannot be used twice even by two requests at the same moment.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from typing import Any

import pyotp
import segno
from flask import current_app, g, redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy import or_, update
from sqlmodel import Session, col, delete, select

from app.models import Brand, RecoveryCode, User, utcnow
from app.security.access import TWO_FACTOR_SETTING, BrandScope
from app.security.secrets_box import SecretsBox
from app.services import audit

ISSUER = "Vigie"
RECOVERY_CODE_COUNT = 10
# One step of drift either way: phones whose clock is up to 30 s off still get in.
VALID_WINDOW = 1
BRAND_SETTING = TWO_FACTOR_SETTING
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: codes are typed from paper


class TwoFactorError(ValueError):
    """A two-factor change that cannot be made, with a message for the UI."""


def is_enabled(user: User) -> bool:
    return user.totp_enabled_at is not None and bool(user.totp_secret_sealed)


def _box() -> SecretsBox:
    return SecretsBox(current_app.config["VIGIE_ENCRYPTION_KEY"])


def _seed(box: SecretsBox, user: User) -> str:
    return str(box.open(user.totp_secret_sealed or "").get("totp", ""))


def start_enrolment(*, session: Session, user: User, box: SecretsBox) -> str:
    """Give the user a new pending seed (not active until a code from it is confirmed)."""
    if is_enabled(user):
        raise TwoFactorError(_("La double authentification est déjà activée."))
    seed = pyotp.random_base32()
    user.totp_secret_sealed = box.seal({"totp": seed})
    user.totp_last_step = None
    session.add(user)
    return seed


def pending_seed(user: User, box: SecretsBox) -> str | None:
    """The seed waiting for confirmation, if any."""
    if is_enabled(user) or not user.totp_secret_sealed:
        return None
    return _seed(box, user) or None


def provisioning_uri(seed: str, email: str) -> str:
    return pyotp.TOTP(seed).provisioning_uri(name=email, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The otpauth URI as an inline SVG QR code (no script, no inline style: strict CSP)."""
    return segno.make(uri, error="m").svg_inline(scale=5, border=2, dark="#000", light="#fff")


def _matching_step(seed: str, code: str, now: float | None = None) -> int | None:
    """The 30-second step a code belongs to, within the allowed drift, or None."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(seed)
    now = time.time() if now is None else now
    current = int(now) // totp.interval
    for offset in range(-VALID_WINDOW, VALID_WINDOW + 1):
        step = current + offset
        if secrets.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _normalise_recovery(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def _hash_recovery(code: str) -> str:
    return hashlib.sha256(_normalise_recovery(code).encode()).hexdigest()


def new_recovery_codes(*, session: Session, user: User) -> list[str]:
    """Replace the user's recovery codes with fresh ones, returned once in clear."""
    session.exec(delete(RecoveryCode).where(col(RecoveryCode.user_id) == user.id))  # type: ignore[call-overload]
    codes = []
    for _i in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_ALPHABET) for _j in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
        session.add(RecoveryCode(user_id=user.id, code_hash=_hash_recovery(raw)))  # type: ignore[arg-type]
    return codes


def confirm_enrolment(*, session: Session, user: User, box: SecretsBox, code: str) -> list[str]:
    """Activate two-factor once the user typed a valid code; returns the recovery codes."""
    seed = pending_seed(user, box)
    if seed is None:
        raise TwoFactorError(_("Commencez par scanner le QR code."))
    step = _matching_step(seed, code)
    if step is None:
        raise TwoFactorError(_("Code incorrect. Vérifiez l'heure de votre téléphone et réessayez."))
    user.totp_enabled_at = utcnow()
    user.totp_last_step = step
    session.add(user)
    codes = new_recovery_codes(session=session, user=user)
    audit.record(
        session=session,
        action="user.2fa_enabled",
        target_type="user",
        target_id=user.id,
        brand_id=None,
        actor=user,
    )
    return codes


def disable(*, session: Session, user: User, actor: User | None) -> None:
    """Turn two-factor off and drop the seed and recovery codes."""
    user.totp_secret_sealed = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    session.add(user)
    session.exec(delete(RecoveryCode).where(col(RecoveryCode.user_id) == user.id))  # type: ignore[call-overload]
    audit.record(
        session=session,
        action="user.2fa_disabled",
        target_type="user",
        target_id=user.id,
        brand_id=None,
        actor=actor,
    )


def verify_second_factor(*, session: Session, user: User, box: SecretsBox, code: str) -> str | None:
    """Accept a TOTP code or an unused recovery code, once; returns which, or None."""
    if not is_enabled(user):
        return None
    step = _matching_step(_seed(box, user), code)
    if step is not None:
        accepted = session.execute(
            update(User)
            .where(
                col(User.id) == user.id,
                or_(col(User.totp_last_step).is_(None), col(User.totp_last_step) < step),
            )
            .values(totp_last_step=step)
        )
        return "totp" if accepted.rowcount == 1 else None  # type: ignore[attr-defined]
    if len(_normalise_recovery(code)) != 10:
        return None
    used = session.execute(
        update(RecoveryCode)
        .where(
            col(RecoveryCode.user_id) == user.id,
            col(RecoveryCode.code_hash) == _hash_recovery(code),
            col(RecoveryCode.used_at).is_(None),
        )
        .values(used_at=utcnow())
    )
    if used.rowcount != 1:  # type: ignore[attr-defined]
        return None
    audit.record(
        session=session,
        action="user.recovery_code_used",
        target_type="user",
        target_id=user.id,
        brand_id=None,
        actor=user,
        after={"remaining": remaining_recovery_codes(session=session, user=user)},
    )
    return "recovery"


def remaining_recovery_codes(*, session: Session, user: User) -> int:
    rows = session.exec(
        select(RecoveryCode.id).where(
            RecoveryCode.user_id == user.id, col(RecoveryCode.used_at).is_(None)
        )
    ).all()
    return len(rows)


def required_roles() -> frozenset[str]:
    """Roles that must use two-factor on this instance (none in demo mode)."""
    if current_app.config.get("VIGIE_DEMO"):
        return frozenset()
    return frozenset(current_app.config.get("VIGIE_2FA_ROLES", ()))


def is_required(*, session: Session, user: User, roles: frozenset[str]) -> bool:
    """Whether the user must use two-factor: a role that requires it, or a brand that does."""
    scope = g.get("scope")
    if scope is None or scope.user_id != user.id:  # outside a request of this user
        scope = BrandScope.for_user(session, user)
    return bool(scope.member_roles & roles) or bool(scope.two_factor_brands)


def set_brand_requirement(*, session: Session, brand: Brand, required: bool, actor: User) -> None:
    """An admin's choice: every member of this brand must use two-factor."""
    before = bool((brand.settings or {}).get(BRAND_SETTING))
    if before == required:
        return
    brand.settings = {**(brand.settings or {}), BRAND_SETTING: required}
    session.add(brand)
    audit.record(
        session=session,
        action="brand.2fa_required" if required else "brand.2fa_optional",
        target_type="brand",
        target_id=brand.id,
        brand_id=brand.id,
        actor=actor,
        before={BRAND_SETTING: before},
        after={BRAND_SETTING: required},
    )


# Endpoints a user who still has to set up two-factor may reach.
_OPEN_ENDPOINTS = frozenset(
    {"static", "auth.logout", "auth.language", "auth.login", "account.two_factor"}
)


def enforce_enrolment() -> Any:
    """Before each request: a user who must use two-factor and has not set it up goes to set it
    up first (their session already proved the password)."""
    user = g.get("user")
    if user is None or is_enabled(user) or request.endpoint in _OPEN_ENDPOINTS:
        return None
    from app.extensions import db
    from app.security.sso import second_factor_exemption

    exempt = second_factor_exemption()  # an SSO session: the provider's MFA may count
    roles = frozenset() if exempt == "roles" else required_roles()
    if exempt == "all" or not is_required(session=db(), user=user, roles=roles):
        return None
    target = url_for("account.two_factor")
    if request.headers.get("HX-Request") == "true":
        response = current_app.response_class(status=401)
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target)
