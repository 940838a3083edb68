"""The case page's reply routes: the editor, live proofreading, sending or submitting, and the
outbox actions on a reply (retry, a variant of a refused duplicate, published by hand).

They are routes of the ``cases`` blueprint (same URLs and endpoint names), kept in their own
room; ``app/views/__init__.py`` imports this module so that they are registered.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

import canned_replies
from app.extensions import db, htmx
from app.models import (
    Brand,
    Case,
    Reply,
    utcnow,
)
from app.security.auth import permission_required
from app.services import (
    case_references,
    case_view,
    claims,
    outbox_states,
    public_text,
    replies,
    reply_variants,
    surveys,
)
from app.services.claims import CaseworkError
from app.services.replies import ReplyDraft
from app.ui.text_markup import mark_findings
from app.views.cases import (
    VIEW,
    WORK,
    _canned,
    _case,
    _fail,
    _length,
    _page,
    _seen_version,
    _to_queue,
    _variable_values,
    bp,
)


@bp.route("/<int:case_id>/editor", methods=["GET", "POST"])
@permission_required(WORK)
def editor(case_id: int) -> Any:
    """The reply editor filled from a canned reply, or with the variables the CM typed."""
    case = _case(case_id, WORK)
    source = request.args if request.method == "GET" else request.form
    canned = _canned(case, source.get("canned"))
    if request.method == "GET" and canned is not None:
        detail = case_view.case_detail(session=db(), case=case)
        first = detail.mentions[-1] if detail.mentions else None
        variables = replies.reply_variables(
            case=case,
            brand=detail.brand,
            person=detail.person,
            author=first.author if first else None,
            actor=g.user,
            references=case_references.reference_variables(
                case_references.case_references(detail.mentions, detail.replies)
            ),
        )
        # A closing reply asking for {{ lien_satisfaction }} gets the case's survey link.
        variables |= surveys.survey_variables(
            case,
            canned.body,
            secret_key=current_app.config["SECRET_KEY"],
            public_url=current_app.config["VIGIE_SETTINGS"].public_url,
        )
        try:
            text, _missing_vars = replies.render_canned(canned.body, variables)
        except ValueError:
            text = canned.body
    else:
        text = canned_replies.fill_markers(request.form.get("text", ""), _variable_values())
    context = {
        "case": case,
        "canned": canned,
        "text": text,
        "missing": canned_replies.missing_markers(text),
        "mode": replies.reply_mode(case),
        "approver": replies.approver_for(case),
        "length": _length(case, text),
        "error": None,
        # A re-rendered editor keeps the version of the page the user is reading.
        "version": _seen_version() or case.version,
    }
    if htmx:
        return render_template("cases/_editor.html", **context)
    return _page(case, text=text, canned=canned)


@bp.post("/<int:case_id>/proofread")
@permission_required(WORK)
def proofread(case_id: int) -> Any:
    """Live proofreading of the draft: findings with one-click fixes, and the length counter."""
    case = _case(case_id, WORK)
    text = request.form.get("text", "")
    brand_row = db().get(Brand, case.brand_id)
    assert brand_row is not None
    # The same gate as sending: the answered mention's language and channel.
    target = public_text.target(session=db(), case=case)
    gate = public_text.check(
        brand=brand_row, text=text, language=target.language, channel=target.channel
    )
    if claims.claim_active(case) and case.assignee_id == g.user.id:
        claims.claim(session=db(), case=case, actor=g.user)  # typing renews the claim
        db().commit()
    return render_template(
        "cases/_proofread.html",
        case=case,
        text=text,
        findings=gate.findings,
        marked=mark_findings(text, gate.findings),
        unavailable=gate.proofreading.unavailable,
        language=gate.proofreading.language,
        length=gate.length,
    )


@bp.post("/<int:case_id>/reply")
@permission_required(WORK)
def reply(case_id: int) -> Any:
    """Send the reply (agency alone) or submit it for approval, as the delegation says."""
    case = _case(case_id, WORK)
    brand = db().get(Brand, case.brand_id)
    assert brand is not None
    canned = _canned(case, request.form.get("canned"))
    text = canned_replies.fill_markers(request.form.get("text", ""), _variable_values())
    # The reply answers the case's newest mention: its language and channel are checked.
    target = public_text.target(session=db(), case=case)
    draft = ReplyDraft(
        text=text,
        canned_reply=canned,
        override_reason=request.form.get("override_reason", "")[:2000],
        mention_id=target.mention_id,
        target=target,  # the gate checks with it: the mention and its language read once
    )
    wanted = request.form.get("action", "send")
    try:
        if wanted == "send":
            # The delegation decides, whatever the client posted: send_reply refuses otherwise.
            sent = replies.send_reply(
                session=db(),
                case=case,
                brand=brand,
                actor=g.user,
                draft=draft,
                seen_version=_seen_version(),
            )
            if sent.outbox_state == "manual":
                message = _(
                    "Réponse enregistrée, à publier à la main : ce canal ne permet pas l'envoi "
                    "automatique. Copiez-la depuis le cas, publiez-la, puis confirmez."
                )
            else:
                message = _("Réponse envoyée : elle part dans la file d'envoi.")
        else:
            replies.submit_for_approval(
                session=db(),
                case=case,
                brand=brand,
                actor=g.user,
                draft=draft,
                seen_version=_seen_version(),
            )
            message = _("Réponse soumise à validation.")
        db().commit()
    except CaseworkError as exc:
        db().rollback()
        db().refresh(case)
        return _page(
            case,
            text=text,
            canned=canned,
            error=str(exc),
            override_open=isinstance(exc, replies.ProofreadingBlocked),
            status=409 if isinstance(exc, claims.ClaimConflict) else 422,
        )
    flash(message, "success")
    return _to_queue()


def _on_reply(case_id: int, reply_id: int, act: Callable[[Case, Reply], object], done: str) -> Any:
    """One outbox action on a case's reply: act, commit, say so; a refusal keeps the page."""
    case = _case(case_id, WORK)
    reply = g.scope.get_or_404(db(), Reply, reply_id, VIEW)
    try:
        act(case, reply)
        db().commit()
    except outbox_states.ManualPublishError as exc:
        return _fail(case, CaseworkError(str(exc)))
    except CaseworkError as exc:
        return _fail(case, exc)
    flash(done, "success")
    return redirect(url_for("cases.show", case_id=case.id) + "#replies")


@bp.post("/<int:case_id>/replies/<int:reply_id>/retry")
@permission_required(WORK)
def retry_reply(case_id: int, reply_id: int) -> Any:
    """Queue a failed reply again (after checking the platform)."""
    return _on_reply(
        case_id,
        reply_id,
        lambda case, reply: replies.requeue_failed_reply(
            session=db(), case=case, reply=reply, actor=g.user
        ),
        _("La réponse repart dans la file d'envoi."),
    )


@bp.post("/<int:case_id>/replies/<int:reply_id>/variant")
@permission_required(WORK)
def send_variant(case_id: int, reply_id: int) -> Any:
    """Send a variation of a reply the platform refused as a duplicate of a recent post."""
    return _on_reply(
        case_id,
        reply_id,
        lambda case, reply: reply_variants.send_variant(
            session=db(), case=case, reply=reply, actor=g.user
        ),
        _("La variante part dans la file d'envoi."),
    )


@bp.post("/<int:case_id>/replies/<int:reply_id>/published")
@permission_required(WORK)
def reply_published_by_hand(case_id: int, reply_id: int) -> Any:
    """Confirm that a person published by hand a reply the channel cannot send."""
    return _on_reply(
        case_id,
        reply_id,
        lambda case, reply: outbox_states.mark_published_by_hand(
            session=db(),
            case=case,
            reply=reply,
            actor=g.user,
            url=request.form.get("url", "")[:1000],
            now=utcnow(),
        ),
        _("Réponse marquée publiée : elle compte comme réponse au client."),
    )
