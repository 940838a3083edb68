"""The brand owners' portal: approvals, escalations, recent activity and the brand's figures.

Leads get the same approval cards on ``/approvals`` for the replies reserved to them. Every
action goes through ``services.approvals`` / ``services.escalations``, which check the role
on the record's brand: the buttons shown here are a convenience, not the enforcement.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import col, select

from app.extensions import db, htmx
from app.models import AuditEvent, Brand, Case, Escalation, Reply, User, utcnow
from app.params import digits
from app.security.auth import login_required, permission_required
from app.services import (
    approvals,
    case_view,
    escalations,
    metrics,
    portal_desk,
    report_figures,
)
from app.services.approvals import ApprovalError, ApprovalForbidden
from app.services.escalations import AnswerForbidden, EscalationError
from app.ui import report_charts
from app.ui.navigation import NavItem, register

bp = Blueprint("portal", __name__)
PORTAL = "portal.view"
FIGURES_DAYS = 30

# The leads' approval list is an area of its own (the brand portal is for brand owners).
register(NavItem("portal.approvals", _l("Validations"), "approve.lead"))


def _brands() -> list[Brand]:
    return list(db().exec(g.scope.select(Brand, PORTAL).order_by(Brand.name)).all())


def _chosen_brand(brands: list[Brand]) -> Brand:
    raw = request.values.get("brand", "")
    if digits(raw):
        for brand in brands:
            if brand.id == int(raw):
                return brand
        abort(404)
    if not brands:
        abort(403)
    return brands[0]


def _record_or_404(model: type, record_id: int) -> Any:
    """A record of one of the user's brands (any role), else 404: no existence leak."""
    record = db().get(model, record_id)
    if record is None or record.brand_id not in g.scope.roles_by_brand:
        abort(404)
    return record


def _context_for_replies(replies: list[Reply]) -> dict[str, Any]:
    """Cases, mentions and authors of a list of replies, fetched in batches."""
    case_ids = {r.case_id for r in replies}
    cases = {c.id: c for c in db().exec(select(Case).where(col(Case.id).in_(case_ids)))}
    # The mention that set the case's decision (the most serious one), not the newest.
    mentions = case_view.decisive_mentions(session=db(), cases=cases.values())
    user_ids = {r.author_user_id for r in replies} | {r.approved_by_id for r in replies}
    users = {u.id: u for u in db().exec(select(User).where(col(User.id).in_(user_ids - {None})))}
    return {"cases": cases, "mentions": mentions, "users": users}


def _reply_card(
    reply: Reply,
    error: str | None = None,
    status: int = 200,
    edited_text: str | None = None,
    override_reason: str = "",
) -> Any:
    ctx = _context_for_replies([reply])
    can = approvals.can_approve(db(), reply, g.scope)
    values = {
        "reply": reply,
        "can_approve": can,
        "can_promote": g.scope.can("approve.brand", reply.brand_id),
        "error": error,
        "edited_text": edited_text,
        "override_reason": override_reason,
        **ctx,
    }
    if htmx:
        return render_template("portal/_reply.html", **values), status
    # Without JavaScript a refused action shows its card alone, the approver's input kept.
    return render_template("portal/card.html", card="portal/_reply.html", **values), status


def _back(brand_id: int, anchor: str, role: str | None) -> Any:
    if role == "lead":
        return redirect(url_for("portal.approvals") + f"#{anchor}")
    return redirect(url_for("portal.index", brand=brand_id) + f"#{anchor}")


@bp.get("/portal")
@permission_required(PORTAL)
def index() -> Any:
    """The brand owner's desk: what waits for them first, then activity and figures."""
    brands = _brands()
    if not request.values.get("brand") and len(brands) > 1:
        # No brand asked for: open on the one where something urgent or pending waits.
        first = portal_desk.most_pressing_brand(
            session=db(), brand_ids=[b.id for b in brands if b.id is not None]
        )
        brands.sort(key=lambda b: b.id != first)
    brand = _chosen_brand(brands)
    assert brand.id is not None
    replies = approvals.pending(session=db(), scope=g.scope, brand_id=brand.id, role="brand")
    recent_replies = list(
        db().exec(
            select(Reply)
            .where(Reply.brand_id == brand.id, col(Reply.approval_state).in_(["approved"]))
            .order_by(col(Reply.approved_at).desc())
            .limit(5)
        )
    )
    open_escalations = list(
        db().exec(
            select(Escalation)
            .where(Escalation.brand_id == brand.id, Escalation.state == "open")
            .order_by(col(Escalation.urgency).desc(), col(Escalation.created_at))
        )
    )
    ctx = _context_for_replies(replies + recent_replies)
    esc_cases = {
        c.id: c
        for c in db().exec(
            select(Case).where(col(Case.id).in_({e.case_id for e in open_escalations}))
        )
    }
    esc_mentions = case_view.decisive_mentions(session=db(), cases=esc_cases.values())
    activity = list(
        db().exec(
            select(AuditEvent)
            .where(AuditEvent.brand_id == brand.id)
            .order_by(col(AuditEvent.created_at).desc(), col(AuditEvent.id).desc())
            .limit(15)
        )
    )
    now = utcnow()
    figures = metrics.brand_figures(
        session=db(),
        brand_ids=[brand.id],
        start=now - timedelta(days=FIGURES_DAYS),
        end=now + timedelta(seconds=1),
        now=now,
    )
    # This month so far, for the two small charts under the figures (from the rollups).
    month_report = report_figures.build_report(
        session=db(),
        brand_ids=[brand.id],
        first_day=now.date().replace(day=1),
        last_day=now.date(),
        with_cms=False,
    )
    return render_template(
        "portal/index.html",
        month_charts=[
            report_charts.volume_by_channel(month_report, "portal-volume"),
            report_charts.autonomy_trend(month_report, "portal-autonomy"),
        ],
        brands=brands,
        brand=brand,
        replies=replies,
        recent_replies=recent_replies,
        escalations=open_escalations,
        esc_cases=esc_cases,
        esc_mentions=esc_mentions,
        activity=activity,
        figures=figures,
        target=metrics.AUTONOMY_TARGET,
        fmt_duration=metrics.format_duration,
        days=FIGURES_DAYS,
        can_answer=lambda e: escalations.can_answer(db(), e, g.scope),
        **ctx,
    )


@bp.get("/approvals", endpoint="approvals")
@permission_required("approve.lead")
def approvals_page() -> Any:
    """Replies the playbook reserves for a lead (and brand ones the brand handed over)."""
    replies = approvals.pending(session=db(), scope=g.scope)
    replies = [r for r in replies if r.approver_role != "brand" or not g.scope.can(PORTAL)]
    brands = {b.id: b for b in db().exec(g.scope.select(Brand, "approve.lead"))}
    return render_template(
        "portal/approvals.html", replies=replies, brands=brands, **_context_for_replies(replies)
    )


def _reply_action(reply_id: int, action: str) -> Any:
    reply = _record_or_404(Reply, reply_id)
    role = reply.approver_role
    try:
        if action == "approve":
            edited = request.form.get("text")
            approvals.approve(
                session=db(),
                reply=reply,
                actor=g.user,
                scope=g.scope,
                edited_text=edited if request.form.get("edit") == "1" else None,
                comment=request.form.get("comment", "")[:2000],
                override_reason=request.form.get("override_reason", "")[:2000],
            )
            message = _("Réponse validée : elle part dans la file d'envoi.")
        elif action == "reject":
            approvals.reject(
                session=db(),
                reply=reply,
                actor=g.user,
                scope=g.scope,
                comment=request.form.get("comment", "")[:5000],
            )
            message = _("Réponse refusée : l'agence est prévenue.")
        else:
            canned = approvals.promote_to_canned(
                session=db(),
                reply=reply,
                actor=g.user,
                scope=g.scope,
                title=request.form.get("title", "")[:200],
            )
            message = _("Réponse type « %(title)s » enregistrée.", title=canned.title)
        db().commit()
    except ApprovalForbidden:
        db().rollback()
        abort(403)
    except ApprovalError as exc:
        db().rollback()
        db().refresh(reply)
        edited = request.form.get("text") if request.form.get("edit") == "1" else None
        return _reply_card(
            reply,
            error=str(exc),
            status=422,
            edited_text=edited,
            override_reason=request.form.get("override_reason", "")[:2000],
        )
    if htmx:
        return _reply_card(reply)
    flash(message, "success")
    return _back(reply.brand_id, f"reply-{reply.id}", role)


@bp.post("/portal/replies/<int:reply_id>/approve")
@login_required
def approve(reply_id: int) -> Any:
    """Approve a reply as written, or as edited by the approver."""
    return _reply_action(reply_id, "approve")


@bp.post("/portal/replies/<int:reply_id>/reject")
@login_required
def reject(reply_id: int) -> Any:
    """Refuse a reply, saying why."""
    return _reply_action(reply_id, "reject")


@bp.post("/portal/replies/<int:reply_id>/promote")
@login_required
def promote(reply_id: int) -> Any:
    """Make an approved reply an approved canned reply the agency may send alone next time."""
    return _reply_action(reply_id, "promote")


def _escalation_action(escalation_id: int, action: str) -> Any:
    escalation = _record_or_404(Escalation, escalation_id)
    try:
        if action == "answer":
            escalations.answer(
                session=db(),
                escalation=escalation,
                actor=g.user,
                scope=g.scope,
                text=request.form.get("text", "")[:5000],
                # No default: a text is published or passed on only as its author chose.
                kind=request.form.get("kind", ""),
                override_reason=request.form.get("override_reason", "")[:2000],
            )
            message = _("Réponse transmise à l'agence.")
        else:
            escalations.mark_handled(
                session=db(),
                escalation=escalation,
                actor=g.user,
                scope=g.scope,
                note=request.form.get("note", "")[:2000],
            )
            message = _("Escalade marquée comme traitée.")
        db().commit()
    except AnswerForbidden:
        db().rollback()
        abort(403)
    except EscalationError as exc:
        db().rollback()
        db().refresh(escalation)
        # The owner's choice, text and reason come back with the message, nothing to retype.
        return _escalation_card(
            escalation,
            error=str(exc),
            status=422,
            text=request.form.get("text", "")[:5000],
            kind=request.form.get("kind", ""),
            override_reason=request.form.get("override_reason", "")[:2000],
        )
    if htmx:
        return _escalation_card(escalation)
    flash(message, "success")
    return _back(escalation.brand_id, f"escalation-{escalation.id}", None)


def _escalation_card(
    escalation: Escalation,
    error: str | None = None,
    status: int = 200,
    text: str = "",
    kind: str = "",
    override_reason: str = "",
) -> Any:
    case = db().get(Case, escalation.case_id)
    mention = (
        case_view.decisive_mentions(session=db(), cases=[case]).get(case.id or 0) if case else None
    )
    values = {
        "escalation": escalation,
        "case": case,
        "mention": mention,
        "error": error,
        "text": text,
        "kind": kind,
        "override_reason": override_reason,
        "can_answer": escalations.can_answer(db(), escalation, g.scope),
    }
    if htmx:
        return render_template("portal/_escalation.html", **values), status
    # Without JavaScript a refused answer shows its card alone, the owner's input kept.
    return render_template("portal/card.html", card="portal/_escalation.html", **values), status


@bp.post("/portal/escalations/<int:escalation_id>/answer")
@login_required
def answer(escalation_id: int) -> Any:
    """Answer an escalation with instructions for the agency or the reply to publish."""
    return _escalation_action(escalation_id, "answer")


@bp.post("/portal/escalations/<int:escalation_id>/handled")
@login_required
def handled(escalation_id: int) -> Any:
    """Close an escalation the brand dealt with itself."""
    return _escalation_action(escalation_id, "handled")
