"""The customer's satisfaction survey: a public page (no login), phone-first, at /s/<token>.

Shown in the case's language whatever the browser says: the customer wrote in it.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template, request
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from app.config import LANGUAGES
from app.extensions import db, limiter
from app.services import surveys

bp = Blueprint("surveys", __name__, url_prefix="/s")

ERRORS = {
    "csat_missing": _l("Choisissez une note de 1 à 5."),
    "csat_range": _l("Choisissez une note de 1 à 5."),
    "nps_range": _l("La recommandation se note de 0 à 10."),
    "ces_range": _l("La facilité se note de 1 à 7."),
    "comment_long": _l("Le commentaire fait 1 000 caractères au plus."),
}


def _page(survey: surveys.OpenSurvey | None, token: str, **context: Any) -> Any:
    return render_template(
        "surveys/answer.html", survey=survey, token=token, errors=ERRORS, **context
    )


@bp.route("/<token>", methods=["GET", "POST"])
@limiter.limit("30/minute")
def answer(token: str) -> Any:
    """Ask the questions (GET); take the answer once (POST)."""
    session = db()
    try:
        survey = surveys.open_survey(
            session=session, token=token[:400], secret_key=current_app.config["SECRET_KEY"]
        )
    except surveys.SurveyError as exc:
        status = 410 if str(exc) == "expired" else 404
        return _page(None, token, problem=str(exc)), status
    language = survey.case.language if survey.case.language in LANGUAGES else "fr"
    with force_locale(language):
        if request.method == "GET":
            return _page(survey, token, done=survey.answer is not None)
        if survey.answer is not None:
            return _page(survey, token, done=True), 409
        try:
            surveys.record_answer(session=session, survey=survey, form=request.form)
        except surveys.SurveyError as exc:
            session.rollback()
            if str(exc) == "answered":
                return _page(survey, token, done=True), 409
            return _page(survey, token, error=str(exc), form=request.form), 422
        session.commit()
        return _page(survey, token, done=True, thanks=True)
