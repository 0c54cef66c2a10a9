"""The statistics arithmetic and chart geometry, on plain data worked out by hand."""
from __future__ import annotations

from decimal import Decimal

import pytest

from awards_app.core.enums import NominationStatus, Region, Theme
from awards_app.demo import allocate
from awards_app.stats import charts
from awards_app.stats.figures import Figures, Group, as_hours, ranked, share, summarise


def group(country, theme, biodiversity, n, participants, hours, site_id=None, name=""):
    return Group(country, theme, biodiversity, Figures(n, participants, Decimal(hours)), site_id, name, name)


def test_summarise_adds_up_every_breakdown():
    summary = summarise(
        [
            group("JP", Theme.NATURE, True, 1, 1100, "250.5", 1, "Tokyo"),
            group("JP", Theme.EDUCATION, False, 1, 40, "80", 1, "Tokyo"),
            group("JP", Theme.COMMUNITY, False, 1, 60, "120", 2, "Osaka"),
            group("DE", Theme.NATURE, True, 1, 30, "45.5", 3, "Berlin"),
        ],
        {NominationStatus.DRAFT: 2, NominationStatus.SUBMITTED: 4, NominationStatus.INELIGIBLE: 1},
    )
    assert summary.total == Figures(4, 1230, Decimal("496.0"))
    assert summary.by_region == {Region.JAPAN: Figures(3, 1200, Decimal("450.5")),
                                 Region.OVERSEAS: Figures(1, 30, Decimal("45.5"))}
    assert summary.by_country == {"JP": Figures(3, 1200, Decimal("450.5")), "DE": Figures(1, 30, Decimal("45.5"))}
    assert summary.by_theme == {Theme.NATURE: Figures(2, 1130, Decimal("296.0")),
                                Theme.EDUCATION: Figures(1, 40, Decimal("80")),
                                Theme.COMMUNITY: Figures(1, 60, Decimal("120"))}
    assert summary.biodiversity == Figures(2, 1130, Decimal("296.0"))
    assert summary.other == Figures(2, 100, Decimal("200.0"))
    assert summary.biodiversity_share("participants") == pytest.approx(1130 / 1230)
    assert summary.by_site[1].figures == Figures(2, 1140, Decimal("330.5"))
    assert summary.by_site[1].region == Region.JAPAN and summary.by_site[3].region == Region.OVERSEAS
    # Submitted nominations are the counted ones; only the others are reported as not counted.
    assert summary.not_counted == {NominationStatus.DRAFT: 2, NominationStatus.WITHDRAWN: 0,
                                   NominationStatus.INELIGIBLE: 1}
    assert summary.not_counted_total == 3


def test_an_empty_cycle_still_has_both_regions_and_every_theme():
    summary = summarise([])
    assert summary.total == Figures()
    assert list(summary.by_region) == [Region.JAPAN, Region.OVERSEAS]
    assert list(summary.by_theme) == [Theme.NATURE, Theme.EDUCATION, Theme.COMMUNITY]
    assert summary.by_country == {} and summary.by_site == {}
    assert summary.biodiversity_share("participants") is None


def test_a_missing_theme_gets_its_own_row():
    summary = summarise([group("JP", None, False, 1, 5, "1")])
    assert summary.by_theme[None] == Figures(1, 5, Decimal("1"))


def test_share_and_hours():
    assert share(1, 4) == 0.25
    assert share(3, 0) is None
    # SQLite adds up hours as floats: 0.1 + 0.2 comes back as 0.30000000000000004.
    assert as_hours(0.1 + 0.2) == Decimal("0.3")
    assert as_hours(None) == Decimal("0.0")
    assert as_hours(Decimal("153871")) == Decimal("153871.0")


def test_ranked_puts_the_largest_first_and_breaks_ties_by_name():
    items = {"DE": Figures(1, 30, Decimal(5)), "AU": Figures(1, 30, Decimal(9)), "JP": Figures(3, 1200, Decimal(1))}
    assert ranked(items, "participants") == ["JP", "AU", "DE"]
    assert ranked(items, "hours") == ["AU", "DE", "JP"]
    with pytest.raises(ValueError):
        Figures().get("pizzas")


@pytest.mark.parametrize("total, weights", [(10, [1, 1, 1]), (174_478, [52_000, 36_000, 7, 1]), (7, [3, 3, 1])])
def test_allocate_splits_a_total_exactly_and_in_proportion(total, weights):
    parts = allocate(total, weights)
    assert sum(parts) == total
    for part, weight in zip(parts, weights, strict=True):
        assert abs(part - total * weight / sum(weights)) < 1


def test_bars_are_proportional_to_their_values():
    chart = charts.bar_chart("c", "Title", "Desc", [("A", 200), ("B", 50), ("C", 0)], str)
    widths = [bar.width for bar in chart.bars]
    assert widths == [charts.PLOT_WIDTH, charts.PLOT_WIDTH / 4, 0]
    assert [bar.display for bar in chart.bars] == ["200", "50", "0"]
    # One row per bar, top to bottom, each inside the drawing.
    assert chart.bars[0].y < chart.bars[1].y < chart.bars[2].y < chart.height
    assert all(bar.value_x <= chart.width - charts.VALUE_WIDTH + 1 for bar in chart.bars)


def test_a_chart_of_zeros_draws_no_bars_wide():
    chart = charts.bar_chart("c", "T", "D", [("A", 0), ("B", 0)], str)
    assert [bar.width for bar in chart.bars] == [0, 0]
    assert charts.bar_chart("c", "T", "D", [], str).bars == ()


def test_long_labels_are_shortened_counting_wide_characters_double():
    assert charts.shorten("Tokyo") == "Tokyo"
    short = charts.shorten("x" * 50, limit=10)
    assert short == "xxxxxxxxx…"
    wide = charts.shorten("アジア太平洋オフィス（シンガポール）", limit=10)
    assert wide == "アジア太…"
