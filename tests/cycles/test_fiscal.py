from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from awards_app.cycles.fiscal import fiscal_year_bounds, fiscal_year_of, in_fiscal_year


def test_fy2013_runs_from_april_2012_to_march_2013():
    assert fiscal_year_bounds(2013) == (date(2012, 4, 1), date(2013, 3, 31))


def test_fiscal_year_of_the_last_day_of_march_is_that_calendar_year():
    assert fiscal_year_of(date(2013, 3, 31)) == 2013


def test_fiscal_year_of_the_first_of_april_starts_the_next_one():
    assert fiscal_year_of(date(2013, 4, 1)) == 2014
    assert fiscal_year_of(date(2012, 4, 1)) == 2013


def test_fiscal_year_of_new_years_day_and_new_years_eve():
    assert fiscal_year_of(date(2013, 1, 1)) == 2013
    assert fiscal_year_of(date(2012, 12, 31)) == 2013


def test_in_fiscal_year_includes_both_ends_and_nothing_outside():
    assert in_fiscal_year(date(2012, 4, 1), 2013)
    assert in_fiscal_year(date(2013, 3, 31), 2013)
    assert not in_fiscal_year(date(2012, 3, 31), 2013)
    assert not in_fiscal_year(date(2013, 4, 1), 2013)


def test_leap_year_february_is_inside():
    assert in_fiscal_year(date(2012, 2, 29), 2012)


@given(st.dates(min_value=date(1991, 1, 1), max_value=date(2199, 12, 31)))
def test_every_day_lies_in_its_own_fiscal_year_and_years_are_contiguous(day):
    year = fiscal_year_of(day)
    start, end = fiscal_year_bounds(year)
    assert start <= day <= end
    assert fiscal_year_of(start - timedelta(days=1)) == year - 1
    assert fiscal_year_of(end + timedelta(days=1)) == year + 1
