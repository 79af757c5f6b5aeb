"""Bar charts drawn at build time as inline SVG, for the overview (notes and updates per year,
projects by category).

Each chart is ``role="img"`` with a ``<title>`` naming it and a ``<desc>`` giving every number,
and the overview puts the same numbers in a table next to it. Colours come from
``fieldnotes.css`` (classes, ``currentColor``), so the charts follow the light and dark themes;
the two series of a column chart differ by fill and outline too, not only by colour.

Written by hand with :mod:`xml.etree.ElementTree` (which escapes every label): a bar chart is a few
rectangles and labels, and the chart libraries add what an incremental build must not have (random
element ids in pygal, a timestamp and hashed ids in matplotlib's SVG) or seconds of import time.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.etree import ElementTree as ET

WIDTH = 400
FONT = 12
# Roughly the advance of one character at FONT px in a sans-serif face: sizes the label column.
CHAR_WIDTH = 6.6


@dataclass
class ColumnChart:
    """Columns per label (years), one per series (notes, updates), side by side."""

    title: str
    description: str
    labels: Sequence[str]
    series: Sequence[tuple[str, Sequence[int]]]


@dataclass
class BarChart:
    """One horizontal bar per label (categories)."""

    title: str
    description: str
    labels: Sequence[str]
    values: Sequence[int]


def chart_html(chart: ColumnChart | BarChart, id_prefix: str) -> str:
    """The chart as a ``<figure>`` holding its SVG; ids start with *id_prefix* (unique on the
    page)."""
    height = _column_height() if isinstance(chart, ColumnChart) else _bar_height(chart)
    svg = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "class": "fieldnotes-chart-svg",
            "viewBox": f"0 0 {WIDTH} {height}",
            "width": str(WIDTH),
            "height": str(height),
            "role": "img",
            "aria-labelledby": f"{id_prefix}-title",
            "aria-describedby": f"{id_prefix}-desc",
            "font-size": str(FONT),
        },
    )
    ET.SubElement(svg, "title", {"id": f"{id_prefix}-title"}).text = chart.title
    ET.SubElement(svg, "desc", {"id": f"{id_prefix}-desc"}).text = chart.description
    if isinstance(chart, ColumnChart):
        _draw_columns(svg, chart, height)
    else:
        _draw_bars(svg, chart)
    figure = ET.Element("figure", {"class": "fieldnotes-chart"})
    figure.append(svg)
    return ET.tostring(figure, encoding="unicode", short_empty_elements=False) + "\n"


# -- columns -------------------------------------------------------------------------------------

_LEGEND_HEIGHT = 24
_AXIS_WIDTH = 30
_LABEL_HEIGHT = 20
_PLOT_HEIGHT = 150


def _column_height() -> int:
    return _LEGEND_HEIGHT + _PLOT_HEIGHT + _LABEL_HEIGHT + 8


def _draw_columns(svg: ET.Element, chart: ColumnChart, height: int) -> None:
    _legend(svg, [name for name, _ in chart.series])
    bottom = _LEGEND_HEIGHT + 8 + _PLOT_HEIGHT
    left, right = _AXIS_WIDTH, WIDTH - 4
    peak = max((v for _, values in chart.series for v in values), default=0)
    step = _tick_step(peak)
    ceiling = max(step, math.ceil(peak / step) * step)
    for tick in range(0, ceiling + 1, step):
        y = bottom - tick / ceiling * _PLOT_HEIGHT
        _line(svg, left, y, right, y, "fieldnotes-chart-grid" if tick else "fieldnotes-chart-axis")
        _label(svg, left - 4, y + FONT / 3, str(tick), "end")

    slot = (right - left) / max(len(chart.labels), 1)
    count = len(chart.series)
    bar = min(slot * 0.7 / count, 28.0)
    every = max(1, math.ceil(32 / slot))  # a year label needs about 32 px
    for index, label in enumerate(chart.labels):
        start = left + index * slot + (slot - bar * count - 2 * (count - 1)) / 2
        for number, (name, values) in enumerate(chart.series):
            value = values[index]
            x = start + number * (bar + 2)
            size = value / ceiling * _PLOT_HEIGHT
            _bar(svg, x, bottom - size, bar, size, number, f"{label}, {name}: {value}")
            if value and bar >= 10:
                _label(svg, x + bar / 2, bottom - size - 3, str(value), "middle", small=True)
        if index % every == 0:
            _label(svg, left + (index + 0.5) * slot, height - 10, label, "middle")


def _legend(svg: ET.Element, names: Sequence[str]) -> None:
    x = float(_AXIS_WIDTH)
    for number, name in enumerate(names):
        _bar(svg, x, 6, 12, 12, number, None)
        _label(svg, x + 17, 16, name, "start")
        x += 17 + len(name) * CHAR_WIDTH + 18


def _tick_step(peak: int) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50, ... that needs at most five grid lines above zero."""
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            if peak <= 5 * factor * magnitude:
                return factor * magnitude
        magnitude *= 10


# -- horizontal bars -----------------------------------------------------------------------------

_ROW = 22
_BAR = 14


def _bar_height(chart: BarChart) -> int:
    return len(chart.labels) * _ROW + 8


def _draw_bars(svg: ET.Element, chart: BarChart) -> None:
    longest = max((len(label) for label in chart.labels), default=0)
    label_width = min(longest * CHAR_WIDTH + 10, WIDTH * 0.4)
    fits = int((label_width - 10) / CHAR_WIDTH)
    area = WIDTH - label_width - 36
    peak = max(chart.values, default=0) or 1
    for index, (label, value) in enumerate(zip(chart.labels, chart.values, strict=True)):
        y = 4 + index * _ROW
        shown = label if len(label) <= fits else label[: max(fits - 1, 1)] + "…"
        _label(svg, label_width - 6, y + _BAR - 3, shown, "end")
        size = value / peak * area
        _bar(svg, label_width, y, size, _BAR, 0, f"{label}: {value}")
        _label(svg, label_width + size + 4, y + _BAR - 3, str(value), "start")


# -- pieces --------------------------------------------------------------------------------------


def _bar(
    svg: ET.Element, x: float, y: float, width: float, height: float, series: int, hint: str | None
) -> None:
    rect = ET.SubElement(
        svg,
        "rect",
        {
            "class": f"fieldnotes-chart-series-{series}",
            "x": _n(x),
            "y": _n(y),
            "width": _n(width),
            "height": _n(height),
        },
    )
    if hint:
        ET.SubElement(rect, "title").text = hint  # shown on hover


def _line(svg: ET.Element, x1: float, y1: float, x2: float, y2: float, classes: str) -> None:
    attributes = {"class": classes, "x1": _n(x1), "y1": _n(y1), "x2": _n(x2), "y2": _n(y2)}
    ET.SubElement(svg, "line", attributes)


def _label(
    svg: ET.Element, x: float, y: float, text: str, anchor: str, *, small: bool = False
) -> None:
    attributes = {"class": "fieldnotes-chart-label", "x": _n(x), "y": _n(y)}
    attributes["text-anchor"] = anchor
    if small:
        attributes["font-size"] = str(FONT - 2)
    ET.SubElement(svg, "text", attributes).text = text


def _n(value: float) -> str:
    """A coordinate with at most one decimal: short and the same on every platform."""
    return f"{value:.1f}".removesuffix(".0")
