"""The brand's approval of sensitive moderation actions (a ban) in the portal.

Routes of the ``portal`` blueprint; ``app/views/__init__.py`` imports this module so that they
are registered. The brand owner sees the comment and who asked, and approves or refuses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import abort, flash, g, redirect, url_for
from flask_babel import gettext as _

from app.extensions import db
from app.models import Brand, Mention, ModerationAction
from app.security.auth import permission_required
from app.services import moderation_actions
from app.services.claims import CaseworkError
from app.views.portal import _record_or_404, bp

APPROVE_BRAND = "approve.brand"


@dataclass
class PortalModeration:
    row: ModerationAction
    mention: Mention | None


def brand_moderation_requests(brand: Brand) -> list[PortalModeration]:
    """Bans waiting for this brand's approval, with their comment (for the portal desk)."""
    if brand.id is None or not g.scope.can(APPROVE_BRAND, brand.id):
        return []
    rows = moderation_actions.awaiting_brand(db(), [brand.id])
    return [PortalModeration(r, db().get(Mention, r.mention_id)) for r in rows]


bp.add_app_template_global(brand_moderation_requests, "brand_moderation_requests")


def _decide(action_id: int, approve: bool) -> Any:
    row = _record_or_404(ModerationAction, action_id)
    g.scope.require(APPROVE_BRAND, row.brand_id)
    if row.approver != "brand":
        abort(403)
    try:
        moderation_actions.decide(session=db(), row=row, actor=g.user, approve=approve)
        db().commit()
        flash(_("Décision enregistrée."), "success")
    except CaseworkError as exc:
        db().rollback()
        flash(str(exc), "error")
    return redirect(url_for("portal.index", brand=row.brand_id) + "#moderation-title")


@bp.post("/portal/moderation/<int:action_id>/approve")
@permission_required(APPROVE_BRAND)
def approve_moderation(action_id: int) -> Any:
    """The brand approves a ban its playbook reserved for it."""
    return _decide(action_id, True)


@bp.post("/portal/moderation/<int:action_id>/refuse")
@permission_required(APPROVE_BRAND)
def refuse_moderation(action_id: int) -> Any:
    """The brand refuses a ban: nothing happens on the platform."""
    return _decide(action_id, False)
