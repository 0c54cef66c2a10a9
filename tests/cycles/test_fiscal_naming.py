"""How a fiscal year is named to a reader (cycles/fiscal.py): hand-worked examples."""
from __future__ import annotations

import pytest

from awards_app.cycles.fiscal import FiscalYearNaming, cycle_label, fiscal_year_name, fiscal_year_period

START, END = FiscalYearNaming.START, FiscalYearNaming.END


@pytest.mark.parametrize("language, naming, name", [
    ("ja", START, "2012年度"),  # April 2012 – March 2013 is 2012年度 to a Japanese reader
    ("ja", END, "2013年度"),
    ("en", END, "FY2013"),  # and fiscal 2013 in the programme's English reports
    ("en", START, "FY2012"),
])
def test_fy2013_is_named_by_each_convention(language, naming, name):
    assert fiscal_year_name(2013, language, naming) == name
    assert cycle_label(2013) == "FY2013"  # the identifier never changes


@pytest.mark.parametrize("locale, period", [
    ("ja", "2012年4月1日〜2013年3月31日"),
    ("en_GB", "1 April 2012 – 31 March 2013"),
    ("en_US", "April 1, 2012 – March 31, 2013"),
])
def test_the_full_period_in_each_long_date_format(locale, period):
    assert fiscal_year_period(2013, locale) == period


def test_the_current_year_of_a_certificate_dated_3_december_2026(app):
    """The issue's example: a certificate dated 2026年12月3日 is in FY2027, which is 2026年度."""
    from datetime import date

    from awards_app.cycles.fiscal import fiscal_year_label, fiscal_year_of

    fiscal_year = fiscal_year_of(date(2026, 12, 3))
    with app.test_request_context():
        assert (fiscal_year_label(fiscal_year, "ja"), fiscal_year_label(fiscal_year, "en")) == ("2026年度", "FY2027")


def test_the_naming_is_the_organisations_setting_per_language(app, monkeypatch):
    from awards_app.cycles.fiscal import fiscal_year_labels

    with app.test_request_context():
        assert fiscal_year_labels(2013) == {"ja": "2012年度", "en": "FY2013"}
        monkeypatch.setitem(app.config, "FISCAL_YEAR_NAMING", {"ja": "end", "en": "start"})
        assert fiscal_year_labels(2013) == {"ja": "2013年度", "en": "FY2012"}


def test_the_cycle_page_names_the_year_and_its_period_in_the_readers_language(login, make_user, make_cycle):
    from core.support import Page

    cycle = make_cycle(2013)
    japanese = Page(login(make_user("admin", locale="ja")).get(f"/admin/cycles/{cycle.id}"))
    assert japanese.find("h1").text.startswith("2012年度")
    assert japanese.by_id("cycle-period").text == "2012年4月1日〜2013年3月31日"
    english = make_user("admin", locale="en")
    english.region = "GB"
    page = Page(login(english).get(f"/admin/cycles/{cycle.id}"))
    assert page.find("h1").text.startswith("FY2013")
    assert page.by_id("cycle-period").text == "1 April 2012 – 31 March 2013"
