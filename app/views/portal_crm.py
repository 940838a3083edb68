"""The brand portal's CRM page: the endpoint the person panel asks about a customer.

A route of the ``portal`` blueprint; ``app/views/__init__.py`` imports this module.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.security.auth import permission_required
from app.security.secrets_box import SecretsBox
from app.services import crm_lookup
from app.views.portal import PORTAL, _brands, _chosen_brand, bp

SETTING_ERRORS = {
    "secret_too_short": _l("Le secret de signature fait au moins 16 caractères."),
    "secret_missing": _l("Donnez un secret de signature (16 caractères au moins)."),
}


@bp.route("/portal/crm", methods=["GET", "POST"])
@permission_required(PORTAL)
def crm() -> Any:
    """Set, change or remove the brand's CRM endpoint and its signing secret."""
    brands = _brands()
    brand = _chosen_brand(brands)
    error = None
    if request.method == "POST":
        session = db()
        try:
            if request.form.get("remove") == "1":
                crm_lookup.remove_crm_settings(session=session, brand=brand, actor=g.user)
                flash(_("Le CRM n'est plus interrogé."), "success")
            else:
                crm_lookup.save_crm_settings(
                    session=session,
                    brand=brand,
                    actor=g.user,
                    url=request.form.get("url", "")[:600],
                    secret=request.form.get("secret", "")[:200],
                    box=SecretsBox(current_app.config["VIGIE_ENCRYPTION_KEY"]),
                    allow_private=bool(current_app.config.get("VIGIE_ALLOW_PRIVATE_URLS")),
                )
                flash(_("CRM enregistré."), "success")
            session.commit()
            return redirect(url_for("portal.crm", brand=brand.id))
        except crm_lookup.CrmError as exc:
            session.rollback()
            error = str(SETTING_ERRORS.get(str(exc), str(exc)))
    return render_template(
        "portal/crm.html",
        brands=brands,
        brand=brand,
        current=crm_lookup.crm_settings(brand),
        error=error,
    ), (422 if error else 200)
