"""The brand's approval of sensitive moderation actions (a ban, a delete) in the portal.

Routes of the ``portal`` blueprint; ``app/views/__init__.py`` imports this module so that they
are registered. One page, /portal/moderation, lists what waits for the brands this person
approves for (the portal's home shows the same list for the brand at hand). The brand owner
sees the comment, who asked and why, and approves or refuses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.extensions import db
from app.models import Brand, Mention, ModerationAction
from app.security.auth import permission_required
from app.services import moderation_actions
from app.services.claims import CaseworkError
from app.views.portal import _record_or_404, bp

APPROVE_BRAND = moderation_actions.BRAND_PERMISSION


@dataclass
class PortalModeration:
    row: ModerationAction
    mention: Mention | None


def _requests(brand_ids: list[int]) -> list[PortalModeration]:
    return [PortalModeration(r, m) for r, m in moderation_actions.awaiting_brand(db(), brand_ids)]


def brand_moderation_requests(brand: Brand) -> list[PortalModeration]:
    """Bans and deletes waiting for this brand's approval, with their comment (portal home)."""
    if brand.id is None or not g.scope.can(APPROVE_BRAND, brand.id):
        return []
    return _requests([brand.id])


bp.add_app_template_global(brand_moderation_requests, "brand_moderation_requests")


@bp.get("/portal/moderation")
@permission_required(APPROVE_BRAND)
def moderation_requests() -> Any:
    """Bans and deletes waiting for the brand's approval, on the brands this person approves for."""
    brand_ids = g.scope.brand_ids(APPROVE_BRAND)
    brands = {b.id: b for b in db().exec(g.scope.select(Brand, APPROVE_BRAND))}
    return render_template("portal/moderation.html", requests=_requests(brand_ids), brands=brands)


def _decide(action_id: int, approve: bool) -> Any:
    row = _record_or_404(ModerationAction, action_id)
    g.scope.require(APPROVE_BRAND, row.brand_id)
    if row.approver != "brand":
        abort(403)  # a lead decides it on the case page
    try:
        moderation_actions.decide(session=db(), row=row, actor=g.user, approve=approve)
        db().commit()
        flash(_("Décision enregistrée."), "success")
    except CaseworkError as exc:
        db().rollback()
        flash(str(exc), "error")
    if request.form.get("next") == "page":
        return redirect(url_for("portal.moderation_requests"))
    return redirect(url_for("portal.index", brand=row.brand_id) + "#moderation-title")


@bp.post("/portal/moderation/<int:action_id>/approve")
@permission_required(APPROVE_BRAND)
def approve_moderation(action_id: int) -> Any:
    """The brand approves a ban or a delete its playbook reserved for it."""
    return _decide(action_id, True)


@bp.post("/portal/moderation/<int:action_id>/refuse")
@permission_required(APPROVE_BRAND)
def refuse_moderation(action_id: int) -> Any:
    """The brand refuses a ban or a delete: nothing happens on the platform."""
    return _decide(action_id, False)
