"""Four-eyes publishing pages: proposals waiting for a decision, the review page (YAML diff and
backtest figures, approve or reject with a comment), withdraw, and one-click rollback.

Editors (``playbook.edit``) propose and roll back; leads (``approve.lead``) and brand owners
(``approve.brand``) decide — never on their own change. Every rule is enforced by
``services.playbook_reviews``; the buttons shown are a convenience.
"""

from __future__ import annotations

import difflib
from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import col, select

from app.extensions import db
from app.models import SEVERITIES, Brand, Playbook, PlaybookReview, User
from app.security.auth import login_required
from app.services import playbook_reviews as reviews
from app.services.playbook_reviews import ReviewError
from app.ui.navigation import NavItem, register

bp = Blueprint("playbook_reviews", __name__, url_prefix="/playbook-reviews")
SEES = (reviews.EDIT, reviews.APPROVE_LEAD, reviews.APPROVE_BRAND)

register(NavItem("playbook_reviews.index", _l("Playbooks à valider"), "approve.lead"))


def _visible_brand_ids() -> list[int]:
    return sorted({b for p in SEES for b in g.scope.brand_ids(p)})


def _review(review_id: int) -> PlaybookReview:
    review = db().get(PlaybookReview, review_id)
    if review is None or review.brand_id not in _visible_brand_ids():
        abort(404)
    return review


def _emails(ids: set[int | None]) -> dict[int, str]:
    wanted = [i for i in ids if i is not None]
    rows = db().exec(select(User.id, User.email).where(col(User.id).in_(wanted))).all()
    return {int(uid): email for uid, email in rows if uid is not None} if wanted else {}


def yaml_diff(old: str, new: str) -> list[tuple[str, str]]:
    """A unified line diff as (kind, line) pairs; kind is add, del, hunk or same."""
    lines = []
    for line in difflib.unified_diff(old.splitlines(), new.splitlines(), n=3, lineterm=""):
        if not line.startswith(("---", "+++")):
            lines.append(({"+": "add", "-": "del", "@": "hunk"}.get(line[:1], "same"), line))
    return lines


@bp.get("")
@login_required
def index() -> Any:
    """Proposals waiting for a decision on the user's brands, then the latest decisions."""
    brand_ids = _visible_brand_ids()
    if not brand_ids:
        abort(403)
    pending = reviews.pending(db(), brand_ids)
    decided = reviews.recent(db(), brand_ids)
    rows = pending + decided
    books = {
        p.id: p
        for p in db().exec(
            select(Playbook).where(col(Playbook.id).in_([r.playbook_id for r in rows]))
        )
    }
    names = {b.id: b.name for b in db().exec(select(Brand).where(col(Brand.id).in_(brand_ids)))}
    return render_template(
        "playbooks/reviews.html",
        pending=pending,
        decided=decided,
        books=books,
        brand_names=names,
        emails=_emails({r.proposed_by_id for r in rows} | {r.decided_by_id for r in rows}),
    )


@bp.get("/<int:review_id>")
@login_required
def show(review_id: int) -> Any:
    """The review page: what changes (YAML and backtest figures), who asks, and the decision."""
    review = _review(review_id)
    playbook = db().get(Playbook, review.playbook_id)
    brand = db().get(Brand, review.brand_id)
    assert playbook is not None and brand is not None
    live = reviews.live_version(db(), brand.id, playbook.kind)  # type: ignore[arg-type]
    if review.state == "pending" and live is not None:
        review.needs_brand = reviews.delegation_changed(live.source, playbook.source)
    rollback_of = db().get(Playbook, review.rollback_of_id) if review.rollback_of_id else None
    return render_template(
        "playbooks/review.html",
        review=review,
        playbook=playbook,
        brand=brand,
        live=live,
        rollback_of=rollback_of,
        diff=yaml_diff(live.source if live else "", playbook.source),
        figures=review.figures or {},
        severities=SEVERITIES,
        refusal=reviews.refusal(review, playbook, g.user, g.scope),
        emails=_emails({review.proposed_by_id, review.decided_by_id, playbook.created_by_id}),
    )


def _decide(review_id: int, approve: bool) -> Any:
    review = _review(review_id)
    try:
        reviews.decide(
            session=db(),
            review=review,
            actor=g.user,
            scope=g.scope,
            approve=approve,
            comment=request.form.get("comment", ""),
        )
        db().commit()
    except ReviewError as exc:
        db().rollback()
        flash(str(exc), "error")
        return redirect(url_for("playbook_reviews.show", review_id=review_id)), 303
    playbook = db().get(Playbook, review.playbook_id)
    number = playbook.number if playbook else "?"
    if approve:
        flash(
            _("Version %(n)s approuvée et publiée : elle trie désormais les mentions.", n=number),
            "success",
        )
    else:
        flash(_("Version %(n)s refusée : elle redevient un brouillon.", n=number), "success")
    return redirect(url_for("playbook_reviews.show", review_id=review_id))


@bp.post("/<int:review_id>/approve")
@login_required
def approve(review_id: int) -> Any:
    """Approve a proposal: it is published at once (the previous version is archived)."""
    return _decide(review_id, True)


@bp.post("/<int:review_id>/reject")
@login_required
def reject(review_id: int) -> Any:
    """Reject a proposal with a reason; the version goes back to being a draft."""
    return _decide(review_id, False)


@bp.post("/<int:review_id>/withdraw")
@login_required
def withdraw(review_id: int) -> Any:
    """The proposer takes the proposal back to keep editing it."""
    review = _review(review_id)
    try:
        reviews.withdraw(session=db(), review=review, actor=g.user)
        db().commit()
    except ReviewError as exc:
        db().rollback()
        flash(str(exc), "error")
        return redirect(url_for("playbook_reviews.show", review_id=review_id)), 303
    flash(_("Proposition retirée : la version redevient un brouillon."), "success")
    return redirect(url_for("playbooks.edit", playbook_id=review.playbook_id))


def propose_or_rollback(row: Playbook, comment: str) -> Any:
    """Propose a stored version: a draft as it is, an earlier version as a rollback."""
    g.scope.require(reviews.EDIT, row.brand_id)
    try:
        if row.status == "draft":
            review = reviews.propose(session=db(), playbook=row, actor=g.user, comment=comment)
        else:
            review = reviews.rollback(session=db(), target=row, actor=g.user, comment=comment)
        db().commit()
    except ReviewError as exc:
        db().rollback()
        flash(str(exc), "error")
        return redirect(url_for("playbooks.edit", playbook_id=row.id)), 303
    flash(
        _(
            "Proposition enregistrée : un superviseur ou la marque doit l'approuver "
            "avant publication."
        ),
        "success",
    )
    return redirect(url_for("playbook_reviews.show", review_id=review.id))


@bp.post("/propose/<int:playbook_id>")
@login_required
def propose(playbook_id: int) -> Any:
    """Propose a stored draft for publication, or roll back to an earlier version."""
    row = g.scope.get_or_404(db(), Playbook, playbook_id, reviews.EDIT)
    return propose_or_rollback(row, request.form.get("comment", ""))
