"""The onboarding wizard (issue 18, part 7): a new brand from a sector template and its history
to a published playbook approved by the brand owner, one stored step at a time.

Admins and playbook editors of the brand (``playbook.edit``) run it; the brand owner approves
the proposed version in the portal (four eyes). Imports run in the worker; the page polls a
progress fragment with htmx. Every rule lives in ``services.onboarding``.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import col, select

from app.extensions import db
from app.models import SEVERITIES, Brand, ConnectorAccount, Onboarding, utcnow
from app.params import digits
from app.security.auth import permission_required
from app.services import history_csv, history_import, onboarding
from app.services import sector_templates as sectors
from app.services.onboarding import OnboardingError
from app.services.playbook_reviews import ReviewError

bp = Blueprint("onboarding", __name__, url_prefix="/onboarding")
EDIT = "playbook.edit"
STEP_LABELS = {
    "template": _l("Modèle de secteur"),
    "history": _l("Historique"),
    "backtest": _l("Rejeu"),
    "delegation": _l("Délégation"),
    "replies": _l("Réponses types"),
    "done": _l("Terminé"),
}


def _brand(brand_id: int) -> Brand:
    return g.scope.get_or_404(db(), Brand, brand_id, EDIT)


def _open(brand: Brand) -> Onboarding:
    ob = onboarding.current(db(), brand.id)  # type: ignore[arg-type]
    if ob is None:
        abort(404)
    return ob


@bp.get("")
@permission_required(EDIT)
def index() -> Any:
    """The brands the user may onboard, with where each one's onboarding stands."""
    brands = list(db().exec(g.scope.select(Brand, EDIT).order_by(Brand.name)).all())
    rows = (
        db()
        .exec(select(Onboarding).where(col(Onboarding.brand_id).in_([b.id for b in brands])))
        .all()
    )
    state: dict[int, Onboarding] = {}
    for row in sorted(rows, key=lambda r: r.id or 0):
        if row.brand_id not in state or state[row.brand_id].step == "done":
            state[row.brand_id] = row
    return render_template("onboarding/index.html", brands=brands, state=state, steps=STEP_LABELS)


@bp.post("/<int:brand_id>/start")
@permission_required(EDIT)
def start(brand_id: int) -> Any:
    brand = _brand(brand_id)
    onboarding.start(db(), brand, g.user)
    db().commit()
    return redirect(url_for("onboarding.wizard", brand_id=brand.id))


def _page(brand: Brand, ob: Onboarding, status: int = 200, **extra: Any) -> Any:
    accounts = list(
        db().exec(
            select(ConnectorAccount).where(
                ConnectorAccount.brand_id == brand.id,
                col(ConnectorAccount.label) != history_import.IMPORT_LABEL,
            )
        )
    )
    figures = ob.figures if ob.step in ("backtest", "delegation", "replies", "done") else None
    draft = onboarding.draft(db(), ob)
    return render_template(
        "onboarding/wizard.html",
        brand=brand,
        ob=ob,
        steps=STEP_LABELS,
        sectors=sectors.SECTORS,
        job=history_import.latest(db(), ob.id),  # type: ignore[arg-type]
        imported=history_import.imported_count(db(), ob.id),  # type: ignore[arg-type]
        accounts=[(a, history_import.supports_history(a)) for a in accounts],
        figures=figures,
        severities=SEVERITIES,
        draft=draft,
        delegation=onboarding.delegation_rules(draft.source) if draft else [],
        review=onboarding.review(db(), ob),
        starters=sectors.starter_replies(ob.sector) if ob.sector else [],
        max_rows=history_csv.MAX_ROWS,
        **extra,
    ), status


@bp.get("/<int:brand_id>")
@permission_required(EDIT)
def wizard(brand_id: int) -> Any:
    """The wizard at the step reached (the owner's decision is followed on every visit)."""
    brand = _brand(brand_id)
    ob = _open(brand)
    onboarding.refresh(db(), ob, g.user)
    if ob.step == "backtest":
        onboarding.backtest_figures(db(), ob, brand)
    db().commit()
    return _page(brand, ob)


def _step(brand_id: int, action: Any) -> Any:
    """Run one step's service call; a refusal comes back on the page as a 409/422."""
    brand = _brand(brand_id)
    ob = _open(brand)
    try:
        action(brand, ob)
    except (OnboardingError, ReviewError) as exc:
        db().rollback()
        return _page(brand, ob, 409, error=str(exc))
    db().commit()
    return redirect(url_for("onboarding.wizard", brand_id=brand.id))


@bp.post("/<int:brand_id>/template")
@permission_required(EDIT)
def template(brand_id: int) -> Any:
    key = request.form.get("sector", "")[:20]

    def act(brand: Brand, ob: Onboarding) -> None:
        onboarding.choose_template(db(), ob, brand, key, g.user)

    return _step(brand_id, act)


@bp.post("/<int:brand_id>/import/csv")
@permission_required(EDIT)
def import_csv(brand_id: int) -> Any:
    """Check the uploaded CSV whole; a clean file is queued for the worker, else every bad line
    is listed and nothing is imported."""
    brand = _brand(brand_id)
    ob = _open(brand)
    if ob.step != "history":
        return _page(brand, ob, 409, error=_("Cette étape n'est pas ouverte."))
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _page(brand, ob, 422, error=_("Choisissez un fichier CSV."))
    data = upload.stream.read(history_csv.MAX_BYTES + 1)
    try:
        parsed = history_csv.parse_history_csv(data, now=utcnow(), timezone=brand.timezone)
    except history_csv.CsvRefused as exc:
        status = 413 if len(data) > history_csv.MAX_BYTES else 422
        return _page(brand, ob, status, error=str(exc))
    if parsed.error_count:
        return _page(
            brand,
            ob,
            422,
            error=_(
                "%(n)s ligne(s) refusée(s) : rien n'a été importé. Corrigez-les et réessayez.",
                n=parsed.error_count,
            ),
            line_errors=parsed.errors,
        )
    try:
        history_import.request(
            db(), ob, g.user, rows=parsed.rows, filename=str(upload.filename)[:200]
        )
    except history_import.ImportBusy:
        db().rollback()
        return _page(brand, ob, 409, error=_("Un import est déjà en cours pour cette marque."))
    db().commit()
    flash(_("%(n)s mentions vérifiées : l'import a commencé.", n=len(parsed.rows)), "success")
    return redirect(url_for("onboarding.wizard", brand_id=brand.id))


@bp.post("/<int:brand_id>/import/account")
@permission_required(EDIT)
def import_account(brand_id: int) -> Any:
    """Ask a connected account's connector for its older mentions, when it can give them."""
    brand = _brand(brand_id)
    ob = _open(brand)
    raw = request.form.get("account_id", "")
    account = db().get(ConnectorAccount, int(raw)) if digits(raw) else None
    if account is None or account.brand_id != brand.id:
        return _page(brand, ob, 422, error=_("Choisissez un compte connecté de la marque."))
    if ob.step != "history":
        return _page(brand, ob, 409, error=_("Cette étape n'est pas ouverte."))
    if not history_import.supports_history(account):
        return _page(
            brand,
            ob,
            422,
            error=_("Ce compte ne permet pas de lire l'historique : importez un fichier CSV."),
        )
    try:
        history_import.request(db(), ob, g.user, account=account)
    except history_import.ImportBusy:
        db().rollback()
        return _page(brand, ob, 409, error=_("Un import est déjà en cours pour cette marque."))
    db().commit()
    flash(_("L'import de l'historique du compte a commencé."), "success")
    return redirect(url_for("onboarding.wizard", brand_id=brand.id))


@bp.get("/<int:brand_id>/import/progress")
@permission_required(EDIT)
def progress(brand_id: int) -> Any:
    """The progress fragment htmx polls while the worker imports."""
    brand = _brand(brand_id)
    ob = _open(brand)
    job = history_import.latest(db(), ob.id)  # type: ignore[arg-type]
    headers = {}
    if job is None or job.state in ("done", "failed"):
        headers["HX-Refresh"] = "true"  # the wizard's page replaces the bar
    return render_template("onboarding/_progress.html", brand=brand, job=job), 200, headers


@bp.post("/<int:brand_id>/history/done")
@permission_required(EDIT)
def history_done(brand_id: int) -> Any:
    return _step(brand_id, lambda brand, ob: onboarding.finish_history(db(), ob, g.user))


@bp.post("/<int:brand_id>/backtest/done")
@permission_required(EDIT)
def backtest_done(brand_id: int) -> Any:
    return _step(brand_id, lambda brand, ob: onboarding.finish_backtest(db(), ob, brand, g.user))


@bp.post("/<int:brand_id>/propose")
@permission_required(EDIT)
def propose(brand_id: int) -> Any:
    comment = request.form.get("comment", "")

    def act(brand: Brand, ob: Onboarding) -> None:
        onboarding.propose(db(), ob, g.user, comment)
        flash(_("Version proposée au responsable de la marque."), "success")

    return _step(brand_id, act)


@bp.post("/<int:brand_id>/replies")
@permission_required(EDIT)
def replies(brand_id: int) -> Any:
    picked = [k[:120] for k in request.form.getlist("reply")][:200]

    def act(brand: Brand, ob: Onboarding) -> None:
        onboarding.save_replies(db(), ob, brand, picked, g.user)

    return _step(brand_id, act)
