"""Helpers for reading the statistics pages in tests."""
from __future__ import annotations

import re

from core.support import Page


def row_cells(page: Page, table_id: str) -> dict[str, list[str]]:
    """data-key of each row (row0, row1… for rows without one) → the texts of its cells."""
    table = page.by_id(table_id)
    assert table is not None, table_id
    start = page.elements.index(table)
    rows, current = {}, None
    for element in page.elements[start + 1:]:
        if element.tag == "table":
            break
        if element.tag == "tr":
            current = rows.setdefault(element.get("data-key") or f"row{len(rows)}", [])
        elif element.tag in ("td", "th") and current is not None:
            current.append(element.text)
    return rows


def svg(html: str, chart_id: str) -> str:
    """The markup of one chart."""
    match = re.search(rf'<svg[^>]*id="{chart_id}".*?</svg>', html, re.S)
    assert match, f"no chart {chart_id}"
    return match.group(0)


def bars(fragment: str) -> list[tuple[float, float]]:
    """(width, value) of each bar of a chart, top to bottom."""
    return [
        (float(width), float(value))
        for width, value in re.findall(r'<rect class="bar"[^>]*width="([\d.]+)"[^>]*data-value="([\d.]+)"', fragment)
    ]
