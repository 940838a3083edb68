"""The landing page: each brand the user works on, with its live figures."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Blueprint, g, render_template
from sqlalchemy import func
from sqlmodel import col, select

from app.extensions import db, htmx
from app.models import Brand, Case, ConnectorAccount, Mention, utcnow
from app.security.auth import login_required
from app.services import lead_dashboard, portal_desk
from app.services.metrics import format_duration
from app.services.queue import ACTIVE_STATUSES

bp = Blueprint("home", __name__)


@bp.get("/")
@login_required
def index() -> Any:
    """Per brand: open cases, breached SLAs, mentions in the last 24 hours, connector health;
    for leads, the live dashboard first (htmx polls this URL for that fragment alone)."""
    session = db()
    board = _lead_board()
    if htmx and not htmx.boosted and not htmx.history_restore_request and board is not None:
        return render_template("home/_lead.html", board=board, fmt_duration=format_duration)
    brand_ids = sorted(g.scope.roles_by_brand)
    brands = session.exec(
        select(Brand).where(col(Brand.id).in_(brand_ids)).order_by(col(Brand.name))
    ).all()
    now = utcnow()
    active = (col(Case.brand_id).in_(brand_ids), col(Case.status).in_(ACTIVE_STATUSES))
    open_cases = _count_by_brand(col(Case.brand_id), *active)
    breached = _count_by_brand(col(Case.brand_id), *active, col(Case.due_at) < now)
    recent = _count_by_brand(
        col(Mention.brand_id),
        col(Mention.brand_id).in_(brand_ids),
        col(Mention.posted_at) >= now - timedelta(days=1),
    )
    unhealthy = _count_by_brand(
        col(ConnectorAccount.brand_id),
        col(ConnectorAccount.brand_id).in_(brand_ids),
        col(ConnectorAccount.is_active),
        col(ConnectorAccount.status) != "ok",
    )
    rows = [
        {
            "brand": brand,
            "roles": sorted(g.scope.roles(brand.id)),
            "open": open_cases.get(brand.id, 0),
            "breached": breached.get(brand.id, 0),
            "recent": recent.get(brand.id, 0),
            "unhealthy": unhealthy.get(brand.id, 0),
        }
        for brand in brands
    ]
    waiting = portal_desk.waiting_for_owner(session=session, scope=g.scope)
    return render_template(
        "home/index.html", rows=rows, waiting=waiting, board=board, fmt_duration=format_duration
    )


def _count_by_brand(brand_column: Any, *where: Any) -> dict[int | None, int]:
    """How many rows match `where`, per brand id (brands without any are absent)."""
    rows = db().exec(select(brand_column, func.count()).where(*where).group_by(brand_column))
    return {brand_id: n for brand_id, n in rows.all()}


def _lead_board() -> lead_dashboard.Dashboard | None:
    """The live dashboard over the brands the user leads (None when they lead none)."""
    lead_ids = g.scope.brand_ids("case.lead")
    if not lead_ids:
        return None
    session = db()
    brands = session.exec(
        select(Brand).where(col(Brand.id).in_(lead_ids)).order_by(col(Brand.name))
    ).all()
    return lead_dashboard.build(session, brands=brands, now=utcnow())


@bp.get("/healthz")
def healthz() -> Any:
    """Liveness for load balancers: the database answers."""
    db().exec(select(1)).one()
    return {"status": "ok"}
