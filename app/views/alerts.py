"""Urgent alerts in the console: the banner every page polls, acknowledging, and shifts."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.extensions import db, htmx
from app.models import Brand, Escalation
from app.security.auth import login_required
from app.services import alert_banner, alerts, routing, shifts
from app.ui import page_header

bp = Blueprint("alerts", __name__)


@bp.app_context_processor
def _shift_helper() -> dict[str, Any]:
    def current_shift() -> dict[str, Any] | None:
        """The header's shift switch: None for users who work no shifts."""
        if g.get("user") is None or "community_manager" not in g.scope.all_roles:
            return None
        return {"on": page_header.header_state().on_shift, "brands": page_header.shift_brand_ids()}

    return {"current_shift": current_shift}


def _banner() -> str:
    items = alert_banner.banner_items(session=db(), user=g.user, scope=g.scope)
    return render_template("alerts/_banner.html", items=items)


@bp.get("/alerts/_banner")
def banner() -> Any:
    """The urgent banner: unacknowledged urgent escalations of the user's brands (polled)."""
    if g.get("user") is None:
        return ""
    return _banner()


@bp.post("/alerts/<int:escalation_id>/ack")
@login_required
def acknowledge(escalation_id: int) -> Any:
    """ "J'ai vu, je prends": re-notification stops for everyone, the case's history says who."""
    escalation = db().get(Escalation, escalation_id)
    if escalation is None or escalation.brand_id not in g.scope.roles_by_brand:
        abort(404)
    if not alert_banner.may_acknowledge(g.scope, escalation):
        abort(403)
    done = alerts.acknowledge(session=db(), escalation=escalation, actor=g.user, via="console")
    db().commit()
    if htmx:
        return _banner()
    if done:
        flash(_("Alerte prise en compte : les relances s'arrêtent."), "success")
    else:
        flash(_("Quelqu'un avait déjà pris cette alerte."), "warning")
    if g.scope.can("case.work", escalation.brand_id) or g.scope.can(
        "case.lead", escalation.brand_id
    ):
        return redirect(url_for("cases.show", case_id=escalation.case_id))
    return redirect(
        url_for("portal.index", brand=escalation.brand_id) + f"#escalation-{escalation.id}"
    )


@bp.post("/shift")
@login_required
def shift() -> Any:
    """Start or end the user's shift ("en service") on their brands; audited per brand."""
    action = request.form.get("action", "")
    if action not in ("start", "end"):
        abort(400)
    brands = shifts.shift_brand_ids(session=db(), user=g.user)
    if not brands:
        abort(403)
    changed = shifts.set_on_shift(session=db(), user=g.user, on_shift=action == "start")
    db().commit()
    # Routing follows at once: cases come to a CM going on shift, leave one going off.
    for brand_id in changed:
        brand = db().get(Brand, brand_id)
        if brand is not None and routing.routing_enabled(brand):
            routing.route_brand(session=db(), brand=brand)
            db().commit()
    flash(
        _("Vous êtes en service : les alertes urgentes de vos marques vous parviennent.")
        if action == "start"
        else _("Service terminé : les alertes urgentes ne vous sont plus adressées."),
        "success",
    )
    target = request.form.get("next") or ""
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("home.index")
    return redirect(target)
