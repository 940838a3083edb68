"""Admin: "Se connecter avec Facebook" (Facebook Login for Business) — the dialog, the way
back, and the choice of Pages / Instagram accounts to connect or renew.

Routes of the ``admin`` blueprint; ``app/views/__init__.py`` imports this module.
"""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from app.extensions import db
from app.models import Brand, ConnectorAccount, utcnow
from app.params import digits
from app.security.auth import permission_required
from app.services import meta_connect, meta_settings, platform_usage
from app.services.accounts import AccountError, secrets_box
from app.views.admin import ADMIN, bp
from connectors import ConnectorError


def _app() -> Any:
    app = meta_connect.app_settings(current_app.config)
    if app is None:
        abort(404)
    return app


def _redirect_uri() -> str:
    return url_for("admin.meta_callback", _external=True)


@bp.get("/accounts/meta/connect")
@permission_required(ADMIN)
def meta_connect_start() -> Any:
    """Send the admin to Facebook's consent dialog for one brand."""
    app = _app()
    raw = request.args.get("brand_id", "")
    if not digits(raw):
        abort(400)
    brand = g.scope.get_or_404(db(), Brand, int(raw), ADMIN)
    state = meta_connect.start(session, brand.id, utcnow())  # type: ignore[arg-type]
    from connectors.meta_oauth import dialog_url

    return redirect(dialog_url(app, redirect_uri=_redirect_uri(), state=state))


@bp.get("/accounts/meta/callback")
@permission_required(ADMIN)
def meta_callback() -> Any:
    """Facebook sends the admin back here with a code (or the reason it did not)."""
    app = _app()
    if request.args.get("error"):
        flash(
            _(
                "Connexion à Facebook annulée : %(why)s",
                why=request.args.get("error_description") or request.args["error"],
            ),
            "error",
        )
        return redirect(url_for("admin.accounts_list"))
    try:
        brand_id = meta_connect.check_state(
            session,  # type: ignore[arg-type]
            request.args.get("state", ""),
            utcnow(),
            session=db(),
        )
        g.scope.get_or_404(db(), Brand, brand_id, ADMIN)
        sealed, public = meta_connect.finish(
            app=app,
            code=request.args.get("code", "")[:2000],
            redirect_uri=_redirect_uri(),
            box=secrets_box(),
        )
    except (meta_connect.ConnectError, ConnectorError) as exc:
        db().commit()  # the state stays used up
        flash(str(getattr(exc, "message", exc)), "error")
        return redirect(url_for("admin.accounts_list"))
    db().commit()
    session["meta_connect"] = {"brand_id": brand_id, "sealed": sealed, "pages": public}
    return redirect(url_for("admin.meta_pick"))


@bp.route("/accounts/meta/pick", methods=["GET", "POST"])
@permission_required(ADMIN)
def meta_pick() -> Any:
    """Choose the Pages and Instagram accounts to connect (or renew)."""
    app = _app()
    pending = session.get("meta_connect") or {}
    if not pending.get("sealed"):
        flash(_("Aucune connexion Facebook en cours."), "error")
        return redirect(url_for("admin.accounts_list"))
    brand = g.scope.get_or_404(db(), Brand, int(pending["brand_id"]), ADMIN)
    if request.method == "GET":
        return render_template("admin/meta_pick.html", brand=brand, pages=pending["pages"])
    chosen = request.form.getlist("target")
    if not chosen:
        flash(_("Choisissez au moins une Page ou un compte Instagram."), "error")
        return render_template("admin/meta_pick.html", brand=brand, pages=pending["pages"]), 422
    try:
        done = meta_connect.connect(
            session=db(),
            brand=brand,
            app=app,
            sealed=pending["sealed"],
            chosen=chosen,
            box=secrets_box(),
            actor=g.user,
            verify_token=str(current_app.config.get("VIGIE_META_VERIFY_TOKEN") or ""),
        )
        db().commit()
    except (meta_connect.ConnectError, AccountError, ConnectorError) as exc:
        db().rollback()
        flash(str(getattr(exc, "message", exc)), "error")
        return render_template("admin/meta_pick.html", brand=brand, pages=pending["pages"]), 422
    session.pop("meta_connect", None)
    flash(_("%(n)s compte(s) Meta connecté(s).", n=len(done)), "success")
    return redirect(url_for("admin.accounts_list"))


@bp.app_template_global()
def meta_login_available() -> bool:
    """Whether an agency Meta app is configured (the "Se connecter avec Facebook" button)."""
    return meta_connect.app_settings(current_app.config) is not None


@bp.app_template_global()
def meta_usage(account: Any) -> dict[str, Any] | None:
    """A Meta account's last reported API usage for its health card (None: not Meta, or
    not known yet): the percentage, where calls stop, and until when writes wait."""
    percent = platform_usage.usage_percent(account)
    if percent is None:
        return None
    return {
        "percent": percent,
        "threshold": platform_usage.threshold(account),
        "until": platform_usage.deferred_until(account),
    }


@bp.app_template_filter("meta_token_state")
def meta_token_state(account: Any) -> tuple[str, Any]:
    """An account's Meta token: ("ok" | "renew" | "expired" | "unknown", expiry)."""
    return meta_connect.token_state(account)


@bp.route("/brands/<int:brand_id>/moderation", methods=["GET", "POST"])
@permission_required(ADMIN)
def brand_moderation(brand_id: int) -> Any:
    """A brand's switches: automatic hiding by playbook rules, acknowledgement of messages."""
    brand = g.scope.get_or_404(db(), Brand, brand_id, ADMIN)
    error = None
    if request.method == "POST":
        try:
            meta_settings.save(
                session=db(),
                brand=brand,
                actor=g.user,
                auto_moderation=request.form.get("auto_moderation") == "on",
                ack_enabled=request.form.get("ack_enabled") == "on",
                ack_text=request.form.get("ack_text", "")[:2000],
            )
            db().commit()
            flash(_("Réglages enregistrés."), "success")
            return redirect(url_for("admin.brand_moderation", brand_id=brand.id))
        except meta_settings.SettingsError as exc:
            db().rollback()
            error = str(exc)
    settings = meta_settings.current(brand)
    if error:
        settings = {**settings, "ack_text": request.form.get("ack_text", ""), "ack_enabled": True}
    status = 422 if error else 200
    return render_template(
        "admin/brand_moderation.html", brand=brand, s=settings, error=error
    ), status


@bp.post("/accounts/<int:account_id>/meta-options")
@permission_required(ADMIN)
def meta_options(account_id: int) -> Any:
    """A Meta account's messaging switches: read conversations, the Human Agent tag."""
    account = g.scope.get_or_404(db(), ConnectorAccount, account_id, ADMIN)
    if account.platform not in ("facebook", "instagram"):
        abort(404)
    meta_settings.save_account_options(
        session=db(),
        account=account,
        actor=g.user,
        direct_messages=request.form.get("direct_messages") == "on",
        human_agent_tag=request.form.get("human_agent_tag") == "on",
    )
    db().commit()
    flash(_("Réglages enregistrés."), "success")
    return redirect(url_for("admin.account_detail", account_id=account.id) + "#meta-webhook")
