"""Volume per 10 minutes as an inline SVG: bars, the usual band, alert and crisis markers.

Server-rendered, no script, no style attribute (the CSP allows neither): colours are SVG
presentation attributes. Every figure is also given as rows for the table screen readers get.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape

from app.services.spike_detector import BUCKET_SECONDS, SENSITIVITIES, Sensitivity

WIDTH, HEIGHT = 720, 220
LEFT, RIGHT, TOP, BOTTOM = 40, 10, 12, 28


@dataclass(frozen=True)
class ChartRow:
    """One 10-minute bucket: when (brand's time), mentions, usual range, alert there."""

    start: datetime
    label: str
    count: int
    expected: float
    low: float
    high: float
    alert: str | None


def band(expected: float, sensitivity: Sensitivity) -> tuple[float, float]:
    """The usual range of a bucket: below it nothing is odd, above it the detector looks."""
    spread = sensitivity.z * math.sqrt(expected + 1) / math.sqrt(3)
    return max(0.0, expected - spread), expected + spread


def rows(
    series: Sequence[tuple[int, int, float]],
    *,
    timezone: str,
    alerts: Sequence[tuple[datetime, str]] = (),
    sensitivity: str = "normal",
) -> list[ChartRow]:
    """Chart rows from (bucket, count, expected) and (time, text) alert markers."""
    try:
        zone = ZoneInfo(timezone)
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    marks: dict[int, str] = {}
    for moment, text in alerts:
        marks[int(moment.timestamp() // BUCKET_SECONDS)] = text
    thresholds = SENSITIVITIES.get(sensitivity, SENSITIVITIES["normal"])
    out = []
    for bucket, count, expected in series:
        start = datetime.fromtimestamp(bucket * BUCKET_SECONDS, UTC).astimezone(zone)
        low, high = band(expected, thresholds)
        out.append(ChartRow(start, f"{start:%H:%M}", count, expected, low, high, marks.get(bucket)))
    return out


def svg(chart: Sequence[ChartRow], *, title: str, crisis_from: int | None = None) -> Markup:
    """The chart as inline SVG (aria-hidden: the table beside it says the same)."""
    if not chart:
        return Markup("")
    top = max([r.count for r in chart] + [r.high for r in chart] + [4])
    top = math.ceil(top * 1.1)
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = inner_w / len(chart)

    def y(value: float) -> float:
        return TOP + inner_h - inner_h * value / top

    parts = [
        f'<svg class="spike-chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
        f'role="img" aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    if crisis_from is not None and 0 <= crisis_from < len(chart):
        x = LEFT + crisis_from * step
        parts.append(
            f'<rect x="{x:.1f}" y="{TOP}" width="{LEFT + inner_w - x:.1f}" height="{inner_h}" '
            f'fill="#fdecea" data-testid="crisis-span"/>'
        )
    upper = " ".join(f"{LEFT + (i + 0.5) * step:.1f},{y(r.high):.1f}" for i, r in enumerate(chart))
    lower = " ".join(
        f"{LEFT + (i + 0.5) * step:.1f},{y(r.low):.1f}" for i, r in reversed(list(enumerate(chart)))
    )
    parts.append(f'<polygon points="{upper} {lower}" fill="#dbe7f5" data-testid="baseline-band"/>')
    for i, r in enumerate(chart):
        x = LEFT + i * step + step * 0.15
        h = inner_h * r.count / top
        colour = "#c0392b" if r.count > r.high else "#2c5d8f"
        parts.append(
            f'<rect x="{x:.1f}" y="{TOP + inner_h - h:.1f}" width="{step * 0.7:.1f}" '
            f'height="{h:.1f}" fill="{colour}"><title>{escape(r.label)} : {r.count}</title></rect>'
        )
    line = " ".join(
        f"{LEFT + (i + 0.5) * step:.1f},{y(r.expected):.1f}" for i, r in enumerate(chart)
    )
    parts.append(f'<polyline points="{line}" fill="none" stroke="#1f3b5a" stroke-dasharray="4 3"/>')
    for i, r in enumerate(chart):
        if r.alert:
            x = LEFT + (i + 0.5) * step
            parts.append(
                f'<g data-testid="alert-marker"><line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" '
                f'y2="{TOP + inner_h}" stroke="#e67e22" stroke-width="2"/>'
                f'<polygon points="{x - 5:.1f},{TOP} {x + 5:.1f},{TOP} {x:.1f},{TOP + 8}" '
                f'fill="#e67e22"/><title>{escape(r.alert)}</title></g>'
            )
    # Axes: a few value ticks and a time label every two hours.
    parts.append(
        f'<line x1="{LEFT}" y1="{TOP + inner_h}" x2="{LEFT + inner_w}" y2="{TOP + inner_h}" '
        f'stroke="#555"/>'
    )
    for value in (0, top // 2, top):
        parts.append(
            f'<text x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="#444">{value}</text>'
        )
    every = max(1, len(chart) // 6)
    for i, r in enumerate(chart):
        if i % every == 0:
            parts.append(
                f'<text x="{LEFT + (i + 0.5) * step:.1f}" y="{HEIGHT - 8}" text-anchor="middle" '
                f'font-size="11" fill="#444">{escape(r.label)}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))
