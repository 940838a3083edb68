"""The mentions of a case one at a time: older ones a page at a time ("voir plus" on the case
page), hiding one, moving one out into a case of its own.

Routes on the cases blueprint; ``app/views/__init__.py`` imports this module so they register.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.extensions import db, htmx
from app.security.auth import permission_required
from app.services import case_view, casework, merge_split
from app.services.claims import CaseworkError
from app.ui.text_markup import highlight
from app.views.cases import VIEW, WORK, _case, _fail, _mention, bp


def older_mentions_url(case_id: int, cursor: str | None, skip: int | None) -> str | None:
    """The "voir plus" link for mentions older than the cursor (None when there are none)."""
    if cursor is None:
        return None
    return url_for("cases.mentions", case_id=case_id, before=cursor, skip=skip)


@bp.get("/<int:case_id>/mentions")
@permission_required(VIEW)
def mentions(case_id: int) -> Any:
    """The page of mentions posted before `before`, with the next "voir plus" link."""
    case = _case(case_id)
    before = case_view.decode_mention_cursor(request.args.get("before", ""))
    if before is None:
        abort(400)
    skip = request.args.get("skip", type=int)  # the decisive mention, already shown on top
    page = case_view.mention_page(session=db(), case=case, before=before)
    return render_template(
        "cases/_older_mentions.html",
        older=page.views,
        older_url=older_mentions_url(case.id, page.older_cursor, skip),  # type: ignore[arg-type]
        skip=skip,
        case=case,
        can_work=g.scope.can(WORK, case.brand_id),
        highlight=highlight,
        evidence_spans=case_view.evidence_spans,
    )


@bp.post("/<int:case_id>/mentions/<int:mention_id>/hide")
@permission_required(WORK)
def hide(case_id: int, mention_id: int) -> Any:
    """Hide one mention of the case."""
    case = _case(case_id, WORK)
    mention = _mention(case, mention_id)
    try:
        casework.hide_mention(session=db(), case=case, mention=mention, actor=g.user)
        db().commit()
    except CaseworkError as exc:
        return _fail(case, exc)
    if htmx:
        view = next(
            v
            for v in case_view.case_mentions(session=db(), case=case)
            if v.mention.id == mention.id
        )
        return render_template(
            "cases/_mention.html",
            m=view,
            case=case,
            can_work=True,
            highlight=highlight,
            evidence_spans=case_view.evidence_spans,
            events=case_view.timeline(session=db(), case=case),
            oob=True,
        )
    flash(_("Mention masquée."), "success")
    return redirect(url_for("cases.show", case_id=case.id))


@bp.post("/<int:case_id>/mentions/<int:mention_id>/split")
@permission_required(WORK)
def split(case_id: int, mention_id: int) -> Any:
    """Move a mention out into a case of its own."""
    case = _case(case_id, WORK)
    mention = _mention(case, mention_id)
    try:
        new_case = merge_split.split(session=db(), case=case, mention=mention, actor=g.user)
        db().commit()
    except CaseworkError as exc:
        return _fail(case, exc)
    flash(_("Mention déplacée dans un nouveau cas."), "success")
    return redirect(url_for("cases.show", case_id=new_case.id))
