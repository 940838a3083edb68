"""Moderation actions in a case (hold, reject, publish, ban, delete) and their approval by a lead.

Routes on the cases blueprint; ``app/views/__init__.py`` imports this module so they register.
Asking needs `case.work`; a ban or a delete waits for a lead holding the action's permission
(`moderation_actions.permission_for`) — or the brand, in the portal, when the case is reserved
to it — unless such a lead asks it (the rule: `app/services/moderation_actions.py`).
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _

from app.extensions import db
from app.models import Case, ModerationAction
from app.security.auth import permission_required
from app.services import moderation_actions
from app.services.claims import CaseworkError
from app.ui.case_page_reads import mention_moderation
from app.views.cases import WORK, _case, _mention, bp

bp.add_app_template_global(mention_moderation, "mention_moderation")
bp.add_app_template_global(moderation_actions.permission_for, "moderation_permission")


def _back(case: Case, mention_id: int) -> Any:
    return redirect(url_for("cases.show", case_id=case.id) + f"#mention-{mention_id}")


@bp.post("/<int:case_id>/mentions/<int:mention_id>/moderate")
@permission_required(WORK)
def moderate(case_id: int, mention_id: int) -> Any:
    """Ask for a moderation action on one mention (carried out by the worker)."""
    case = _case(case_id, WORK)
    mention = _mention(case, mention_id)
    action = request.form.get("action", "")
    try:
        row = moderation_actions.request(
            session=db(),
            case=case,
            mention=mention,
            action=action,
            actor=g.user,
            may_decide=g.scope.can(moderation_actions.permission_for(action), case.brand_id),
            reason=request.form.get("reason", "")[:2000],
        )
        db().commit()
    except CaseworkError as exc:
        db().rollback()
        flash(str(exc), "error")
        return _back(case, mention.id)  # type: ignore[arg-type]
    if row.state == "awaiting_approval":
        flash(
            _("Demande envoyée : cette action attend l'accord d'un superviseur.")
            if row.approver == "lead"
            else _("Demande envoyée : cette action attend l'accord de la marque."),
            "success",
        )
    else:
        flash(_("Action de modération envoyée à la plateforme."), "success")
    return _back(case, mention.id)  # type: ignore[arg-type]


def _row(case: Case, action_id: int) -> ModerationAction:
    row = db().get(ModerationAction, action_id)
    if row is None or row.case_id != case.id:
        abort(404)
    return row


def _decide(case_id: int, action_id: int, approve: bool) -> Any:
    case = _case(case_id, WORK)
    row = _row(case, action_id)
    if row.approver != "lead":
        abort(403)  # the brand's approval is given in the portal
    g.scope.require(moderation_actions.permission_for(row.action), case.brand_id)
    try:
        moderation_actions.decide(session=db(), row=row, actor=g.user, approve=approve)
        db().commit()
    except CaseworkError as exc:
        db().rollback()
        flash(str(exc), "error")
    return _back(case, row.mention_id)


@bp.post("/<int:case_id>/moderation/<int:action_id>/approve")
@permission_required(WORK)
def approve_moderation(case_id: int, action_id: int) -> Any:
    """A lead approves a sensitive moderation action (ban, delete): the worker carries it out."""
    return _decide(case_id, action_id, True)


@bp.post("/<int:case_id>/moderation/<int:action_id>/refuse")
@permission_required(WORK)
def refuse_moderation(case_id: int, action_id: int) -> Any:
    """A lead refuses a sensitive moderation action: nothing happens on the platform."""
    return _decide(case_id, action_id, False)


@bp.post("/<int:case_id>/moderation/<int:action_id>/cancel")
@permission_required(WORK)
def cancel_moderation(case_id: int, action_id: int) -> Any:
    """Withdraw a moderation request not yet carried out."""
    case = _case(case_id, WORK)
    row = _row(case, action_id)
    try:
        moderation_actions.cancel(session=db(), row=row, actor=g.user)
        db().commit()
    except CaseworkError as exc:
        db().rollback()
        flash(str(exc), "error")
    return _back(case, row.mention_id)
