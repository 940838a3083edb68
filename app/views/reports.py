"""Reports for leads and admins: each brand's figures over a period, on screen or as CSV."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

from flask import Blueprint, Response, g, render_template, request
from flask_babel import gettext as _
from sqlalchemy import func
from sqlmodel import col, select

from app.extensions import db
from app.models import Brand, Case, utcnow
from app.security.auth import permission_required
from app.services import metrics

bp = Blueprint("reports", __name__)
REPORTS = "reports.view"
PERIODS = (7, 30, 90)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)} %"


@bp.get("/reports")
@permission_required(REPORTS)
def index() -> Any:
    """Autonomy, first response, resolution, SLA compliance and escalation rate per brand."""
    days = request.args.get("days", type=int)
    days = days if days in PERIODS else 30
    session = db()
    brands = session.exec(g.scope.select(Brand, REPORTS).order_by(Brand.name)).all()
    ids = [b.id for b in brands]
    now = utcnow()
    figures = metrics.figures_by_brand(
        session=session, brand_ids=ids, start=now - timedelta(days=days), end=now, now=now
    )
    live = dict(
        session.exec(
            select(Case.brand_id, func.count())
            .where(col(Case.brand_id).in_(ids), Case.status != "closed")
            .group_by(Case.brand_id)
        ).all()
    )
    breached = dict(
        session.exec(
            select(Case.brand_id, func.count())
            .where(
                col(Case.brand_id).in_(ids),
                Case.status != "closed",
                col(Case.first_response_at).is_(None),
                Case.due_at < now,
            )
            .group_by(Case.brand_id)
        ).all()
    )
    rows = [
        {"brand": b, "f": figures[b.id], "open": live.get(b.id, 0), "late": breached.get(b.id, 0)}
        for b in brands
    ]
    if request.args.get("format") == "csv":
        return _csv(rows, days)
    return render_template(
        "reports/index.html",
        rows=rows,
        days=days,
        periods=PERIODS,
        target=metrics.AUTONOMY_TARGET,
        fmt_duration=metrics.format_duration,
        percent=_percent,
    )


def _csv(rows: list[dict[str, Any]], days: int) -> Response:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            _("marque"),
            _("cas ouverts sur la période"),
            _("traités"),
            _("autonomie"),
            _("première réponse médiane (min)"),
            _("première réponse 90 % (min)"),
            _("résolution médiane (min)"),
            _("délais respectés"),
            _("taux d'escalade"),
            _("en cours"),
            _("en retard"),
        ]
    )

    def minutes(value: timedelta | None) -> str:
        return "" if value is None else str(round(value.total_seconds() / 60))

    for row in rows:
        f = row["f"]
        writer.writerow(
            [
                row["brand"].slug,
                f.opened,
                f.handled,
                _percent(f.autonomy_rate),
                minutes(f.first_response_median),
                minutes(f.first_response_p90),
                minutes(f.resolution_median),
                _percent(f.sla_compliance),
                _percent(f.escalation_rate),
                row["open"],
                row["late"],
            ]
        )
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="vigie-rapport-{days}j.csv"'},
    )
