"""The report's tables, built once for the page and for their CSV exports.

Each table is a `Table`: a name (the CSV's `table=` argument), a title, columns with a kind
("text", "int", "pct": a fraction, "dur": a timedelta) and rows of raw values; the page
formats them for reading ("67 %", "1 h 05"), the CSV for spreadsheets (67, 65 minutes).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask_babel import gettext as _

from app.models import Brand
from app.services.metrics import format_duration
from app.services.report_figures import Report, Tally
from app.ui.report_charts import day_labels

TABLES = ("brands", "daily", "scenarios", "cms")


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = "int"


@dataclass
class Table:
    name: str
    title: str
    columns: list[Column]
    rows: list[list[Any]]

    def cell(self, index: int, value: Any) -> str:
        """A value as the page shows it."""
        kind = self.columns[index].kind
        if value is None:
            return "—"
        if kind == "pct":
            return f"{round(value * 100)} %"
        if kind == "dur":
            return format_duration(value)
        return str(value)

    def csv_cell(self, index: int, value: Any) -> str:
        """A value as a spreadsheet reads it (percent and minutes as plain numbers)."""
        kind = self.columns[index].kind
        if value is None:
            return ""
        if kind == "pct":
            return f"{value * 100:.1f}"
        if kind == "dur" and isinstance(value, timedelta):
            return str(round(value.total_seconds() / 60))
        return str(value)

    def csv_text(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(
            [
                c.label + (" (%)" if c.kind == "pct" else " (min)" if c.kind == "dur" else "")
                for c in self.columns
            ]
        )
        for row in self.rows:
            writer.writerow([self.csv_cell(i, v) for i, v in enumerate(row)])
        return out.getvalue()


def _figures(t: Tally) -> list[Any]:
    return [
        t.cases,
        t.handled,
        t.autonomy_rate,
        t.first_response_median,
        t.first_response_p90,
        t.within_target,
        t.sla_compliance,
        t.escalation_rate,
        t.brand_turnaround_median,
        t.handling_median,
        t.fcr_rate,
    ]


def _figure_columns() -> list[Column]:
    return [
        Column(_("Cas")),
        Column(_("Traités")),
        Column(_("Autonomie"), "pct"),
        Column(_("1re réponse médiane"), "dur"),
        Column(_("1re réponse 90 %"), "dur"),
        Column(_("Répondus en moins d'1 h"), "pct"),
        Column(_("Délais respectés"), "pct"),
        Column(_("Taux d'escalade"), "pct"),
        Column(_("Réponse de la marque (médiane)"), "dur"),
        Column(_("Temps de traitement médian"), "dur"),
        Column(_("Résolution au premier contact"), "pct"),
    ]


def brands_table(
    report: Report, brands: Sequence[Brand], live: dict[int, tuple[int, int]]
) -> Table:
    """One row per brand (and a total across them), with its open and late cases now."""
    rows: list[list[Any]] = []
    for brand in brands:
        open_now, late_now = live.get(brand.id or 0, (0, 0))
        rows.append([brand.name, *_figures(report.by_brand[brand.id or 0]), open_now, late_now])
    if len(brands) > 1:
        total_open = sum(v[0] for v in live.values())
        total_late = sum(v[1] for v in live.values())
        rows.append([_("Toutes les marques"), *_figures(report.totals), total_open, total_late])
    return Table(
        "brands",
        _("Par marque"),
        [
            Column(_("Marque"), "text"),
            *_figure_columns(),
            Column(_("En cours")),
            Column(_("En retard")),
        ],
        rows,
    )


def daily_table(report: Report) -> Table:
    """One row per day: volumes by channel and severity, response times, SLA, autonomy."""
    columns = [Column(_("Jour"), "text"), Column(_("Cas")), Column(_("Mentions"))]
    columns += [Column(ch or _("sans canal")) for ch in report.channels]
    columns += [Column(sev or "—") for sev in report.severities]
    columns += [
        Column(_("1re réponse médiane"), "dur"),
        Column(_("1re réponse 90 %"), "dur"),
        Column(_("Délais respectés"), "pct"),
        Column(_("Autonomie"), "pct"),
    ]
    rows = []
    for day, label in zip(report.daily, day_labels(report.days), strict=True):
        t = day.tally
        rows.append(
            [
                label,
                t.cases,
                t.mentions,
                *(day.by_channel.get(ch, 0) for ch in report.channels),
                *(day.by_severity.get(sev, 0) for sev in report.severities),
                t.first_response_median,
                t.first_response_p90,
                t.sla_compliance,
                t.autonomy_rate,
            ]
        )
    return Table("daily", _("Par jour"), columns, rows)


def scenarios_table(report: Report) -> Table:
    total = sum(count for _name, count in report.scenarios)
    rows: list[list[Any]] = [
        [name or _("sans scénario"), count, count / total if total else None]
        for name, count in report.scenarios
    ]
    return Table(
        "scenarios",
        _("Scénarios"),
        [Column(_("Scénario"), "text"), Column(_("Cas")), Column(_("Part"), "pct")],
        rows,
    )


def cms_table(report: Report) -> Table | None:
    """Per community manager (the cases they answered first); None when not for this reader."""
    if report.cms is None:
        return None
    rows: list[list[Any]] = [
        [
            cm.name,
            cm.tally.cases,
            cm.tally.first_response_median,
            cm.tally.within_target,
            cm.tally.sla_compliance,
            cm.tally.handling_median,
            cm.tally.fcr_rate,
            cm.tally.escalation_rate,
        ]
        for cm in report.cms
    ]
    return Table(
        "cms",
        _("Par community manager"),
        [
            Column(_("Community manager"), "text"),
            Column(_("Cas répondus")),
            Column(_("1re réponse médiane"), "dur"),
            Column(_("Répondus en moins d'1 h"), "pct"),
            Column(_("Délais respectés"), "pct"),
            Column(_("Temps de traitement médian"), "dur"),
            Column(_("Résolution au premier contact"), "pct"),
            Column(_("Taux d'escalade"), "pct"),
        ],
        rows,
    )
