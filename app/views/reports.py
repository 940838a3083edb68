"""Reports for leads, admins and brand owners: figures, charts and tables over a period, with a
CSV export of every table. Per-CM figures only for readers who lead every brand shown."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Response, abort, g, render_template, request
from flask_babel import format_date
from sqlalchemy import func
from sqlmodel import col, select

from app.extensions import db
from app.models import Brand, Case, utcnow
from app.params import digits
from app.security.auth import permission_required
from app.services import queue, report_figures, report_rollups
from app.services.metrics import AUTONOMY_TARGET, format_duration
from app.ui import report_charts, report_tables

bp = Blueprint("reports", __name__)
REPORTS = "reports.view"
LEAD = "case.lead"
PERIODS = (7, 30, 90)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)} %"


def _period(today: date) -> tuple[int | None, date, date]:
    """(preset days or None for a custom range, first day, last day) from the query string."""
    if request.args.get("from") or request.args.get("to"):
        custom = report_figures.parse_range(request.args.get("from"), request.args.get("to"), today)
        if custom is None:
            abort(400, description="Période invalide (dates AAAA-MM-JJ, au plus un an).")
        return None, *custom
    days = request.args.get("days", type=int)
    days = days if days in PERIODS else 30
    return days, *report_figures.period(days, today)


def _brands() -> tuple[list[Brand], Brand | None]:
    """The brands the reader may see, and the one they narrowed to (404 if not theirs)."""
    brands = list(db().exec(g.scope.select(Brand, REPORTS).order_by(Brand.name)).all())
    raw = request.args.get("brand", "")
    if not raw:
        return brands, None
    chosen = next((b for b in brands if digits(raw) and b.id == int(raw)), None)
    if chosen is None:
        abort(404)
    return [chosen], chosen


def _live(ids: list[int]) -> dict[int, tuple[int, int]]:
    """Per brand, the cases open now and those past their due time without an answer."""
    session, now = db(), utcnow()
    base = select(Case.brand_id, func.count()).where(
        col(Case.brand_id).in_(ids), col(Case.status).in_(queue.ACTIVE_STATUSES)
    )
    open_now = dict(session.exec(base.group_by(col(Case.brand_id))).all())
    late = dict(
        session.exec(
            base.where(col(Case.first_response_at).is_(None), col(Case.due_at) < now).group_by(
                col(Case.brand_id)
            )
        ).all()
    )
    return {i: (open_now.get(i, 0), late.get(i, 0)) for i in ids}


@bp.get("/reports")
@permission_required(REPORTS)
def index() -> Any:
    """The period's figures, charts and tables for the reader's brands (or one of them)."""
    today = utcnow().date()
    days, first_day, last_day = _period(today)
    brands, chosen = _brands()
    ids = [b.id for b in brands if b.id is not None]
    session = db()
    lead_ids = set(g.scope.brand_ids(LEAD))
    with_cms = bool(ids) and set(ids) <= lead_ids
    report = report_figures.build_report(
        session=session, brand_ids=ids, first_day=first_day, last_day=last_day, with_cms=with_cms
    )
    tables = [
        report_tables.brands_table(report, brands, _live(ids)),
        report_tables.daily_table(report),
        report_tables.scenarios_table(report),
    ]
    cms = report_tables.cms_table(report)
    if cms is not None:
        tables.insert(1, cms)
    wanted = request.args.get("table")
    if request.args.get("format") == "csv":
        table = next((t for t in tables if t.name == (wanted or "brands")), None)
        if table is None:
            abort(404)
        return _csv(table, first_day, last_day, chosen)
    args: dict[str, Any] = (
        {"days": days} if days else {"from": first_day.isoformat(), "to": last_day.isoformat()}
    )
    if chosen is not None:
        args["brand"] = chosen.id
    return render_template(
        "reports/index.html",
        report=report,
        totals=report.totals,
        tables=tables,
        charts=report_charts.all_charts(report) if ids else [],
        brands=list(db().exec(g.scope.select(Brand, REPORTS).order_by(Brand.name)).all()),
        chosen=chosen,
        days=days,
        periods=PERIODS,
        first_day=first_day,
        last_day=last_day,
        today=today,
        args=args,
        target=AUTONOMY_TARGET,
        period_from=format_date(first_day),
        period_to=format_date(last_day),
        pct=_percent,
        fmt_duration=format_duration,
        refreshed_at=report_rollups.refreshed_at(session, ids),
    )


def _csv(table: report_tables.Table, first: date, last: date, brand: Brand | None) -> Response:
    name = f"vigie-{table.name}-{brand.slug + '-' if brand else ''}{first}-{last}.csv"
    return Response(
        table.csv_text(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
