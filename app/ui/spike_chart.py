"""A brand's volume per 10 minutes, its usual band and its alerts, on the shared SVG charts.

Built on ``app.ui.charts.line_chart`` (server-rendered, no script, no style attribute: the
strict CSP holds; a data table for screen readers): the mentions received, the volume expected
at that hour of the week, the usual band around it, and a marker at each storm alert and at the
start of crisis mode.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from markupsafe import Markup

from app.services.spike_detector import BUCKET_SECONDS, SENSITIVITIES, Sensitivity
from app.ui.charts import Band, Marker, Series, line_chart


def band(expected: float, sensitivity: Sensitivity) -> tuple[float, float]:
    """The usual range of a bucket: below it nothing is odd, above it the detector looks."""
    spread = sensitivity.z * math.sqrt(expected + 1) / math.sqrt(3)
    return max(0.0, expected - spread), expected + spread


def render(
    series: Sequence[tuple[int, int, float]],
    *,
    chart_id: str,
    title: str,
    timezone: str,
    alerts: Sequence[datetime] = (),
    crisis_start: datetime | None = None,
    sensitivity: str = "normal",
) -> Markup:
    """The chart from (bucket, mentions, expected) rows; times shown in the brand's zone."""
    if not series:
        return Markup("")
    try:
        zone = ZoneInfo(timezone)
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    first = series[0][0]
    starts = [
        datetime.fromtimestamp(b * BUCKET_SECONDS, UTC).astimezone(zone)
        for b, _count, _exp in series
    ]
    labels = [f"{s:%d/%m %H:%M}" for s in starts]
    thresholds = SENSITIVITIES.get(sensitivity, SENSITIVITIES["normal"])
    ranges = [band(expected, thresholds) for _b, _count, expected in series]

    def index(moment: datetime) -> int:
        return int(moment.timestamp() // BUCKET_SECONDS) - first

    markers = [Marker(index=index(at), label=_("Alerte")) for at in alerts]
    if crisis_start is not None:
        markers.append(Marker(index=max(0, index(crisis_start)), label=_("Crise")))
    return line_chart(
        chart_id=chart_id,
        title=title,
        desc=_(
            "Mentions reçues par tranche de 10 minutes, volume attendu à cette heure de la "
            "semaine et bande habituelle ; repères : alertes tempête et début du mode crise."
        ),
        x_labels=labels,
        series=[
            Series(label=_("Mentions"), values=[count for _b, count, _exp in series], tone=0),
            Series(label=_("Attendu"), values=[round(e, 1) for _b, _count, e in series], tone=1),
        ],
        band=Band(
            lower=[round(lo, 1) for lo, _hi in ranges],
            upper=[round(hi, 1) for _lo, hi in ranges],
            label=_("Habituel"),
        ),
        markers=markers,
    )
