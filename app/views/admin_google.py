"""Admin: "Se connecter avec Google" for a YouTube channel or Business Profile locations — the
consent screen, the way back, and the choice of the channel or location to connect (or renew).

Routes of the ``admin`` blueprint; ``app/views/__init__.py`` imports this module.
"""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from app.extensions import db
from app.models import Brand
from app.params import digits
from app.security.auth import permission_required
from app.services import google_connect
from app.services.accounts import AccountError, secrets_box
from app.services.oauth_state import ConnectError
from app.views.admin import ADMIN, bp
from connectors import ConnectorError

PICK_KEY = "google_pick"


def _app() -> Any:
    app = google_connect.app_settings(current_app.config)
    if app is None:
        abort(404)
    return app


def _redirect_uri() -> str:
    return url_for("admin.google_callback", _external=True)


@bp.get("/accounts/google/connect")
@permission_required(ADMIN)
def google_connect_start() -> Any:
    """Send the admin to Google's consent screen for one brand and product."""
    app = _app()
    raw, product = request.args.get("brand_id", ""), request.args.get("product", "")
    if not digits(raw) or product not in google_connect.PRODUCTS:
        abort(400)
    brand = g.scope.get_or_404(db(), Brand, int(raw), ADMIN)
    url = google_connect.start(session, app, brand.id, product, _redirect_uri())  # type: ignore[arg-type]
    return redirect(url)


@bp.get("/accounts/google/callback")
@permission_required(ADMIN)
def google_callback() -> Any:
    """Google sends the admin back here with a code (or the reason it did not)."""
    app = _app()
    args = {k: str(v)[:2000] for k, v in request.args.items()}
    try:
        pending = google_connect.finish(
            session=db(),
            store=session,  # type: ignore[arg-type]
            app=app,
            args=args,
            redirect_uri=_redirect_uri(),
            box=secrets_box(),
        )
        g.scope.get_or_404(db(), Brand, pending["brand_id"], ADMIN)
    except (ConnectError, ConnectorError) as exc:
        db().commit()  # the state stays used up
        flash(str(getattr(exc, "message", exc)), "error")
        return redirect(url_for("admin.accounts_list"))
    db().commit()
    session[PICK_KEY] = pending
    return redirect(url_for("admin.google_pick"))


@bp.route("/accounts/google/pick", methods=["GET", "POST"])
@permission_required(ADMIN)
def google_pick() -> Any:
    """Choose the YouTube channel or Business Profile location to connect (or renew)."""
    app = _app()
    pending = session.get(PICK_KEY) or {}
    if not pending.get("sealed"):
        flash(_("Aucune connexion Google en cours."), "error")
        return redirect(url_for("admin.accounts_list"))
    brand = g.scope.get_or_404(db(), Brand, int(pending["brand_id"]), ADMIN)

    def page(status: int = 200) -> Any:
        return render_template(
            "admin/google_pick.html",
            brand=brand,
            product=pending["product"],
            choices=pending["choices"],
        ), status

    if request.method == "GET":
        return page()
    chosen = request.form.get("target", "")[:200]
    if not chosen:
        flash(_("Choisissez une chaîne ou un établissement."), "error")
        return page(422)
    try:
        account = google_connect.connect(
            session=db(),
            brand=brand,
            app=app,
            product=pending["product"],
            sealed=pending["sealed"],
            chosen=chosen,
            box=secrets_box(),
            actor=g.user,
        )
        db().commit()
    except (ConnectError, AccountError, ConnectorError) as exc:
        db().rollback()
        flash(str(getattr(exc, "message", exc)), "error")
        return page(422)
    session.pop(PICK_KEY, None)
    flash(_("Compte Google connecté : %(label)s.", label=account.label), "success")
    return redirect(url_for("admin.account_detail", account_id=account.id))


@bp.app_template_global()
def google_login_available() -> bool:
    """Whether an agency Google OAuth client is configured (the "Se connecter avec Google"
    buttons)."""
    return google_connect.app_settings(current_app.config) is not None


@bp.app_template_filter("google_consent_state")
def google_consent_state(account: Any) -> str | None:
    """A Google account's consent: "revoked", "ok" or None (see the service)."""
    return google_connect.consent_state(account)
