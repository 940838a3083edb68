"""Case actions on the platform beyond a public reply: a private reply to a comment, and the
"Masqués par règle" list. Deletes are moderation actions (`app/views/case_moderation.py`)."""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlmodel import col, select

from app.extensions import db
from app.models import Brand, Mention
from app.security.auth import permission_required
from app.services import case_platform, meta_messaging
from app.services.claims import CaseworkError
from app.views.cases import _case, _fail, _mention, bp

WORK, LEAD = "case.work", "case.lead"


def _back(case_id: int, anchor: str = "platform") -> Any:
    return redirect(url_for("cases.show", case_id=case_id) + f"#{anchor}")


@bp.post("/<int:case_id>/mentions/<int:mention_id>/private-reply")
@permission_required(WORK)
def private_reply(case_id: int, mention_id: int) -> Any:
    """Queue a private reply (Messenger / Instagram direct) to one comment of the case."""
    case = _case(case_id, WORK)
    mention = _mention(case, mention_id)
    brand = db().get(Brand, case.brand_id)
    assert brand is not None
    try:
        meta_messaging.send_private_reply(
            session=db(),
            case=case,
            brand=brand,
            mention=mention,
            actor=g.user,
            text=request.form.get("text", "")[:5000],
            override_reason=request.form.get("override_reason", "")[:2000],
        )
        db().commit()
    except CaseworkError as exc:
        return _fail(case, exc)
    flash(_("Réponse privée envoyée : elle part dans la file d'envoi."), "success")
    return _back(case_id, "replies")


@bp.get("/hidden-by-rule")
@permission_required("queue.view")
def hidden_by_rule() -> Any:
    """Mentions a playbook rule hid, to review: undo in one click."""
    brand_ids = [b for b in g.scope.brand_ids(WORK)]
    rows = case_platform.hidden_by_rule(db(), brand_ids) if brand_ids else []
    brands = {b.id: b for b in db().exec(select(Brand).where(col(Brand.id).in_(brand_ids)))}
    return render_template("cases/hidden_by_rule.html", rows=rows, brands=brands)


@bp.post("/hidden-by-rule/<int:mention_id>")
@permission_required(WORK)
def review_rule_hide(mention_id: int) -> Any:
    """Undo a rule's hide (or keep / carry it out when automatic hiding is off)."""
    mention = g.scope.get_or_404(db(), Mention, mention_id, WORK)
    keep = request.form.get("decision") == "keep"
    try:
        case_platform.review_rule_hide(
            session=db(), mention=mention, actor=g.user, keep_hidden=keep
        )
        db().commit()
    except CaseworkError as exc:
        db().rollback()
        flash(str(exc), "error")
        return redirect(url_for("cases.hidden_by_rule"))
    flash(_("Mention de nouveau visible.") if not keep else _("Mention masquée."), "success")
    return redirect(url_for("cases.hidden_by_rule"))
