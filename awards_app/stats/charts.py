"""Horizontal bar charts as plain geometry, drawn as inline SVG by templates/stats/_chart.html.

Drawn by the server: no chart library, no script (the CSP forbids inline scripts and styles;
SVG presentation attributes such as fill and width are markup, not style). Each bar's length is
proportional to its value: value / largest value × the plotting width.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

WIDTH = 600
LABEL_WIDTH = 220      # labels are right-aligned against the bars
VALUE_GAP = 6          # between a bar's end and its figure
VALUE_WIDTH = 84       # room left for the largest bar's figure
PLOT_X = LABEL_WIDTH + 8
PLOT_WIDTH = WIDTH - PLOT_X - VALUE_GAP - VALUE_WIDTH
ROW_HEIGHT = 26
BAR_HEIGHT = 16
PADDING = 6
# A label longer than this (East Asian wide characters count double) is cut short in the chart;
# the full text stays in the bar's tooltip and in the table under the chart.
LABEL_UNITS = 28

BRAND = "#1f3f77"
GREEN = "#2e7d32"
GREY = "#6c757d"


def _units(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def shorten(label: str, limit: int = LABEL_UNITS) -> str:
    """`label` cut to `limit` display units with an ellipsis (wide characters count two)."""
    if sum(_units(c) for c in label) <= limit:
        return label
    kept, used = [], 0
    for char in label:
        if used + _units(char) > limit - 1:
            break
        kept.append(char)
        used += _units(char)
    return "".join(kept).rstrip() + "…"


@dataclass(frozen=True)
class Bar:
    label: str
    short_label: str
    value: float
    display: str       # the value formatted for the reader's locale
    y: float           # top of the bar
    width: float       # proportional to the value
    fill: str

    @property
    def text_y(self) -> float:
        return self.y + BAR_HEIGHT / 2

    @property
    def value_x(self) -> float:
        return PLOT_X + self.width + VALUE_GAP


@dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    description: str
    bars: tuple[Bar, ...]
    width: int = WIDTH
    plot_x: int = PLOT_X
    label_x: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def height(self) -> int:
        return len(self.bars) * ROW_HEIGHT + 2 * PADDING

    @property
    def axis_bottom(self) -> float:
        return self.height - PADDING / 2


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    items: Sequence[tuple[str, int | float | Decimal]],
    fmt: Callable[[int | float | Decimal], str],
    fill: str | Sequence[str] = BRAND,
) -> BarChart:
    """A chart of `items` (label, value ≥ 0) in the order given; `fill` one colour or one per item."""
    largest = max((float(value) for _, value in items), default=0.0)
    fills = [fill] * len(items) if isinstance(fill, str) else list(fill)
    bars = []
    for index, ((label, raw), colour) in enumerate(zip(items, fills, strict=True)):
        value = float(raw)
        width = round(value / largest * PLOT_WIDTH, 2) if largest > 0 else 0.0
        bars.append(
            Bar(
                label=label, short_label=shorten(label), value=value, display=fmt(raw),
                y=PADDING + index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2, width=width, fill=colour,
            )
        )
    return BarChart(chart_id, title, description, tuple(bars))
