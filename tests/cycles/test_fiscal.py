"""Fiscal years run April to March and are named by the year they end in (FY2013 = 2012-04-01 …
2013-03-31); a cycle is named by its fiscal year (FY2013)."""
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from awards_app.cycles.fiscal import (
    calendar_year,
    cycle_label,
    fiscal_year_bounds,
    fiscal_year_of,
    in_fiscal_year,
    parse_cycle_label,
)


def test_fy2013_runs_from_april_2012_to_march_2013():
    assert fiscal_year_bounds(2013) == (date(2012, 4, 1), date(2013, 3, 31))


@pytest.mark.parametrize(
    "day, fiscal_year",
    [
        (date(2012, 3, 31), 2012),
        (date(2012, 4, 1), 2013),  # the first of April starts the next one
        (date(2012, 12, 31), 2013),
        (date(2013, 1, 1), 2013),
        (date(2013, 3, 31), 2013),  # the last day of March is that calendar year's
        (date(2013, 4, 1), 2014),
        (date(2024, 2, 29), 2024),  # leap day
    ],
)
def test_fiscal_year_of(day, fiscal_year):
    assert fiscal_year_of(day) == fiscal_year


@pytest.mark.parametrize(
    "day, inside",
    [
        (date(2012, 3, 31), False),
        (date(2012, 4, 1), True),
        (date(2013, 3, 31), True),
        (date(2013, 4, 1), False),
    ],
)
def test_in_fy2013_includes_both_ends_and_nothing_outside(day, inside):
    assert in_fiscal_year(day, 2013) is inside


def test_leap_year_february_is_inside():
    assert in_fiscal_year(date(2012, 2, 29), 2012)


@given(st.dates(min_value=date(1991, 1, 1), max_value=date(2199, 12, 31)))
def test_every_day_lies_in_its_own_fiscal_year_only_and_years_are_contiguous(day):
    year = fiscal_year_of(day)
    start, end = fiscal_year_bounds(year)
    assert start <= day <= end
    assert in_fiscal_year(day, year)
    assert not in_fiscal_year(day, year - 1) and not in_fiscal_year(day, year + 1)
    assert fiscal_year_of(start - timedelta(days=1)) == year - 1
    assert fiscal_year_of(end + timedelta(days=1)) == year + 1


def test_fiscal_years_are_a_year_long():
    for fiscal_year in range(2000, 2031):
        start, end = fiscal_year_bounds(fiscal_year)
        assert (end - start).days + 1 in (365, 366)


# --- cycle labels ---------------------------------------------------------------------------------


def test_a_cycle_is_named_by_its_fiscal_year():
    assert cycle_label(2013) == "FY2013"


@pytest.mark.parametrize("text", ["FY2013", "fy2013", "Fy2013", "2013", " FY2013 ", "FY 2013"])
def test_labels_the_commands_accept(text):
    assert parse_cycle_label(text) == 2013


@pytest.mark.parametrize("text", ["", "FY", "FY13", "FY20130", "2013FY", "FY-2013", "FY２０１３", "last year"])
def test_anything_else_names_no_cycle(text):
    assert parse_cycle_label(text) is None


@given(st.integers(min_value=1000, max_value=9999))
def test_a_label_reads_back_as_its_year(year):
    assert parse_cycle_label(cycle_label(year)) == year


@pytest.mark.parametrize("month, year", [(4, 2012), (12, 2012), (1, 2013), (3, 2013)])
def test_calendar_year_of_a_month_in_fy2013(month, year):
    assert calendar_year(2013, month) == year


@given(st.integers(min_value=1991, max_value=2199), st.integers(min_value=1, max_value=12))
def test_the_first_of_each_month_lies_in_its_fiscal_year(fiscal_year, month):
    assert fiscal_year_of(date(calendar_year(fiscal_year, month), month, 1)) == fiscal_year
