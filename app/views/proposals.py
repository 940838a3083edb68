"""The "Propositions" page under Playbooks: proposed edits from the reviewers' corrections.

Computing is the worker's job (app/services/proposal_jobs.py): the page queues it and polls a
progress fragment with htmx; accepting a proposal stores a draft, never publishes it.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models import Brand
from app.params import digits
from app.security.auth import permission_required
from app.services import proposal_jobs

bp = Blueprint("proposals", __name__, url_prefix="/playbooks/proposals")
EDIT = "playbook.edit"

KIND_LABELS = {
    "add_term": _l("Ajouter un terme"),
    "add_exception": _l("Ajouter une exception"),
    "split": _l("Scinder un scénario"),
    "threshold": _l("Recalibrer un seuil du modèle"),
}
STEP_LABELS = {
    "": _l("En attente d'un worker"),
    "corrections": _l("Lecture des corrections"),
    "history": _l("Lecture de l'historique"),
    "edits": _l("Préparation des modifications"),
    "backtest": _l("Rejeu (backtest)"),
    "done": _l("Terminé"),
}


def _brands() -> list[Brand]:
    return list(db().exec(g.scope.select(Brand, EDIT).order_by(Brand.name)).all())


def _brand() -> Brand:
    raw = request.values.get("brand_id")
    if raw:
        if not digits(raw):
            abort(404)
        return g.scope.get_or_404(db(), Brand, int(raw), EDIT)
    brands = _brands()
    if not brands:
        abort(404)
    return brands[0]


@bp.get("")
@permission_required(EDIT)
def index() -> Any:
    brand = _brand()
    return render_template(
        "playbooks/proposals.html",
        brand=brand,
        brands=_brands(),
        job=proposal_jobs.latest(db(), brand.id),  # type: ignore[arg-type]
        kinds=KIND_LABELS,
        steps=STEP_LABELS,
    )


@bp.get("/progress")
@permission_required(EDIT)
def progress() -> Any:
    """The progress fragment htmx polls while the worker computes."""
    brand = _brand()
    job = proposal_jobs.latest(db(), brand.id)  # type: ignore[arg-type]
    headers = {}
    if job is None or job.state in ("done", "failed"):
        headers["HX-Refresh"] = "true"  # the results replace the bar
    return (
        render_template(
            "playbooks/_proposal_progress.html", brand=brand, job=job, steps=STEP_LABELS
        ),
        200,
        headers,
    )


@bp.post("/compute")
@permission_required(EDIT)
def compute() -> Any:
    brand = _brand()
    proposal_jobs.request(db(), brand, g.user)
    db().commit()
    return redirect(url_for("proposals.index", brand_id=brand.id))


@bp.post("/accept")
@permission_required(EDIT)
def accept() -> Any:
    brand = _brand()
    job_id = request.form.get("job_id", "")
    if not digits(job_id):
        abort(400)
    try:
        draft = proposal_jobs.accept(
            db(), brand, int(job_id), request.form.get("proposal_id", "")[:40], g.user
        )
    except proposal_jobs.ProposalError:
        db().rollback()
        abort(404)
    except proposal_jobs.StaleProposal:
        db().rollback()
        flash(_("Le playbook a changé depuis le calcul : recalculez les propositions."), "error")
        return redirect(url_for("proposals.index", brand_id=brand.id))
    except ValueError as exc:  # the playbook no longer loads with this edit
        db().rollback()
        flash(_("La proposition ne s'applique plus : %(error)s", error=str(exc)[:300]), "error")
        return redirect(url_for("proposals.index", brand_id=brand.id))
    db().commit()
    flash(
        _("Brouillon n° %(n)s créé à partir de la proposition (non publié).", n=draft.number),
        "success",
    )
    return redirect(url_for("playbooks.edit", playbook_id=draft.id))
