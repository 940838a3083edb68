"""The user's own account (« Mon compte »): password, two-factor, open sessions (log out one
device or all of them); the login's second step and password reset by e-mail."""

from __future__ import annotations

import time
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _

from app.extensions import db, limiter
from app.models import User
from app.notify.mail import mailer_from_url
from app.security import reset, throttle, totp
from app.security.auth import login_required, login_user, logout_user, session_lifetime
from app.security.passwords import verify_password
from app.security.secrets_box import SecretsBox
from app.security.sso import mark_session
from app.services import audit, users
from app.services import sessions as session_service

bp = Blueprint("account", __name__)

# The password was right; the second factor must follow within this time, in so many tries.
PENDING_SECONDS = 5 * 60
PENDING_TRIES = 5


def _box() -> SecretsBox:
    return SecretsBox(current_app.config["VIGIE_ENCRYPTION_KEY"])


def start_second_factor(user: User, next_url: str | None, via: str | None = None) -> Any:
    """After a right password (or an SSO sign-in, `via` "sso:<key>") for a user with two-factor:
    ask for the code before the session."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    session["2fa"] = {
        "uid": user.id,
        "sv": user.session_version,
        "at": int(time.time()),
        "next": next_url,
        "tries": 0,
        "via": via,
    }
    return redirect(url_for("account.login_two_factor"))


def _pending_user() -> tuple[User | None, dict[str, Any]]:
    pending = session.get("2fa")
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None, {}
    user = db().get(User, pending.get("uid"))
    if user is None or not user.is_active or user.session_version != pending.get("sv"):
        return None, {}
    return user, pending


def _second_factor_key() -> str:
    # Per account, not per cookie: replaying an older cookie does not reset the tries.
    pending = session.get("2fa")
    return "2fa:" + str(pending.get("uid") if isinstance(pending, dict) else request.remote_addr)


@bp.route("/login/2fa", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
@limiter.limit("30 per hour", key_func=_second_factor_key, methods=["POST"])
def login_two_factor() -> Any:
    """The login's second step: a code from the authenticator app, or a recovery code."""
    user, pending = _pending_user()
    if user is None:
        session.pop("2fa", None)
        flash(_("Reconnectez-vous pour continuer."), "info")
        return redirect(url_for("auth.login"))
    error = None
    if request.method == "POST":
        used = totp.verify_second_factor(
            session=db(), user=user, box=_box(), code=request.form.get("code", "")[:64]
        )
        if used is not None:
            audit.record(
                session=db(),
                action="auth.login",
                target_type="user",
                target_id=user.id,
                brand_id=None,
                actor=user,
                note="2fa:" + used + (f" {pending['via']}" if pending.get("via") else ""),
            )
            db().commit()
            login_user(user)
            if str(pending.get("via") or "").startswith("sso:"):
                mark_session(str(pending["via"])[4:], mfa=True)
            if used == "recovery":
                flash(
                    _(
                        "Code de secours utilisé. Il vous en reste %(n)s : régénérez-les "
                        "si besoin dans « Mon compte ».",
                        n=totp.remaining_recovery_codes(session=db(), user=user),
                    ),
                    "warning",
                )
            response = redirect(pending.get("next") or url_for("home.index"))
            # Only now is the login a success: the pair's counter resets, the device is known.
            throttle.record_success(user.email, user.id, response)  # type: ignore[arg-type]
            return response
        db().rollback()
        audit.record(
            session=db(),
            action="auth.2fa_failed",
            target_type="user",
            target_id=user.id,
            brand_id=None,
            actor_label=user.email,
        )
        db().commit()
        pending["tries"] = int(pending.get("tries", 0)) + 1
        if pending["tries"] >= PENDING_TRIES:
            session.pop("2fa", None)
            flash(_("Trop de codes incorrects. Reconnectez-vous."), "warning")
            return redirect(url_for("auth.login"))
        session["2fa"] = pending
        error = _("Code incorrect ou déjà utilisé.")
    return render_template("auth/two_factor.html", error=error), (401 if error else 200)


def _forgot_key() -> str:
    return "forgot:" + request.form.get("email", "").strip().lower()


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
@limiter.limit("3 per hour", key_func=_forgot_key, methods=["POST"])
def forgot_password() -> Any:
    """Ask for a reset link; the answer is the same whether the address exists or not."""
    if request.method == "POST":
        email = request.form.get("email", "")[:254]
        settings = current_app.config["VIGIE_SETTINGS"]
        reset.request_reset(
            session=db(),
            email=email,
            secret_key=current_app.config["SECRET_KEY"],
            public_url=settings.public_url,
            mailer=mailer_from_url(current_app.config.get("VIGIE_SMTP_URL"), settings.mail_from),
        )
        db().commit()
        flash(
            _(
                "Si un compte existe pour cette adresse, un lien de réinitialisation vient de "
                "lui être envoyé. Il est valable 30 minutes."
            ),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html")


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def reset_password(token: str) -> Any:
    """Choose a new password through the link received by e-mail."""
    secret_key = current_app.config["SECRET_KEY"]
    if reset.user_for_token(session=db(), token=token[:1000], secret_key=secret_key) is None:
        return render_template("auth/reset.html", invalid=True, error=None), 410
    error = None
    if request.method == "POST":
        password = request.form.get("password", "")
        if password != request.form.get("confirm", ""):
            error = _("Les deux mots de passe ne sont pas identiques.")
        else:
            try:
                reset.complete_reset(
                    session=db(), token=token, password=password, secret_key=secret_key
                )
                db().commit()
                session.clear()
                flash(_("Mot de passe changé. Connectez-vous avec le nouveau."), "success")
                return redirect(url_for("auth.login"))
            except (reset.ResetError, users.UserError) as exc:
                db().rollback()
                error = str(exc)
    return render_template("auth/reset.html", invalid=False, error=error), (422 if error else 200)


@bp.route("/account", methods=["GET", "POST"])
@login_required
def index() -> Any:
    """« Mon compte »: change one's password; two-factor status; open sessions."""
    user: User = g.user
    error = None
    if request.method == "POST":
        password = request.form.get("password", "")
        if not verify_password(user.password_hash, request.form.get("current", "")):
            error = _("Mot de passe actuel incorrect.")
        elif password != request.form.get("confirm", ""):
            error = _("Les deux mots de passe ne sont pas identiques.")
        else:
            try:
                users.set_password(session=db(), user=user, password=password, actor=user)
                db().commit()
                login_user(user)  # this session goes on with the new version; the others end
                flash(_("Mot de passe changé. Vos autres sessions sont fermées."), "success")
                return redirect(url_for("account.index"))
            except users.UserError as exc:
                db().rollback()
                error = str(exc)
    return render_template(
        "account/index.html",
        error=error,
        sessions=session_service.active_for(session=db(), user=user, lifetime=session_lifetime()),
        current_session_id=g.get("session_row_id"),
        two_factor=totp.is_enabled(user),
        required=totp.is_required(session=db(), user=user, roles=totp.required_roles()),
        remaining=totp.remaining_recovery_codes(session=db(), user=user),
    ), (422 if error else 200)


@bp.route("/account/2fa", methods=["GET", "POST"])
@login_required
def two_factor() -> Any:
    """Set up two-factor with an authenticator app; regenerate recovery codes; turn it off."""
    user: User = g.user
    box = _box()
    required = totp.is_required(session=db(), user=user, roles=totp.required_roles())
    error = None
    codes: list[str] | None = None
    if request.method == "POST":
        action = request.form.get("action", "")
        code = request.form.get("code", "")[:64]
        try:
            if action == "confirm":
                codes = totp.confirm_enrolment(session=db(), user=user, box=box, code=code)
            elif action in ("regenerate", "disable"):
                if totp.verify_second_factor(session=db(), user=user, box=box, code=code) is None:
                    raise totp.TwoFactorError(_("Code incorrect ou déjà utilisé."))
                if action == "regenerate":
                    codes = totp.new_recovery_codes(session=db(), user=user)
                    audit.record(
                        session=db(),
                        action="user.recovery_codes_renewed",
                        target_type="user",
                        target_id=user.id,
                        brand_id=None,
                        actor=user,
                    )
                else:
                    if required:
                        raise totp.TwoFactorError(
                            _(
                                "La double authentification est obligatoire "
                                "pour votre rôle ou votre marque."
                            )
                        )
                    totp.disable(session=db(), user=user, actor=user)
            else:
                abort(400)
            db().commit()
            if codes is None:
                flash(_("Double authentification désactivée."), "info")
                return redirect(url_for("account.index"))
        except totp.TwoFactorError as exc:
            db().rollback()
            db().refresh(user)
            error = str(exc)
    if codes is not None:
        # Shown once: only their hashes are kept.
        return render_template("account/recovery_codes.html", codes=codes)
    seed = None
    if not totp.is_enabled(user):
        seed = totp.pending_seed(user, box)
        if seed is None:
            seed = totp.start_enrolment(session=db(), user=user, box=box)
            db().commit()
    uri = totp.provisioning_uri(seed, user.email) if seed else None
    return render_template(
        "account/two_factor.html",
        error=error,
        enabled=totp.is_enabled(user),
        required=required,
        seed=seed,
        qr=totp.qr_svg(uri) if uri else None,
        remaining=totp.remaining_recovery_codes(session=db(), user=user),
    ), (422 if error else 200)


@bp.post("/account/sessions/<int:session_id>/revoke")
@login_required
def revoke(session_id: int) -> Any:
    """Log out one other device (its cookie stops working at once)."""
    if session_id == g.get("session_row_id"):
        abort(400)  # this device logs out with "Se déconnecter"
    if not session_service.end_one(session=db(), user=g.user, session_id=session_id):
        abort(404)
    db().commit()
    flash(_("Cet appareil est déconnecté."), "success")
    return redirect(url_for("account.index"))


@bp.post("/account/logout-everywhere")
@login_required
def logout_everywhere() -> Any:
    """End every session of the user, this one included (a lost laptop, a shared password)."""
    count = session_service.end_all(session=db(), user=g.user, actor=g.user)
    db().commit()
    logout_user()
    flash(_("Vous êtes déconnecté partout (%(count)s session(s) fermée(s)).", count=count), "info")
    return redirect(url_for("auth.login"))
