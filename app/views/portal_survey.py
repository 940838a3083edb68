"""The brand portal's satisfaction-survey page: which questions the customer is asked.

A route of the ``portal`` blueprint; ``app/views/__init__.py`` imports this module.
"""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.extensions import db
from app.params import digits
from app.security.auth import permission_required
from app.services import surveys
from app.views.portal import PORTAL, _brands, _chosen_brand, bp


@bp.route("/portal/survey", methods=["GET", "POST"])
@permission_required(PORTAL)
def survey() -> Any:
    """CSAT is always asked; NPS and effort (CES) when the brand wants them; link validity."""
    brands = _brands()
    brand = _chosen_brand(brands)
    current = surveys.survey_settings(brand)
    error = None
    if request.method == "POST":
        raw_days = (request.form.get("expiry_days") or "").strip()
        if not digits(raw_days) or not 1 <= int(raw_days) <= 90:
            error = _("La validité du lien se donne en jours, de 1 à 90.")
        else:
            surveys.save_survey_settings(
                session=db(),
                brand=brand,
                actor=g.user,
                settings=surveys.SurveySettings(
                    nps=request.form.get("nps") == "1",
                    ces=request.form.get("ces") == "1",
                    expiry_days=int(raw_days),
                ),
            )
            db().commit()
            flash(_("Questionnaire enregistré."), "success")
            return redirect(url_for("portal.survey", brand=brand.id))
    return render_template(
        "portal/survey.html", brands=brands, brand=brand, current=current, error=error
    ), (422 if error else 200)
