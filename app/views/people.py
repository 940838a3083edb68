"""People across channels: "same person?" suggestions on the person panel, confirmed by a CM."""

from __future__ import annotations

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

from app.extensions import db, htmx
from app.models import Person
from app.security.auth import permission_required
from app.services import person_links
from app.services.claims import CaseworkError

bp = Blueprint("people", __name__, url_prefix="/people")
VIEW, WORK = "queue.view", "case.work"


def _render(person: Person, case_id: int | None, joined: person_links.Joined | None = None) -> str:
    return render_template(
        "people/_links.html",
        person=person,
        case_id=case_id,
        joined=joined,
        suggestions=person_links.suggestions(session=db(), person=person),
        labels=person_links.REASON_LABELS,
        can_work=g.scope.can(WORK, person.brand_id),
    )


def _case_id() -> int | None:
    raw = request.values.get("case", "")
    return int(raw) if raw.isdigit() and len(raw) < 12 else None


@bp.get("/<int:person_id>/links")
@permission_required(VIEW)
def links(person_id: int) -> Any:
    """The "same person?" suggestions of the person panel (loaded into the case page)."""
    person = g.scope.get_or_404(db(), Person, person_id, VIEW)
    return _render(person, _case_id())


@bp.post("/<int:person_id>/links/<int:other_id>/<any(confirm, dismiss):decision>")
@permission_required(WORK)
def decide(person_id: int, other_id: int, decision: str) -> Any:
    """Confirm that two people are one (history and cases join) or dismiss the suggestion."""
    session = db()
    person = g.scope.get_or_404(session, Person, person_id, VIEW)
    other = g.scope.get_or_404(session, Person, other_id, VIEW)
    g.scope.require(WORK, person.brand_id)
    if other.brand_id != person.brand_id:
        abort(404)
    reasons = [r for r in request.form.getlist("reason") if r in person_links.REASON_LABELS]
    # What the other identity brings (shown in the panel at once: its handles and cases).
    joined = person_links.joined(session=session, other=other, case_id=_case_id())
    try:
        person_links.decide(
            session=session,
            person=person,
            other=other,
            actor=g.user,
            confirm=decision == "confirm",
            reasons=reasons,
        )
    except CaseworkError as exc:
        session.rollback()
        if htmx:
            return str(exc), 409
        flash(str(exc), "error")
    else:
        session.commit()
        if not htmx:
            flash(_("Rapprochement enregistré."), "success")
    if htmx:
        return _render(person, _case_id(), joined if decision == "confirm" else None)
    case_id = _case_id()
    return redirect(
        url_for("cases.show", case_id=case_id) if case_id else url_for("queue.index")
    ), 303
