"""Rendering the monthly client report: the HTML page (portal) and its PDF (WeasyPrint).

Both come from one template, ``reports/monthly.html``, in the brand's language. The PDF is
rendered without any network access: WeasyPrint may only read the app's static files (the
stylesheets); the agency's logo is embedded as a data URI.
"""

from __future__ import annotations

import base64
import logging
import mimetypes
from pathlib import Path
from typing import Any

from flask import Flask, current_app, render_template
from flask_babel import force_locale
from markupsafe import Markup

from app.services import monthly_reports
from app.services.metrics import AUTONOMY_TARGET, format_duration
from app.services.monthly_reports import MonthlyFigures
from app.ui import report_charts

STYLESHEETS = ("css/charts.css", "css/monthly_report.css")
# WeasyPrint logs every layout step at INFO: the worker's log would be mostly that.
logging.getLogger("weasyprint").setLevel(logging.WARNING)
logging.getLogger("fontTools").setLevel(logging.WARNING)
MAX_LOGO_BYTES = 512_000


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)} %"


def _score(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:.{digits}f}".replace(".", ",")


def logo_data_uri(path: Path | None) -> str | None:
    """The agency's logo as a data URI (None when unset, missing, too big or not an image)."""
    if path is None or not path.is_file() or path.stat().st_size > MAX_LOGO_BYTES:
        return None
    kind = mimetypes.guess_type(path.name)[0]
    if kind not in ("image/png", "image/jpeg", "image/svg+xml"):
        return None
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode()}"


def render_html(figures: MonthlyFigures, *, for_pdf: bool = False) -> str:
    """The report as HTML, in the brand's language (a request or app context is needed)."""
    settings = current_app.config["VIGIE_SETTINGS"]
    with force_locale(monthly_reports.brand_language(figures.brand)):
        report = figures.report
        charts: list[Markup] = [
            report_charts.volume_by_channel(report, "monthly-channels"),
            report_charts.first_response_trend(report, "monthly-first-response"),
            report_charts.autonomy_trend(report, "monthly-autonomy"),
            report_charts.sla_trend(report, "monthly-sla"),
            report_charts.scenario_mix(report, "monthly-scenarios", limit=8),
        ]
        return render_template(
            "reports/monthly_pdf.html" if for_pdf else "reports/monthly.html",
            f=figures,
            t=report.totals,
            charts=charts,
            agency_name=settings.agency_name,
            logo=logo_data_uri(settings.agency_logo),
            for_pdf=for_pdf,
            target=AUTONOMY_TARGET,
            pct=_percent,
            score=_score,
            fmt_duration=format_duration,
            stylesheets=STYLESHEETS,
        )


def _static_only(app: Flask) -> Any:
    """A WeasyPrint URL fetcher that reads the app's static files and data URIs, nothing else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    root = Path(app.static_folder or "static").resolve()
    prefix = "static:/"

    class StaticOnly(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if not url.startswith(prefix):
                raise ValueError(f"the monthly report reads no outside resource ({url[:60]})")
            path = (root / url[len(prefix) :].lstrip("/")).resolve()
            if root not in path.parents or not path.is_file():
                raise ValueError("not a static file")
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})

    return StaticOnly(allowed_protocols=("static", "data"), allow_redirects=False)


def render_pdf(app: Flask, html: str) -> bytes:
    """The PDF of the report's HTML (A4, the stylesheets from static/)."""
    import weasyprint

    fetcher = _static_only(app)
    sheets = [weasyprint.CSS(url=f"static:/{name}", url_fetcher=fetcher) for name in STYLESHEETS]
    document = weasyprint.HTML(string=html, base_url="static:/", url_fetcher=fetcher)
    return document.write_pdf(stylesheets=sheets)  # type: ignore[no-any-return]
