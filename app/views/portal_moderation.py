"""The brand's portal: moderation requests (deletes) the playbook reserves to the brand.

Routes of the ``portal`` blueprint; ``app/views/__init__.py`` imports this module.
"""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.extensions import db
from app.models import Brand, ModerationAction, utcnow
from app.security.auth import permission_required
from app.services import moderation_actions
from app.services.claims import CaseworkError
from app.views.portal import bp

APPROVE_BRAND = moderation_actions.DECISION_PERMISSION["brand"]


@bp.get("/portal/moderation")
@permission_required(APPROVE_BRAND)
def moderation_requests() -> Any:
    """Deletes waiting for the brand's approval, on the brands this person approves for."""
    brand_ids = g.scope.brand_ids(APPROVE_BRAND)
    rows = moderation_actions.pending_for_brands(db(), brand_ids)
    brands = {b.id: b for b in db().exec(g.scope.select(Brand, APPROVE_BRAND))}
    return render_template("portal/moderation.html", rows=rows, brands=brands)


@bp.post("/portal/moderation/<int:action_id>")
@permission_required(APPROVE_BRAND)
def decide_moderation(action_id: int) -> Any:
    """The brand approves (the worker carries it out) or refuses a delete."""
    action = g.scope.get_or_404(db(), ModerationAction, action_id, APPROVE_BRAND)
    if action.approver != "brand":
        flash(_("Cette demande est décidée par un superviseur."), "error")
        return redirect(url_for("portal.moderation_requests"))
    approve = request.form.get("decision") == "approve"
    try:
        moderation_actions.decide(
            session=db(), action=action, actor=g.user, approve=approve, now=utcnow()
        )
        db().commit()
    except CaseworkError as exc:
        db().rollback()
        flash(str(exc), "error")
        return redirect(url_for("portal.moderation_requests"))
    flash(_("Suppression validée.") if approve else _("Suppression refusée."), "success")
    return redirect(url_for("portal.moderation_requests"))
