"""The inline-SVG charts: data points present, targets and markers drawn, no inline style,
escaped labels, a table alternative, and the module's own words in both languages."""

from __future__ import annotations

import re

from flask import Flask
from flask_babel import force_locale

from app.ui.charts import (
    Band,
    Marker,
    Part,
    Series,
    Target,
    bar_chart,
    donut_chart,
    line_chart,
    minutes_format,
    percent_format,
    stacked_bar_chart,
)


def _no_inline_style(svg: str) -> None:
    assert "style=" not in svg
    assert "<script" not in svg


def test_line_chart_draws_points_band_targets_and_markers(app: Flask) -> None:
    with app.test_request_context():
        html = str(
            line_chart(
                chart_id="frt",
                title="Première réponse",
                desc="Médiane par jour",
                x_labels=["1/3", "2/3", "3/3"],
                series=[Series("Médiane", [30.0, None, 90.0]), Series("90 %", [60, 120, 200])],
                band=Band(lower=[30, 40, 90], upper=[60, 120, 200], label="médiane–90 %"),
                targets=[Target(60, "1 h"), Target(240, "4 h", kind="limit")],
                markers=[Marker(1, "crise")],
                y_format=minutes_format,
            )
        )
    assert 'role="img"' in html and 'aria-labelledby="frt-t frt-d"' in html
    assert '<title id="frt-t">Première réponse</title>' in html
    values = re.findall(r'<circle class="chart-point"[^>]*data-value="([^"]+)"', html)
    assert values == ["30", "90", "60", "120", "200"]  # None leaves a gap, no point
    assert html.count("<polyline") == 3  # the gap splits the median into two segments
    assert 'data-target="60"' in html and 'data-target="240"' in html
    assert "chart-marker" in html and "crise" in html
    assert '<polygon class="chart-band"' in html
    assert '<table class="data" id="frt-table">' in html and "—" in html
    assert "4 h" in html and "1 h 30" in html
    _no_inline_style(html)


def test_stacked_bars_total_per_day_and_escape_labels(app: Flask) -> None:
    with app.test_request_context():
        html = str(
            stacked_bar_chart(
                chart_id="vol",
                title="Volume",
                desc="par canal",
                x_labels=["lun", "mar"],
                series=[Series("<x>", [3, 0]), Series("mastodon", [2, 5], tone="s3")],
            )
        )
    assert "<x>" not in html and "&lt;x&gt;" in html
    assert re.findall(r'<rect class="chart-bar"[^>]*data-value="(\d+)"', html) == ["3", "2", "5"]
    assert "chart-s3" in html
    assert '<td class="num">5</td></tr>' in html  # totals column
    _no_inline_style(html)


def test_mixes_and_both_languages(app: Flask) -> None:
    parts = [Part("retard", 3), Part("remboursement", 1)]
    with app.test_request_context():
        donut = str(donut_chart(chart_id="mix", title="Mix", desc="scénarios", parts=parts))
        bars = str(bar_chart(chart_id="bars", title="Mix", desc="scénarios", parts=parts))
        with force_locale("en"):
            english = str(bar_chart(chart_id="b2", title="Mix", desc="d", parts=parts))
    assert "75 %" in donut and "25 %" in donut and donut.count("chart-slice") == 2
    assert bars.count('class="chart-bar"') == 2
    assert "Données du graphique" in bars
    assert "Chart data" in english
    _no_inline_style(donut + bars)


def test_empty_data_still_renders() -> None:
    assert percent_format(0.7) == "70 %"
    assert minutes_format(240) == "4 h"


def test_empty_series(app: Flask) -> None:
    with app.test_request_context():
        html = str(line_chart(chart_id="e", title="t", desc="d", x_labels=[], series=[]))
        donut = str(donut_chart(chart_id="d", title="t", desc="d", parts=[]))
    assert "<svg" in html and "<svg" in donut
