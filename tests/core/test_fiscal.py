"""Fiscal years run April to March and are named by the year they end in (FY2013 = 2012-04-01 … 2013-03-31)."""
from datetime import date, timedelta

import pytest

from awards_app.cycles.fiscal import fiscal_year_bounds, fiscal_year_of, in_fiscal_year


def test_fy2013_bounds():
    assert fiscal_year_bounds(2013) == (date(2012, 4, 1), date(2013, 3, 31))


@pytest.mark.parametrize(
    "day, fiscal_year",
    [
        (date(2012, 3, 31), 2012),
        (date(2012, 4, 1), 2013),
        (date(2012, 12, 31), 2013),
        (date(2013, 1, 1), 2013),
        (date(2013, 3, 31), 2013),
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
def test_in_fy2013(day, inside):
    assert in_fiscal_year(day, 2013) is inside


def test_every_day_belongs_to_exactly_the_fiscal_year_that_contains_it():
    day = date(1999, 1, 1)
    while day < date(2031, 1, 1):
        fiscal_year = fiscal_year_of(day)
        start, end = fiscal_year_bounds(fiscal_year)
        assert start <= day <= end
        assert in_fiscal_year(day, fiscal_year)
        assert not in_fiscal_year(day, fiscal_year - 1) and not in_fiscal_year(day, fiscal_year + 1)
        day += timedelta(days=1)


def test_fiscal_years_are_contiguous_and_a_year_long():
    for fiscal_year in range(2000, 2031):
        start, end = fiscal_year_bounds(fiscal_year)
        assert fiscal_year_bounds(fiscal_year + 1)[0] == end + timedelta(days=1)
        assert (end - start).days + 1 in (365, 366)
