"""The brand portal's monthly client reports: the page and its PDF, for the brand's owners.

Routes of the ``portal`` blueprint; ``app/views/__init__.py`` imports this module.
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, current_app, g, request

from app.extensions import db
from app.models import Brand, utcnow
from app.params import digits
from app.security.auth import permission_required
from app.services import monthly_reports
from app.services.monthly_reports import Month
from app.ui import monthly_report
from app.views.portal import PORTAL, bp


def _brand_and_month(raw_month: str) -> tuple[Brand, Month]:
    """The brand (one the reader owns, else 404) and the month (a started one, else 404)."""
    month = monthly_reports.parse_month(raw_month, utcnow().date())
    brands = list(db().exec(g.scope.select(Brand, PORTAL).order_by(Brand.name)).all())
    # The brand is always named (every link and the owners' e-mail carry it): a report is
    # never opened by default on "the" brand of a reader who has several.
    raw = request.args.get("brand", "")
    brand = next((b for b in brands if b.id == int(raw)), None) if digits(raw) else None
    if month is None or brand is None:
        abort(404)
    return brand, month


@bp.get("/portal/reports/<month>")
@permission_required(PORTAL)
def monthly(month: str) -> Any:
    """The month's client report as a page (the same content as the PDF)."""
    brand, chosen = _brand_and_month(month)
    figures = monthly_reports.monthly_figures(db(), brand, chosen, utcnow().date())
    return monthly_report.render_html(figures)


@bp.get("/portal/reports/<month>.pdf")
@permission_required(PORTAL)
def monthly_pdf(month: str) -> Any:
    """The month's client report as PDF: kept once the month is over, fresh while it runs."""
    brand, chosen = _brand_and_month(month)
    session = db()
    today = utcnow().date()
    stored = monthly_reports.stored_pdf(session, brand.id or 0, chosen)
    if stored is not None:
        pdf = stored.pdf
    else:
        figures = monthly_reports.monthly_figures(session, brand, chosen, today)
        pdf = monthly_report.render_pdf(
            current_app._get_current_object(),  # type: ignore[attr-defined]
            monthly_report.render_html(figures, for_pdf=True),
        )
        if not figures.partial:
            pdf = monthly_reports.keep_pdf(session, brand, chosen, pdf).pdf
            session.commit()
    filename = f"rapport-{brand.slug}-{chosen.key}.pdf"
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def recent_months(count: int = 12) -> list[Month]:
    """The current month and the ones before it, latest first (the portal's list)."""
    month = monthly_reports.month_of(utcnow().date())
    months = [month]
    for _ in range(count - 1):
        month = month.previous()
        months.append(month)
    return months


@bp.context_processor
def _report_months() -> dict[str, Any]:
    """The portal's figures card lists the latest monthly reports."""
    return {"report_months": recent_months(6)}
