"""Drawing pieces shared by the charts of app/ui/charts.py: scale, axes, legend, data table.

Import the public API from `app.ui.charts`; these helpers may change with it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from flask_babel import gettext as _
from markupsafe import escape

# Fallback colours (presentation attributes), in the order series are drawn; the stylesheet
# gives the same palette through the `chart-c<N>` classes.
PALETTE = ("#1f5fbf", "#1d7a46", "#a35b00", "#b3261e", "#6b4fbb", "#0f7b8a", "#6b7280", "#c2185b")
WIDTH, HEIGHT = 640, 240
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 52, 16, 14, 34

Format = Callable[[float], str]


@dataclass
class Frame:
    """The plot area and the y scale shared by line and bar charts."""

    count: int
    y_max: float
    width: int = WIDTH
    height: int = HEIGHT
    ticks: list[float] = field(default_factory=list)

    @property
    def plot_w(self) -> float:
        return self.width - PAD_LEFT - PAD_RIGHT

    @property
    def plot_h(self) -> float:
        return self.height - PAD_TOP - PAD_BOTTOM

    def x(self, index: int) -> float:
        """The centre of slot `index` (n slots share the width evenly)."""
        return PAD_LEFT + self.plot_w * (index + 0.5) / max(self.count, 1)

    def y(self, value: float) -> float:
        return PAD_TOP + self.plot_h * (1 - min(max(value, 0.0), self.y_max) / self.y_max)


def nice_max(value: float) -> float:
    """A round upper bound for the y axis (1, 2, 2.5, 5 × 10^n) at or above `value`."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def plain(value: float) -> str:
    return num(value) if value != int(value) else str(int(value))


def tone(tone: int | str | None, position: int) -> tuple[str, str]:
    """(css class, fallback colour) for a series or part."""
    if isinstance(tone, str):
        severities = {"s0": 6, "s1": 1, "s2": 0, "s3": 2, "s4": 3}
        return f"chart-{tone}", PALETTE[severities.get(tone, position) % len(PALETTE)]
    slot = (position if tone is None else tone) % len(PALETTE)
    return f"chart-c{slot}", PALETTE[slot]


def open_svg(chart_id: str, title: str, desc: str, width: int, height: int, kind: str) -> list[str]:
    return [
        f'<figure class="chart chart-{kind}" id="{escape(chart_id)}">',
        f'<figcaption class="chart-title" aria-hidden="true">{escape(title)}</figcaption>',
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'class="chart-svg" role="img" aria-labelledby="{escape(chart_id)}-t {escape(chart_id)}-d" '
        f'preserveAspectRatio="xMidYMid meet" font-family="system-ui, sans-serif" font-size="11">',
        f'<title id="{escape(chart_id)}-t">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-d">{escape(desc)}</desc>',
    ]


def axes(frame: Frame, x_labels: Sequence[str], y_format: Format) -> list[str]:
    """Horizontal grid lines with y labels, and a thinned set of x labels."""
    out = ['<g class="chart-axes" aria-hidden="true">']
    for tick in frame.ticks:
        y = frame.y(tick)
        out.append(
            f'<line class="chart-grid" x1="{PAD_LEFT}" x2="{frame.width - PAD_RIGHT}" '
            f'y1="{y:.1f}" y2="{y:.1f}" stroke="#dde1e6" stroke-width="1"/>'
            f'<text class="chart-label" x="{PAD_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" '
            f'fill="#5b6470">{escape(y_format(tick))}</text>'
        )
    step = max(1, math.ceil(len(x_labels) / 8))
    base = frame.height - PAD_BOTTOM + 16
    for index, label in enumerate(x_labels):
        if index % step == 0 or (index == len(x_labels) - 1 and len(x_labels) <= 8):
            out.append(
                f'<text class="chart-label" x="{frame.x(index):.1f}" y="{base}" '
                f'text-anchor="middle" fill="#5b6470">{escape(label)}</text>'
            )
    out.append("</g>")
    return out


# Tick steps for durations in minutes: quarter hours, hours, days read better than 1 h 15.
MINUTE_STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 240, 360, 720, 1440, 2880, 10080)


def nice_step(highest: float, minutes: bool = False) -> float:
    """A round tick step giving 2 to 5 intervals up to `highest`."""
    if highest <= 0:
        return 1.0 if not minutes else 15.0
    if minutes:
        return next((s for s in MINUTE_STEPS if highest / s <= 5), MINUTE_STEPS[-1])
    power = 10 ** math.floor(math.log10(highest / 5)) if highest >= 5 else 1
    for step in (1, 2, 2.5, 5, 10):
        if highest / (step * power) <= 5:
            return step * power
    return 10 * power


def make_frame(count: int, highest: float, y_max: float | None, minutes: bool = False) -> Frame:
    """The frame with round ticks: fixed top (`y_max`, e.g. 100 %) or the next round step."""
    if y_max is not None:
        return Frame(count=count, y_max=y_max, ticks=[y_max * i / 4 for i in range(5)])
    step = nice_step(highest, minutes)
    intervals = max(1, math.ceil(highest / step - 1e-9))
    return Frame(
        count=count, y_max=step * intervals, ticks=[step * i for i in range(intervals + 1)]
    )


def legend_html(entries: Sequence[tuple[str, str]]) -> str:
    """A legend under the chart: (css class, label) per entry, as HTML (wraps on phones)."""
    items = "".join(
        f'<li><span class="chart-key {css}" aria-hidden="true"></span>{escape(label)}</li>'
        for css, label in entries
    )
    return f'<ul class="chart-legend">{items}</ul>'


def table_html(
    caption: str, head: Sequence[str], rows: Sequence[Sequence[str]], chart_id: str
) -> str:
    """The data table behind a chart, folded in a <details> (the screen-reader alternative)."""
    cells = "".join(f'<th scope="col">{escape(h)}</th>' for h in head)
    body = "".join(
        "<tr>"
        + f'<th scope="row">{escape(row[0])}</th>'
        + "".join(f'<td class="num">{escape(value)}</td>' for value in row[1:])
        + "</tr>"
        for row in rows
    )
    return (
        f'<details class="chart-data"><summary>{escape(_("Données du graphique"))}</summary>'
        f'<table class="data" id="{escape(chart_id)}-table"><caption>{escape(caption)}</caption>'
        f"<thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table></details>"
    )


def cell(value: float | None, fmt: Format) -> str:
    return "—" if value is None else fmt(value)


def at(values: Sequence[float | None], index: int) -> float | None:
    return values[index] if index < len(values) else None


def clip(label: str, length: int = 28) -> str:
    return label if len(label) <= length else label[: length - 1] + "…"


def share(value: float, total: float) -> str:
    return "—" if total <= 0 else f"{round(100 * value / total)} %"


def percent_format(value: float) -> str:
    """A y/value format for shares stored as fractions (0.7 → '70 %')."""
    return f"{round(value * 100)} %"


def minutes_format(value: float) -> str:
    """A y/value format for durations given in minutes ('45 min', '2 h 30')."""
    minutes = round(value)
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"
