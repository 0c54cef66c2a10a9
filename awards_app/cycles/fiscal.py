"""Fiscal-year arithmetic. The group's fiscal year runs April to March and is named by the
calendar year in which it ends: FY2013 is 1 April 2012 – 31 March 2013."""
from __future__ import annotations

import re
from datetime import date

FY_START_MONTH = 4

# "FY2013", "fy2013", "FY 2013" or "2013" (ASCII digits only: int() would also read "２０１３").
_LABEL = re.compile(r"(?:FY)?\s*([0-9]{4})", re.IGNORECASE)


def fiscal_year_of(day: date) -> int:
    """The fiscal year containing `day`."""
    return day.year + 1 if day.month >= FY_START_MONTH else day.year


def fiscal_year_bounds(fiscal_year: int) -> tuple[date, date]:
    """First and last day (inclusive) of a fiscal year."""
    return date(fiscal_year - 1, FY_START_MONTH, 1), date(fiscal_year, FY_START_MONTH - 1, 31)


def calendar_year(fiscal_year: int, month: int) -> int:
    """The calendar year in which `month` (1–12) of a fiscal year falls: April 2012 for FY2013's April."""
    return fiscal_year - 1 if month >= FY_START_MONTH else fiscal_year


def in_fiscal_year(day: date, fiscal_year: int) -> bool:
    start, end = fiscal_year_bounds(fiscal_year)
    return start <= day <= end


def cycle_label(fiscal_year: int) -> str:
    """How a cycle is named: FY2013."""
    return f"FY{fiscal_year}"


def parse_cycle_label(text: str) -> int | None:
    """The fiscal year a label names (`FY2013`, `fy2013`, `FY 2013` or `2013`), or None."""
    match = _LABEL.fullmatch(text.strip())
    return int(match.group(1)) if match else None
