"""Login, logout and the language switch."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from app.config import LANGUAGES
from app.extensions import db
from app.security import sso, throttle, totp
from app.security.auth import login_user, logout_user
from app.services import audit, users
from app.views.account import start_second_factor

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str | None:
    """Only same-site relative paths, never an open redirect."""
    if not target:
        return None
    if any(ord(c) < 32 or c in "\\\x7f" for c in target):
        return None  # CR/LF would split the Location header; "\\" is "/" to browsers
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    """The login form; a failed attempt says so without telling which part was wrong."""
    if g.user is not None and request.method == "GET":
        return redirect(url_for("home.index"))
    error = None
    email = request.form.get("email", "")
    if request.method == "POST":
        known = users.find_by_email(session=db(), email=email)
        wait = throttle.seconds_to_wait(email, known.id if known else None)
        if wait:
            error = _("Trop de tentatives. Réessayez dans %(seconds)s secondes.", seconds=wait)
            page = render_template("auth/login.html", error=error, email=email)
            return page, 429, {"Retry-After": str(wait)}
        if sso.password_login_refused(known, email):
            # VIGIE_OIDC_ONLY_DOMAINS: this agency signs in through its identity provider.
            error = _(
                "Les comptes de ce domaine se connectent uniquement par la connexion unique "
                "(bouton ci-dessous)."
            )
            return render_template("auth/login.html", error=error, email=email), 403
        user = users.authenticate(
            session=db(), email=email, password=request.form.get("password", "")
        )
        if user is None:
            throttle.record_failure(email)
            error = _("Adresse e-mail ou mot de passe incorrect.")
            audit.record(
                session=db(),
                action="auth.login_failed",
                target_type="user",
                target_id=None,
                brand_id=None,
                actor_label=email[:254],
            )
            db().commit()
        elif totp.is_enabled(user):
            db().commit()
            return start_second_factor(user, _safe_next(request.args.get("next")))
        else:
            audit.record(
                session=db(),
                action="auth.login",
                target_type="user",
                target_id=user.id,
                brand_id=None,
                actor=user,
            )
            db().commit()
            login_user(user)
            response = redirect(_safe_next(request.args.get("next")) or url_for("home.index"))
            throttle.record_success(email, user.id, response)  # type: ignore[arg-type]
            return response
    status = 401 if error else 200
    return render_template("auth/login.html", error=error, email=email), status


@bp.post("/logout")
def logout() -> Any:
    """End the session."""
    logout_user()
    flash(_("Vous êtes déconnecté."), "info")
    return redirect(url_for("auth.login"))


@bp.post("/language")
def language() -> Any:
    """Switch the interface language (French or English)."""
    lang = request.form.get("lang", "fr")
    if lang in LANGUAGES:
        session["lang"] = lang
        if g.user is not None:
            g.user.locale = lang
            db().add(g.user)
            db().commit()
    return redirect(_safe_next(request.form.get("next")) or url_for("home.index"))
