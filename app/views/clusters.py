"""Clusters and waves: a brand's waves of near-identical mentions, answered or moderated as one."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlmodel import col, select

from app.extensions import db, htmx
from app.models import Brand, CannedReply, MentionCluster, Wave, utcnow
from app.params import digits
from app.security.auth import permission_required
from app.services import cluster_bulk, cluster_view, waves
from app.services.claims import CaseworkError

bp = Blueprint("clusters", __name__)
VIEW, WORK = "queue.view", "case.work"


def _ids(name: str = "mention") -> list[int]:
    return [int(v) for v in request.form.getlist(name) if digits(v)][: waves.MAX_MENTIONS]


def _cluster(cluster_id: int) -> MentionCluster:
    return g.scope.get_or_404(db(), MentionCluster, cluster_id, VIEW)


@bp.get("/clusters")
@permission_required(VIEW)
def index() -> Any:
    """A brand's active clusters (``?brand=<slug>``), or those of every brand the user sees."""
    session = db()
    slug = (request.args.get("brand") or "").strip()[:100]
    visible = session.exec(g.scope.select(Brand, VIEW).order_by(col(Brand.name))).all()
    if slug:
        visible = [b for b in visible if b.slug == slug]
        if not visible:
            abort(404)
    now = utcnow()
    rows = [r for b in visible for r in cluster_view.brand_rows(session=session, brand=b, now=now)]
    return render_template("clusters/index.html", rows=rows, brands=visible, slug=slug)


def _page_context(cluster: MentionCluster) -> dict[str, Any]:
    session = db()
    canned = session.exec(
        select(CannedReply)
        .where(CannedReply.brand_id == cluster.brand_id, CannedReply.status == "approved")
        .order_by(col(CannedReply.title))
    ).all()
    cluster_waves = session.exec(
        select(Wave).where(Wave.cluster_id == cluster.id).order_by(col(Wave.id).desc())
    ).all()
    return {
        "detail": cluster_view.detail(session=session, cluster=cluster, now=utcnow()),
        "canned": canned,
        "waves": [(w, waves.progress(session=session, wave=w)) for w in cluster_waves],
        "can_work": g.scope.can(WORK, cluster.brand_id),
    }


@bp.get("/clusters/<int:cluster_id>")
@permission_required(VIEW)
def show(cluster_id: int) -> Any:
    """A cluster: its variants, its outliers, the wave reply and bulk actions."""
    cluster = _cluster(cluster_id)
    return render_template("clusters/show.html", cluster=cluster, **_page_context(cluster))


@bp.post("/clusters/<int:cluster_id>/wave")
@permission_required(WORK)
def start_wave(cluster_id: int) -> Any:
    """Answer the selected mentions with one reply (each one through its own gate)."""
    cluster = _cluster(cluster_id)
    g.scope.require(WORK, cluster.brand_id)
    session = db()
    brand = session.get(Brand, cluster.brand_id)
    canned = None
    raw_canned = request.form.get("canned_reply_id", "")
    if digits(raw_canned):
        canned = session.get(CannedReply, int(raw_canned))
        if canned is None or canned.brand_id != cluster.brand_id:
            abort(404)
    body = (request.form.get("body") or "").strip()[:5000] or (canned.body if canned else "")
    try:
        wave = waves.start(
            session=session,
            brand=brand,  # type: ignore[arg-type]
            actor=g.user,
            mention_ids=_ids(),
            body=body,
            canned_reply=canned,
            override_reason=(request.form.get("override_reason") or "")[:1000],
            cluster_id=cluster.id,
        )
    except CaseworkError as exc:
        session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("clusters.show", cluster_id=cluster.id)), 303
    session.commit()
    flash(
        _(
            "Réponse groupée lancée pour %(n)s mentions.",
            n=waves.progress(session=session, wave=wave).total,
        ),
        "success",
    )
    return redirect(url_for("clusters.show", cluster_id=cluster.id, _anchor=f"wave-{wave.id}")), 303


@bp.post("/clusters/<int:cluster_id>/bulk")
@permission_required(WORK)
def bulk(cluster_id: int) -> Any:
    """Hide, close or mark as spam the selected mentions of a cluster."""
    cluster = _cluster(cluster_id)
    g.scope.require(WORK, cluster.brand_id)
    action = request.form.get("action", "")
    if action not in cluster_bulk.ACTIONS:
        abort(400)
    session = db()
    result = cluster_bulk.apply(
        session=session,
        brand=session.get(Brand, cluster.brand_id),  # type: ignore[arg-type]
        actor=g.user,
        action=action,
        mention_ids=_ids(),
        cluster_id=cluster.id,
    )
    session.commit()
    flash(
        _(
            "%(done)s traités, %(skipped)s laissés (pris par un autre ou déjà clos).",
            done=result.done,
            skipped=result.skipped,
        ),
        "success",
    )
    return redirect(url_for("clusters.show", cluster_id=cluster.id)), 303


def _wave(wave_id: int) -> Wave:
    return g.scope.get_or_404(db(), Wave, wave_id, VIEW)


@bp.get("/waves/<int:wave_id>")
@permission_required(VIEW)
def wave(wave_id: int) -> Any:
    """A wave's live progress (the fragment polls itself while the wave runs)."""
    found = _wave(wave_id)
    context = {
        "wave": found,
        "progress": waves.progress(session=db(), wave=found),
        "can_work": g.scope.can(WORK, found.brand_id),
    }
    if htmx:
        return render_template("clusters/_wave.html", **context)
    return render_template("clusters/wave.html", **context)


@bp.post("/waves/<int:wave_id>/<any(stop, resume, cancel):move>")
@permission_required(WORK)
def move(wave_id: int, move: str) -> Any:
    """Stop, resume or cancel a wave."""
    found = _wave(wave_id)
    g.scope.require(WORK, found.brand_id)
    session = db()
    step = {"stop": waves.stop, "resume": waves.resume, "cancel": waves.cancel}[move]
    try:
        step(session=session, wave=found, actor=g.user)
    except CaseworkError as exc:
        session.rollback()
        if htmx:
            return str(exc), 409
        flash(str(exc), "error")
    else:
        session.commit()
    if htmx:
        return wave(wave_id)
    target = (
        url_for("clusters.show", cluster_id=found.cluster_id)
        if found.cluster_id
        else url_for("clusters.wave", wave_id=wave_id)
    )
    return redirect(target), 303
