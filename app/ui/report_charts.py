"""The report's charts, drawn from a `report_figures.Report` with app/ui/charts.py.

Shared by the reports page and the monthly client report: each function takes the report
and returns the chart's markup (labels translated in the current locale).
"""

from __future__ import annotations

from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from markupsafe import Markup

from app.services.metrics import AUTONOMY_TARGET
from app.services.report_figures import FIRST_RESPONSE_MAXIMUM, FIRST_RESPONSE_TARGET, Report
from app.ui.charts import (
    Band,
    Part,
    Series,
    Target,
    bar_chart,
    line_chart,
    minutes_format,
    percent_format,
    stacked_bar_chart,
)


def day_label(day: date) -> str:
    """'2 déc.' / '2 Dec' (Babel's own pattern; see day_labels for many days at once)."""
    return format_date(day, "d MMM")


def day_labels(days: list[date]) -> list[str]:
    """Labels for many days: Babel formats one day per month seen, the rest reuse its month
    name (formatting 90 days × 6 charts one by one costs more than the whole page's SQL)."""
    months: dict[tuple[int, int], str] = {}
    labels = []
    for day in days:
        key = (day.year, day.month)
        if key not in months:
            months[key] = format_date(day, "MMM")
        labels.append(f"{day.day} {months[key]}")
    return labels


def _labels(report: Report) -> list[str]:
    return day_labels(report.days)


def _minutes(value: object) -> float | None:
    seconds = getattr(value, "total_seconds", None)
    return None if seconds is None else seconds() / 60


def volume_by_channel(report: Report, chart_id: str = "chart-channels") -> Markup:
    """Cases opened per day, stacked by channel."""
    return stacked_bar_chart(
        chart_id=chart_id,
        title=_("Volume par jour et par canal"),
        desc=_("Cas ouverts chaque jour, empilés par canal."),
        x_labels=_labels(report),
        series=[
            Series(ch or _("sans canal"), [d.by_channel.get(ch, 0) for d in report.daily])
            for ch in report.channels
        ],
    )


def volume_by_severity(report: Report, chart_id: str = "chart-severities") -> Markup:
    """Cases opened per day, stacked by severity (S0 to S4, in their colours)."""
    return stacked_bar_chart(
        chart_id=chart_id,
        title=_("Volume par jour et par gravité"),
        desc=_("Cas ouverts chaque jour, empilés par gravité."),
        x_labels=_labels(report),
        series=[
            Series(
                sev or "—",
                [d.by_severity.get(sev, 0) for d in report.daily],
                tone=sev.lower() or None,
            )
            for sev in report.severities
        ],
    )


def first_response_trend(report: Report, chart_id: str = "chart-first-response") -> Markup:
    """First response median and 90th percentile per day, against the 1 h target and 4 h max."""
    median = [_minutes(d.tally.first_response_median) for d in report.daily]
    p90 = [_minutes(d.tally.first_response_p90) for d in report.daily]
    return line_chart(
        chart_id=chart_id,
        title=_("Première réponse : médiane et 90 %"),
        desc=_(
            "Délai de première réponse par jour (médiane et 90e centile), "
            "face à l'objectif d'une heure et au maximum de quatre heures."
        ),
        x_labels=_labels(report),
        series=[Series(_("médiane"), median, tone=0), Series(_("90 %"), p90, tone=4)],
        band=Band(lower=median, upper=p90, label=_("médiane à 90 %")),
        targets=[
            Target(FIRST_RESPONSE_TARGET.total_seconds() / 60, _("objectif 1 h")),
            Target(FIRST_RESPONSE_MAXIMUM.total_seconds() / 60, _("maximum 4 h"), kind="limit"),
        ],
        y_format=minutes_format,
    )


def sla_trend(report: Report, chart_id: str = "chart-sla") -> Markup:
    """The share of cases answered before their due time, per day."""
    return line_chart(
        chart_id=chart_id,
        title=_("Délais respectés"),
        desc=_("Part des cas répondus avant leur échéance, par jour."),
        x_labels=_labels(report),
        series=[
            Series(_("délais respectés"), [d.tally.sla_compliance for d in report.daily], tone=1)
        ],
        y_format=percent_format,
        y_max=1.0,
    )


def autonomy_trend(report: Report, chart_id: str = "chart-autonomy") -> Markup:
    """The autonomy rate per day (S4 aside), against the 70% line."""
    return line_chart(
        chart_id=chart_id,
        title=_("Autonomie de l'agence"),
        desc=_(
            "Part des cas traités sans solliciter la marque (S4 exclus), par jour, "
            "face à l'objectif de 70 %."
        ),
        x_labels=_labels(report),
        series=[Series(_("autonomie"), [d.tally.autonomy_rate for d in report.daily], tone=0)],
        targets=[Target(AUTONOMY_TARGET, _("objectif %(n)s %%", n=round(AUTONOMY_TARGET * 100)))],
        y_format=percent_format,
        y_max=1.0,
    )


def scenario_mix(report: Report, chart_id: str = "chart-scenarios", limit: int = 10) -> Markup:
    """The most frequent scenarios of the period (the rest grouped)."""
    top = report.scenarios[:limit]
    rest = sum(count for _scenario, count in report.scenarios[limit:])
    parts = [Part(name or _("sans scénario"), count) for name, count in top]
    if rest:
        parts.append(Part(_("autres"), rest, tone=6))
    return bar_chart(
        chart_id=chart_id,
        title=_("Scénarios"),
        desc=_("Nombre de cas par scénario sur la période."),
        parts=parts,
    )


def all_charts(report: Report) -> list[Markup]:
    """Every chart of the reports page, in reading order."""
    return [
        volume_by_channel(report),
        volume_by_severity(report),
        first_response_trend(report),
        sla_trend(report),
        autonomy_trend(report),
        scenario_mix(report),
    ]
