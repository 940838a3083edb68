"""The brand dictionary screen: the terms proofreading accepts in the brand's replies."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models import Brand
from app.params import digits
from app.security.auth import permission_required
from app.services import brand_dictionary
from app.services.brand_dictionary import DictionaryError

bp = Blueprint("dictionary", __name__, url_prefix="/playbooks/dictionary")
EDIT = "playbook.edit"

KIND_LABELS = {
    "marque": _l("Marque"),
    "produit": _l("Produit ou service"),
    "lieu": _l("Lieu, gare, magasin"),
    "personne": _l("Personne"),
    "autre": _l("Autre"),
}
ERRORS = {
    "empty": _l("Saisissez au moins un terme."),
    "too_long": _l("Un terme fait 60 caractères au plus."),
    "characters": _l("Les caractères < > { } [ ] \\ ne sont pas acceptés."),
    "kind": _l("Type de terme inconnu."),
    "too_many": _l("Le dictionnaire compte 3 000 termes au plus."),
    "file_too_big": _l("Le fichier fait 500 Ko au plus."),
    "encoding": _l("Le fichier doit être en UTF-8."),
}


def _brands() -> list[Brand]:
    return list(db().exec(g.scope.select(Brand, EDIT).order_by(Brand.name)).all())


def _brand() -> Brand:
    raw = request.values.get("brand_id")
    if raw and digits(raw):
        return g.scope.get_or_404(db(), Brand, int(raw), EDIT)
    brands = _brands()
    if not brands:
        abort(404)
    return brands[0]


def _page(brand: Brand, error: str | None = None, status: int = 200, **extra: Any) -> Any:
    return render_template(
        "playbooks/dictionary.html",
        brand=brand,
        brands=_brands(),
        terms=brand_dictionary.terms(brand),
        kinds=KIND_LABELS,
        error=error,
        **extra,
    ), status


@bp.route("", methods=["GET", "POST"])
@permission_required(EDIT)
def index() -> Any:
    """List the terms; add some (one per line, one type for all)."""
    brand = _brand()
    if request.method == "GET":
        return _page(brand)
    lines = request.form.get("terms", "")[:20_000].splitlines()
    try:
        added = brand_dictionary.add_terms(
            db(), brand, g.user, lines, request.form.get("kind", "autre")
        )
    except DictionaryError as exc:
        db().rollback()
        return _page(brand, str(ERRORS.get(str(exc), exc)), 422, typed=request.form.get("terms"))
    db().commit()
    flash(_("%(n)s terme(s) ajouté(s).", n=len(added)), "success")
    return redirect(url_for("dictionary.index", brand_id=brand.id))


@bp.post("/remove")
@permission_required(EDIT)
def remove() -> Any:
    brand = _brand()
    term = request.form.get("term", "")[:200]
    if not brand_dictionary.remove_term(db(), brand, g.user, term):
        db().rollback()
        abort(404)
    db().commit()
    flash(_("« %(term)s » retiré du dictionnaire.", term=term), "success")
    return redirect(url_for("dictionary.index", brand_id=brand.id))


@bp.post("/import")
@permission_required(EDIT)
def import_csv() -> Any:
    brand = _brand()
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _page(brand, _("Choisissez un fichier CSV."), 422)
    data = upload.stream.read(brand_dictionary.MAX_IMPORT_BYTES + 1)
    try:
        result = brand_dictionary.import_csv(db(), brand, g.user, data)
    except DictionaryError as exc:
        db().rollback()
        return _page(brand, str(ERRORS.get(str(exc), exc)), 422)
    db().commit()
    flash(
        _(
            "Import : %(added)s ajouté(s), %(already)s déjà présent(s), %(refused)s refusé(s).",
            added=result.added,
            already=result.already,
            refused=len(result.refused),
        ),
        "success" if not result.refused else "warning",
    )
    return redirect(url_for("dictionary.index", brand_id=brand.id))


@bp.get("/export.csv")
@permission_required(EDIT)
def export_csv() -> Any:
    brand = _brand()
    return Response(
        brand_dictionary.export_csv(brand),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="dictionnaire-{brand.slug}.csv"'},
    )
