"""Older mentions of a case, a page at a time ("voir plus" on the case page).

Routes on the cases blueprint; ``app/views/__init__.py`` imports this module so they register.
"""

from __future__ import annotations

from typing import Any

from flask import abort, g, render_template, request, url_for

from app.extensions import db
from app.security.auth import permission_required
from app.services import case_view
from app.ui.text_markup import highlight
from app.views.cases import VIEW, WORK, _case, bp


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
