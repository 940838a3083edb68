"""The case view: read a case, claim it, reply with a proofread canned reply, escalate, close."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask import session as flask_session
from flask_babel import gettext as _
from flask_htmx import make_response
from sqlalchemy import bindparam
from sqlmodel import col, select

import canned_replies
from app.extensions import db, htmx
from app.models import (
    SEVERITIES,
    Brand,
    CannedReply,
    Case,
    Membership,
    Mention,
    Person,
    User,
    utcnow,
)
from app.params import digits
from app.security.auth import permission_required
from app.security.roles import roles_with
from app.services import (
    case_platform,
    case_references,
    case_view,
    casework,
    claims,
    cluster_view,
    escalations,
    merge_split,
    public_text,
    queue,
    replies,
    reply_variants,
)
from app.services.case_locks import CaseChanged
from app.services.claims import CaseworkError
from app.services.read_transactions import end_reads, undo
from app.ui.case_page_reads import read_ahead
from app.ui.text_markup import highlight
from app.views.queue import queue_row

bp = Blueprint("cases", __name__, url_prefix="/cases")
VIEW, WORK, LEAD = "queue.view", "case.work", "case.lead"
_VAR_FIELD = re.compile(r"^var_([A-Za-z_][A-Za-z0-9_]{0,63})$")
# Built once (every case request reads it): building it cost about as much CPU as running it.
_WITH_BRAND = (
    select(Case, Brand)
    .join(Brand, col(Brand.id) == Case.brand_id)
    .where(Case.id == bindparam("case_id"))
)


def _case(case_id: int, permission: str = VIEW) -> Case:
    """The case when the user may see it (404 otherwise) and holds the permission (403)."""
    # Read with its brand (the page, the gate and most actions read it), which g holds for the
    # request: the session's identity map keeps objects only while they are referenced.
    g.case_and_brand = db().exec(_WITH_BRAND, params={"case_id": case_id}).first()
    case = g.scope.get_or_404(db(), Case, case_id, VIEW)
    g.scope.require(permission, case.brand_id)
    return case


def _mention(case: Case, mention_id: int) -> Mention:
    mention = g.scope.get_or_404(db(), Mention, mention_id, VIEW)
    if mention.case_id != case.id:
        abort(404)
    return mention


def _error(message: str, status: int = 422) -> Any:
    """An action refused: a message fragment for htmx, a flash and the case page otherwise."""
    return render_template("cases/_message.html", message=message), status


def _seen_version() -> int | None:
    """The case version the posted form was rendered with (None when the client sent none)."""
    raw = request.form.get("version", "")
    return int(raw) if digits(raw) else None


@bp.errorhandler(CaseChanged)
def _case_changed(exc: CaseChanged) -> Any:
    """Someone acted on the case first: nothing was done; show the case as it is now (409)."""
    db().rollback()
    if htmx:
        return _error(str(exc), 409)
    case_id = (request.view_args or {}).get("case_id")
    if case_id is None:
        flash(str(exc), "error")
        return redirect(url_for("queue.index"))
    case = _case(int(case_id))
    # The reply the user typed stays in the editor: it was not sent.
    text = canned_replies.fill_markers(request.form.get("text", ""), _variable_values())
    canned = _canned(case, request.form.get("canned"))
    return _page(case, text=text, canned=canned, conflict=str(exc), status=409)


def _fail(case: Case, exc: CaseworkError) -> Any:
    case_id = case.id  # read before a rollback expires the case
    undo(db())
    status = 409 if isinstance(exc, claims.ClaimConflict) else 422
    if htmx:
        return _error(str(exc), status)
    flash(str(exc), "error")
    return redirect(url_for("cases.show", case_id=case_id))


def _workers(case: Case) -> list[User]:
    """People a lead may hand the case to: those who work on the case's brand."""
    ids = select(Membership.user_id).where(
        Membership.brand_id == case.brand_id, col(Membership.role).in_(roles_with(WORK))
    )
    return list(
        db().exec(select(User).where(col(User.id).in_(ids), User.is_active).order_by(User.email))
    )


def _page(
    case: Case,
    *,
    text: str = "",
    canned: CannedReply | None = None,
    conflict: str | None = None,
    error: str | None = None,
    override_open: bool = False,
    triage_error: str | None = None,
    status: int = 200,
) -> Any:
    session = db()
    detail = case_view.case_detail(session=session, case=case)
    suggestions = replies.suggested_replies(session=session, case=case, triage=detail.triage)
    can_work = g.scope.can(WORK, case.brand_id)
    pinned = detail.pinned_decisive.mention.id if detail.pinned_decisive else None
    page = dict(
        d=detail,
        case=case,
        suggestions=suggestions,
        text=text,
        canned=canned,
        missing=canned_replies.missing_markers(text),
        conflict=conflict,
        error=error,
        override_open=override_open,
        triage_error=triage_error,
        can_work=can_work,
        can_lead=g.scope.can(LEAD, case.brand_id),
        workers=_workers(case) if g.scope.can(LEAD, case.brand_id) else [],
        mode=replies.reply_mode(case),
        approver=replies.approver_for(case),
        severities=SEVERITIES,
        highlight=highlight,
        evidence_spans=case_view.evidence_spans,
        sla_state=queue.sla_state,
        info=case_references.case_panel(session, detail, utcnow()),
        claimed=claims.claim_active(case),
        holder=detail.assignee,
        length=_length(case, text, detail),
        variants=reply_variants.proposals(session, detail.replies),
        platform=case_platform.panel(
            session,
            case,
            latest=[v.mention for v in reversed(detail.mentions)],
            every=detail.older_cursor is None,
        ),
        wave=cluster_view.of_case(
            session=session,
            case=case,
            # The page holds every mention unless older ones exist: chosen from them, no read.
            mentions=[v.mention for v in detail.mentions] if detail.older_cursor is None else None,
        ),
        older_url=detail.older_cursor
        and url_for("cases.mentions", case_id=case.id, before=detail.older_cursor, skip=pinned),
    )
    read_ahead(case, detail)  # the templates' own reads, made now
    end_reads(session)  # every read is done: the render holds no transaction open
    return render_template("cases/show.html", **page), status


def _length(case: Case, text: str, detail: case_view.CaseDetail | None = None) -> Any:
    # Counted as the channel of the mention the reply answers counts it, like the gate does:
    # the case's newest mention (the last of the page, when the page was read already).
    newest = detail.mentions[-1].mention.id if detail and detail.mentions else None
    known = {v.mention.id or 0: v.engine_language for v in detail.mentions} if detail else None
    target = public_text.target(session=db(), case=case, mention_id=newest, detected=known)
    return replies.length_check(text, target.channel)


@bp.get("/<int:case_id>")
@permission_required(VIEW)
def show(case_id: int) -> Any:
    """The case page; opening it to work on it claims it for 15 minutes."""
    case = _case(case_id)
    conflict = None
    if g.scope.can(WORK, case.brand_id) and case.status != "closed":
        try:
            claims.claim(session=db(), case=case, actor=g.user)
            db().commit()
        except CaseworkError as exc:
            undo(db())  # refused before writing (someone holds it): the rows read stay loaded
            conflict = str(exc)
    return _page(case, conflict=conflict)


@bp.post("/<int:case_id>/claim")
@permission_required(WORK)
def claim(case_id: int) -> Any:
    """Take the case (from the queue or the case page)."""
    case = _case(case_id, WORK)
    try:
        claims.claim(session=db(), case=case, actor=g.user)
        db().commit()
    except CaseworkError as exc:
        return _fail(case, exc)
    if htmx and request.form.get("from") == "queue":
        return queue_row(case)
    if htmx:
        return _claim_panel(case)
    return redirect(url_for("cases.show", case_id=case.id))


def _claim_panel(case: Case) -> str:
    holder = db().get(User, case.assignee_id) if case.assignee_id else None
    return render_template(
        "cases/_claim.html",
        case=case,
        claimed=claims.claim_active(case),
        holder=holder,
        can_work=g.scope.can(WORK, case.brand_id),
        can_lead=g.scope.can(LEAD, case.brand_id),
        workers=_workers(case) if g.scope.can(LEAD, case.brand_id) else [],
    )


@bp.post("/<int:case_id>/release")
@permission_required(WORK)
def release(case_id: int) -> Any:
    """Give the case back to the queue."""
    case = _case(case_id, WORK)
    try:
        claims.release(session=db(), case=case, actor=g.user)
        db().commit()
    except CaseworkError as exc:
        return _fail(case, exc)
    flash(_("Cas rendu à la file d'attente."), "success")
    return redirect(url_for("queue.index"))


@bp.post("/<int:case_id>/assign")
@permission_required(LEAD)
def assign(case_id: int) -> Any:
    """A lead hands the case to a team member (or back to the queue)."""
    case = _case(case_id, LEAD)
    raw = request.form.get("assignee_id", "")
    assignee = next((u for u in _workers(case) if str(u.id) == raw), None)
    if raw and assignee is None:
        return _fail(case, CaseworkError(_("Cette personne ne travaille pas sur cette marque.")))
    claims.reassign(session=db(), case=case, actor=g.user, assignee=assignee)
    db().commit()
    flash(_("Cas réattribué."), "success")
    return redirect(url_for("cases.show", case_id=case.id))


@bp.post("/<int:case_id>/triage")
@permission_required(WORK)
def override(case_id: int) -> Any:
    """Correct severity or scenario with a reason (feedback for the playbook)."""
    case = _case(case_id, WORK)
    try:
        row = casework.override_triage(
            session=db(),
            case=case,
            actor=g.user,
            severity=request.form.get("severity", ""),
            scenario=request.form.get("scenario", ""),
            reason=request.form.get("reason", ""),
        )
        db().commit()
    except CaseworkError as exc:
        db().rollback()
        status = 403 if isinstance(exc, casework.CaseworkForbidden) else 422
        if htmx:
            return _error(str(exc), status)
        return _page(case, triage_error=str(exc), status=status)
    flash(_("Triage corrigé ; la correction est transmise à la revue du playbook."), "success")
    if case.action == "escalate_urgent":
        flash(_("Cas escaladé en urgence : l'astreinte de la marque est alertée."), "warning")
    if case.decision_mention_id != row.mention_id:
        flash(
            _(
                "Une autre mention de ce cas reste plus grave : c'est elle qui fixe "
                "maintenant la décision."
            ),
            "warning",
        )
    return redirect(url_for("cases.show", case_id=case.id))


@bp.post("/<int:case_id>/notes")
@permission_required(WORK)
def notes(case_id: int) -> Any:
    """Save the notes on the case's person."""
    case = _case(case_id, WORK)
    person = db().get(Person, case.person_id) if case.person_id else None
    if person is None or person.brand_id != case.brand_id:
        abort(404)
    casework.update_notes(
        session=db(), case=case, person=person, actor=g.user, notes=request.form.get("notes", "")
    )
    db().commit()
    if htmx:
        return render_template(
            "cases/_notes.html", case=case, person=person, saved=True, can_work=True
        )
    flash(_("Notes enregistrées."), "success")
    return redirect(url_for("cases.show", case_id=case.id))


def _to_queue() -> Any:
    """Back to the queue with the filters the user had set."""
    target = url_for("queue.index", **flask_session.get("queue_args", {}))
    if htmx:
        return make_response("", redirect=target)
    return redirect(target)


@bp.post("/<int:case_id>/escalate")
@permission_required(WORK)
def escalate(case_id: int) -> Any:
    """Hand the case to the brand with a reason."""
    case = _case(case_id, WORK)
    try:
        escalations.escalate(
            session=db(),
            case=case,
            actor=g.user,
            reason=request.form.get("reason", ""),
            urgent=request.form.get("urgent") == "1",
            seen_version=_seen_version(),
        )
        db().commit()
    except CaseworkError as exc:
        return _fail(case, exc)
    flash(_("Cas escaladé à la marque."), "success")
    return _to_queue()


@bp.post("/<int:case_id>/close")
@permission_required(WORK)
def close(case_id: int) -> Any:
    """Close the case, or close it as spam (its mentions are hidden)."""
    case = _case(case_id, WORK)
    spam = request.form.get("spam") == "1"
    try:
        casework.close(
            session=db(),
            case=case,
            actor=g.user,
            spam=spam,
            note=request.form.get("note", "")[:2000],
            seen_version=_seen_version(),
        )
        db().commit()
    except CaseworkError as exc:
        return _fail(case, exc)
    flash(_("Cas classé comme spam.") if spam else _("Cas clos."), "success")
    return _to_queue()


@bp.post("/<int:case_id>/merge")
@permission_required(WORK)
def merge(case_id: int) -> Any:
    """Merge another case of the same brand into this one."""
    case = _case(case_id, WORK)
    raw = request.form.get("other_case_id", "").strip().lstrip("#")
    other = db().get(Case, int(raw)) if digits(raw) else None
    if other is None or other.brand_id != case.brand_id or not g.scope.can(WORK, other.brand_id):
        return _fail(case, CaseworkError(_("Aucun cas de cette marque ne porte ce numéro.")))
    try:
        merge_split.merge(
            session=db(), target=case, source=other, actor=g.user, seen_version=_seen_version()
        )
        db().commit()
    except CaseworkError as exc:
        return _fail(case, exc)
    flash(_("Cas n° %(id)s fusionné dans celui-ci.", id=other.id), "success")
    return redirect(url_for("cases.show", case_id=case.id))


def _variable_values() -> dict[str, str]:
    values = {}
    for key, value in request.form.items():
        match = _VAR_FIELD.match(key)
        if match:
            values[match.group(1)] = value[:300]
    return values


def _canned(case: Case, raw: str | None) -> CannedReply | None:
    if not raw or not digits(raw):
        return None
    canned = db().get(CannedReply, int(raw))
    if canned is None or canned.brand_id != case.brand_id:
        return None
    return canned
