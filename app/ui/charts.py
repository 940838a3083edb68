"""Server-side charts as inline SVG: line, stacked bars per day, horizontal bars and donut.

Why our own module rather than a chart library: the console runs under a strict CSP
(`style-src 'self'; script-src 'self'`), so a chart must be plain markup with no inline
`style` attribute and no script. Every shape carries SVG presentation attributes (`fill`,
`stroke`: allowed by the CSP, and enough for a PDF or an e-mail with no stylesheet) plus
CSS classes that `static/css/charts.css` themes (a class rule beats a presentation
attribute).

Public API (stable; the crisis chart and the monthly PDF report reuse it):

- `line_chart(chart_id=, title=, desc=, x_labels=, series=, band=, targets=, markers=,
  y_format=, y_max=, table_caption=)` — one or more lines over the same x axis
  (typically days), an optional shaded band (`Band`), horizontal reference lines
  (`Target`, e.g. the 1 h target and the 4 h maximum, the 70% autonomy line) and
  vertical markers (`Marker`, e.g. the start of a crisis). `None` values leave gaps.
- `stacked_bar_chart(chart_id=, title=, desc=, x_labels=, series=, y_format=,
  table_caption=)` — one bar per x label, stacked by series (volume per day by channel).
- `bar_chart(chart_id=, title=, desc=, parts=, value_format=, table_caption=)` —
  horizontal bars for a mix (`Part`: label, value), largest first as given.
- `donut_chart(chart_id=, title=, desc=, parts=, value_format=, table_caption=)` — a ring
  of shares for a small mix (up to ~6 parts).

Every function returns `Markup`: a `<figure class="chart">` holding the `<svg role="img"
aria-labelledby=…>` with its `<title>` and `<desc>`, every data point tagged with
`data-value` (and a `<title>` tooltip), and a `<details>` data table: the alternative for
screen readers and for anyone who wants the numbers. `chart_id` must be unique on the
page (it prefixes the ids). Labels and titles are given already translated by the caller;
the few words the module writes itself go through gettext, so both languages work.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup, escape

from app.ui.chart_svg import (
    PAD_BOTTOM,
    PAD_LEFT,
    PAD_RIGHT,
    PAD_TOP,
    WIDTH,
    Format,
    at,
    axes,
    cell,
    clip,
    legend_html,
    make_frame,
    minutes_format,
    nice_max,
    num,
    open_svg,
    percent_format,
    plain,
    share,
    table_html,
    tone,
)

__all__ = [
    "Band",
    "Marker",
    "Part",
    "Series",
    "Target",
    "bar_chart",
    "donut_chart",
    "line_chart",
    "minutes_format",
    "percent_format",
    "stacked_bar_chart",
]


@dataclass(frozen=True)
class Series:
    """One named line or bar stack; `values[i]` belongs to `x_labels[i]` (None: no data).
    `tone` picks a palette slot (0–7) or a named tone class (`"s0"`…`"s4"` severities)."""

    label: str
    values: Sequence[float | None]
    tone: int | str | None = None


@dataclass(frozen=True)
class Band:
    """A shaded range under the lines (e.g. median to p90, or a normal volume range)."""

    lower: Sequence[float | None]
    upper: Sequence[float | None]
    label: str


@dataclass(frozen=True)
class Target:
    """A horizontal reference line; `kind` is "target" (dashed, ok colour) or "limit" (red)."""

    value: float
    label: str
    kind: str = "target"


@dataclass(frozen=True)
class Marker:
    """A vertical marker at the x position `index` (e.g. a crisis episode)."""

    index: int
    label: str


@dataclass(frozen=True)
class Part:
    """One slice of a mix (bar or donut)."""

    label: str
    value: float
    tone: int | str | None = None


def line_chart(
    *,
    chart_id: str,
    title: str,
    desc: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    band: Band | None = None,
    targets: Sequence[Target] = (),
    markers: Sequence[Marker] = (),
    y_format: Format = plain,
    y_max: float | None = None,
    table_caption: str | None = None,
) -> Markup:
    """Lines over `x_labels`, with an optional band, reference lines and vertical markers."""
    values = [v for s in series for v in s.values if v is not None]
    if band is not None:
        values += [v for v in band.upper if v is not None]
    values += [t.value for t in targets]
    minutes = y_format is minutes_format  # durations get quarter-hour and hour ticks
    frame = make_frame(len(x_labels), max(values, default=0.0), y_max, minutes)
    out = open_svg(chart_id, title, desc, frame.width, frame.height, "line")
    out += axes(frame, x_labels, y_format)
    legend: list[tuple[str, str]] = []
    if band is not None:
        upper = [(i, v) for i, v in enumerate(band.upper) if v is not None]
        lower = [(i, v) for i, v in enumerate(band.lower) if v is not None]
        if upper and lower:
            points = [f"{frame.x(i):.1f},{frame.y(v):.1f}" for i, v in upper]
            points += [f"{frame.x(i):.1f},{frame.y(v):.1f}" for i, v in reversed(lower)]
            out.append(
                f'<polygon class="chart-band" points="{" ".join(points)}" fill="#1f5fbf" '
                f'fill-opacity="0.12" stroke="none"><title>{escape(band.label)}</title></polygon>'
            )
            legend.append(("chart-band-key", band.label))
    for target in targets:
        y = frame.y(target.value)
        colour = "#b3261e" if target.kind == "limit" else "#1d7a46"
        out.append(
            f'<g class="chart-target chart-target-{escape(target.kind)}" '
            f'data-target="{num(target.value)}">'
            f'<line x1="{PAD_LEFT}" x2="{frame.width - PAD_RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{colour}" stroke-width="1.5" stroke-dasharray="6 4"/>'
            f'<text x="{frame.width - PAD_RIGHT}" y="{y - 4:.1f}" text-anchor="end" '
            f'fill="{colour}">{escape(target.label)}</text></g>'
        )
    for marker in markers:
        if 0 <= marker.index < frame.count:
            x = frame.x(marker.index)
            out.append(
                f'<g class="chart-marker"><line x1="{x:.1f}" x2="{x:.1f}" y1="{PAD_TOP}" '
                f'y2="{frame.height - PAD_BOTTOM}" stroke="#a35b00" stroke-width="1.5" '
                f'stroke-dasharray="2 3"/><text x="{x + 3:.1f}" y="{PAD_TOP + 10}" '
                f'fill="#a35b00">{escape(marker.label)}</text></g>'
            )
    for position, line in enumerate(series):
        css, colour = tone(line.tone, position)
        legend.append((css, line.label))
        out.append(f'<g class="chart-series {css}" data-series="{escape(line.label)}">')
        segment: list[str] = []
        segments: list[list[str]] = []
        for index, value in enumerate(line.values):
            if value is None:
                if segment:
                    segments.append(segment)
                segment = []
                continue
            segment.append(f"{frame.x(index):.1f},{frame.y(value):.1f}")
        if segment:
            segments.append(segment)
        for points in segments:
            out.append(
                f'<polyline class="chart-line" points="{" ".join(points)}" fill="none" '
                f'stroke="{colour}" stroke-width="2" stroke-linejoin="round"/>'
            )
        for index, value in enumerate(line.values):
            if value is None or index >= frame.count:
                continue
            out.append(
                f'<circle class="chart-point" cx="{frame.x(index):.1f}" cy="{frame.y(value):.1f}" '
                f'r="2.5" fill="{colour}" data-value="{num(value)}">'
                f"<title>{escape(x_labels[index])} · {escape(line.label)} : "
                f"{escape(y_format(value))}</title></circle>"
            )
        out.append("</g>")
    out.append("</svg>")
    legend += [(f"chart-target-key-{t.kind}", t.label) for t in targets]
    out.append(legend_html(legend))
    head = [_("Période"), *(s.label for s in series)]
    if band is not None:
        head += [f"{band.label} (min)", f"{band.label} (max)"]
    rows = []
    for index, label in enumerate(x_labels):
        row = [label, *(cell(at(s.values, index), y_format) for s in series)]
        if band is not None:
            row += [
                cell(at(band.lower, index), y_format),
                cell(at(band.upper, index), y_format),
            ]
        rows.append(row)
    out.append(table_html(table_caption or title, head, rows, chart_id))
    out.append("</figure>")
    return Markup("".join(out))


def stacked_bar_chart(
    *,
    chart_id: str,
    title: str,
    desc: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    y_format: Format = plain,
    table_caption: str | None = None,
) -> Markup:
    """One bar per x label, stacked by series (each series a channel, a severity…)."""
    totals = [sum((at(s.values, i) or 0.0) for s in series) for i in range(len(x_labels))]
    frame = make_frame(len(x_labels), max(totals, default=0.0), None)
    out = open_svg(chart_id, title, desc, frame.width, frame.height, "bars")
    out += axes(frame, x_labels, y_format)
    slot = frame.plot_w / max(frame.count, 1)
    bar_w = max(1.0, slot * 0.72)
    base = [0.0] * len(x_labels)
    legend = []
    for position, stack in enumerate(series):
        css, colour = tone(stack.tone, position)
        legend.append((css, stack.label))
        out.append(f'<g class="chart-series {css}" data-series="{escape(stack.label)}">')
        for index in range(len(x_labels)):
            value = at(stack.values, index) or 0.0
            if value <= 0:
                continue
            top, bottom = frame.y(base[index] + value), frame.y(base[index])
            base[index] += value
            out.append(
                f'<rect class="chart-bar" x="{frame.x(index) - bar_w / 2:.1f}" y="{top:.1f}" '
                f'width="{bar_w:.1f}" height="{max(bottom - top, 0.5):.1f}" fill="{colour}" '
                f'data-value="{num(value)}"><title>{escape(x_labels[index])} · '
                f"{escape(stack.label)} : {escape(y_format(value))}</title></rect>"
            )
        out.append("</g>")
    out.append("</svg>")
    out.append(legend_html(legend))
    head = [_("Période"), *(s.label for s in series), _("Total")]
    rows = [
        [label, *(cell(at(s.values, i), y_format) for s in series), y_format(totals[i])]
        for i, label in enumerate(x_labels)
    ]
    out.append(table_html(table_caption or title, head, rows, chart_id))
    out.append("</figure>")
    return Markup("".join(out))


def bar_chart(
    *,
    chart_id: str,
    title: str,
    desc: str,
    parts: Sequence[Part],
    value_format: Format = plain,
    table_caption: str | None = None,
) -> Markup:
    """Horizontal bars, one per part, in the order given (a scenario mix, per-channel counts)."""
    row_h, label_w, width = 24, 180, WIDTH
    height = max(row_h * len(parts) + 8, 32)
    top = nice_max(max((p.value for p in parts), default=0.0))
    out = open_svg(chart_id, title, desc, width, height, "hbars")
    for index, part in enumerate(parts):
        css, colour = tone(part.tone, index)
        y = 4 + index * row_h
        length = (width - label_w - 70) * max(part.value, 0.0) / top
        out.append(
            f'<g class="{css}"><text class="chart-label" x="{label_w - 6}" y="{y + 15}" '
            f'text-anchor="end" fill="#1b1f24">{escape(clip(part.label))}</text>'
            f'<rect class="chart-bar" x="{label_w}" y="{y + 3}" width="{max(length, 0.5):.1f}" '
            f'height="{row_h - 8}" fill="{colour}" data-value="{num(part.value)}">'
            f"<title>{escape(part.label)} : {escape(value_format(part.value))}</title></rect>"
            f'<text class="chart-label" x="{label_w + length + 6:.1f}" y="{y + 15}" '
            f'fill="#5b6470">{escape(value_format(part.value))}</text></g>'
        )
    out.append("</svg>")
    rows = [[p.label, value_format(p.value)] for p in parts]
    out.append(table_html(table_caption or title, [_("Catégorie"), _("Valeur")], rows, chart_id))
    out.append("</figure>")
    return Markup("".join(out))


def donut_chart(
    *,
    chart_id: str,
    title: str,
    desc: str,
    parts: Sequence[Part],
    value_format: Format = plain,
    table_caption: str | None = None,
) -> Markup:
    """A ring of shares (each part's value over the total), with a legend and a table."""
    size, radius, thickness = 200, 80, 28
    total = sum(max(p.value, 0.0) for p in parts)
    out = open_svg(chart_id, title, desc, size, size, "donut")
    centre = size / 2
    angle = -math.pi / 2
    legend = []
    for index, part in enumerate(parts):
        css, colour = tone(part.tone, index)
        legend.append((css, f"{part.label} ({share(part.value, total)})"))
        if total <= 0 or part.value <= 0:
            continue
        sweep = 2 * math.pi * part.value / total
        portion = escape(share(part.value, total))
        label = f"{escape(part.label)} : {escape(value_format(part.value))} ({portion})"
        if sweep >= 2 * math.pi - 1e-9:
            out.append(
                f'<circle class="chart-slice {css}" cx="{centre}" cy="{centre}" r="{radius}" '
                f'fill="none" stroke="{colour}" stroke-width="{thickness}" '
                f'data-value="{num(part.value)}"><title>{label}</title></circle>'
            )
            continue
        x1, y1 = centre + radius * math.cos(angle), centre + radius * math.sin(angle)
        angle += sweep
        x2, y2 = centre + radius * math.cos(angle), centre + radius * math.sin(angle)
        large = 1 if sweep > math.pi else 0
        out.append(
            f'<path class="chart-slice {css}" d="M {x1:.2f} {y1:.2f} A {radius} {radius} 0 '
            f'{large} 1 {x2:.2f} {y2:.2f}" fill="none" stroke="{colour}" '
            f'stroke-width="{thickness}" data-value="{num(part.value)}">'
            f"<title>{label}</title></path>"
        )
    out.append(
        f'<text x="{centre}" y="{centre + 6}" text-anchor="middle" font-size="20" '
        f'fill="#1b1f24" class="chart-total">{escape(value_format(total))}</text>'
    )
    out.append("</svg>")
    out.append(legend_html(legend))
    rows = [[p.label, value_format(p.value), share(p.value, total)] for p in parts]
    out.append(
        table_html(table_caption or title, [_("Catégorie"), _("Valeur"), _("Part")], rows, chart_id)
    )
    out.append("</figure>")
    return Markup("".join(out))
