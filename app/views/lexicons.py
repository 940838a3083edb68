"""The brand's own lexicons: playbook editors list, write and delete them; playbooks name them."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.extensions import db
from app.models import Brand, BrandLexicon, User
from app.params import digits
from app.security.auth import permission_required
from app.services import brand_lexicons
from app.services.brand_lexicons import LexiconError

bp = Blueprint("lexicons", __name__, url_prefix="/playbooks/lexicons")
EDIT = "playbook.edit"


def _brands() -> list[Brand]:
    return list(db().exec(g.scope.select(Brand, EDIT).order_by(Brand.name)).all())


def _brand(raw: str | None) -> Brand:
    """The brand asked for (404 when not the editor's), else the editor's first brand."""
    if raw and digits(raw):
        return g.scope.get_or_404(db(), Brand, int(raw), EDIT)
    brands = _brands()
    if not brands:
        abort(404)
    return brands[0]


def _form_terms() -> str:
    # One character over the cap is enough for the service to say the text is too long.
    return request.form.get("terms", "")[: brand_lexicons.MAX_TEXT_CHARS + 1]


def _names(ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    return {u.id: u.email for u in (db().get(User, i) for i in wanted) if u and u.id}


@bp.route("", methods=["GET", "POST"])
@permission_required(EDIT)
def index() -> Any:
    """The brand's stored lexicons, and a form to create one."""
    brand = _brand(request.values.get("brand_id"))
    error, status = None, 200
    form: dict[str, str] = {}
    if request.method == "POST":
        form = {
            "name": request.form.get("name", "")[:200],
            "language": request.form.get("language", "")[:16],
            "terms": _form_terms(),
        }
        try:
            row = brand_lexicons.create_lexicon(
                session=db(),
                brand=brand,
                name=form["name"],
                language=form["language"],
                terms=form["terms"],
                actor=g.user,
            )
            db().commit()
            flash(_("Lexique « %(name)s » créé.", name=row.name), "success")
            return redirect(url_for("lexicons.edit", lexicon_id=row.id))
        except LexiconError as exc:
            db().rollback()
            error, status = str(exc), exc.status
    rows = brand_lexicons.lexicons_of(session=db(), brand_id=brand.id)  # type: ignore[arg-type]
    used = brand_lexicons.usage(session=db(), brand_id=brand.id)  # type: ignore[arg-type]
    usage = {r.id: used.get(r.name, []) for r in rows}
    return render_template(
        "lexicons/index.html",
        brand=brand,
        brands=_brands(),
        lexicons=rows,
        usage=usage,
        emails=_names({r.updated_by_id for r in rows}),
        languages=brand_lexicons.languages_for(brand),
        form=form,
        error=error,
        limits=_limits(),
    ), status


def _limits() -> dict[str, int]:
    return {
        "chars": brand_lexicons.MAX_TEXT_CHARS,
        "term": brand_lexicons.MAX_TERM_CHARS,
        "terms": brand_lexicons.MAX_TERMS,
    }


@bp.route("/<int:lexicon_id>", methods=["GET", "POST"])
@permission_required(EDIT)
def edit(lexicon_id: int) -> Any:
    """One lexicon's terms (one per line) and language; saving bumps its version."""
    lexicon = g.scope.get_or_404(db(), BrandLexicon, lexicon_id, EDIT)
    brand = db().get(Brand, lexicon.brand_id)
    assert brand is not None
    error, status = None, 200
    terms, language = lexicon.terms, lexicon.language
    if request.method == "POST":
        terms = _form_terms()
        language = request.form.get("language", "")[:16]
        raw_version = request.form.get("version", "")
        try:
            if not digits(raw_version) or len(raw_version) > 9:
                raise LexiconError(_("Version du lexique manquante : rechargez la page."))
            brand_lexicons.update_lexicon(
                session=db(),
                brand=brand,
                lexicon=lexicon,
                language=language,
                terms=terms,
                expected_version=int(raw_version),
                actor=g.user,
            )
            db().commit()
            flash(_("Lexique enregistré (version %(v)s).", v=lexicon.version), "success")
            return redirect(url_for("lexicons.edit", lexicon_id=lexicon.id))
        except LexiconError as exc:
            db().rollback()
            db().refresh(lexicon)
            error, status = str(exc), exc.status
    return _edit_page(brand, lexicon, terms, language, error, status)


def _edit_page(
    brand: Brand, lexicon: BrandLexicon, terms: str, language: str, error: str | None, status: int
) -> Any:
    return render_template(
        "lexicons/edit.html",
        brand=brand,
        lexicon=lexicon,
        terms=terms,
        language=language,
        languages=brand_lexicons.languages_for(brand),
        usage=brand_lexicons.playbooks_using(session=db(), brand_id=brand.id, name=lexicon.name),  # type: ignore[arg-type]
        emails=_names({lexicon.updated_by_id}),
        error=error,
        limits=_limits(),
    ), status


@bp.post("/<int:lexicon_id>/delete")
@permission_required(EDIT)
def delete(lexicon_id: int) -> Any:
    """Delete a lexicon no published or draft playbook names."""
    lexicon = g.scope.get_or_404(db(), BrandLexicon, lexicon_id, EDIT)
    brand_id, name = lexicon.brand_id, lexicon.name
    try:
        brand_lexicons.delete_lexicon(session=db(), lexicon=lexicon, actor=g.user)
    except LexiconError as exc:
        db().rollback()
        brand = db().get(Brand, brand_id)
        assert brand is not None
        return _edit_page(brand, lexicon, lexicon.terms, lexicon.language, str(exc), exc.status)
    db().commit()
    flash(_("Lexique « %(name)s » supprimé.", name=name), "success")
    return redirect(url_for("lexicons.index", brand_id=brand_id))
