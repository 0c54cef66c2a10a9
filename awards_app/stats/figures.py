"""The arithmetic of the statistics pages: plain data in, plain data out (no Flask, no database).

The database hands over a few grouped rows (one per site or country × theme × biodiversity
flag, with a count and two sums); everything the pages show — totals, breakdowns by region,
country, theme and site, the biodiversity share — is added up here from those rows, so the
number of queries never depends on the data and the sums are unit-tested by hand.

What counts: **submitted** nominations only. Drafts never reached the programme office,
withdrawn ones were taken back by their site and ineligible ones were ruled out, so none of them
is part of the programme's figures; the pages say how many were left out.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from awards_app.core.enums import NominationStatus, Region, Theme
from awards_app.sites.models import JAPAN_COUNTRY

# What a chart can show; the first is the default.
MEASURES = ("participants", "hours", "nominations")
# Hours are stored with one decimal; sums come back as floats on some engines.
HOURS_QUANTUM = Decimal("0.1")
# Statuses whose nominations are counted, and those only reported as "not counted".
COUNTED = NominationStatus.SUBMITTED
NOT_COUNTED = (NominationStatus.DRAFT, NominationStatus.WITHDRAWN, NominationStatus.INELIGIBLE)


def as_hours(value) -> Decimal:
    """A sum of hours from the database (Decimal, float, int or None) as a Decimal with one place."""
    if value is None:
        return Decimal("0.0")
    return Decimal(str(value)).quantize(HOURS_QUANTUM)


@dataclass(frozen=True)
class Figures:
    """Nominations, participants and volunteer hours of a group of nominations."""

    nominations: int = 0
    participants: int = 0
    hours: Decimal = Decimal("0.0")

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            self.nominations + other.nominations,
            self.participants + other.participants,
            self.hours + other.hours,
        )

    def get(self, measure: str) -> int | Decimal:
        if measure not in MEASURES:
            raise ValueError(f"unknown measure: {measure}")
        return getattr(self, measure)


def share(part: int | Decimal, whole: int | Decimal) -> float | None:
    """`part` as a fraction of `whole` (0.25 for a quarter), or None when the whole is zero."""
    return float(part) / float(whole) if whole else None


def region_of(country: str) -> Region:
    """A site's region, by the same rule as Site.region."""
    return Region.JAPAN if country == JAPAN_COUNTRY else Region.OVERSEAS


@dataclass(frozen=True)
class Group:
    """One grouped row of counted nominations: a site (or just a country) × theme × biodiversity."""

    country: str
    theme: Theme | None
    biodiversity: bool
    figures: Figures
    site_id: int | None = None
    site_name_en: str = ""
    site_name_ja: str = ""


@dataclass
class SiteFigures:
    site_id: int
    name_en: str
    name_ja: str
    country: str
    figures: Figures

    @property
    def region(self) -> Region:
        return region_of(self.country)


@dataclass
class Summary:
    """Everything a statistics page shows about one cycle."""

    total: Figures = field(default_factory=Figures)
    biodiversity: Figures = field(default_factory=Figures)
    by_region: dict[Region, Figures] = field(default_factory=dict)
    by_theme: dict[Theme | None, Figures] = field(default_factory=dict)
    by_country: dict[str, Figures] = field(default_factory=dict)
    by_site: dict[int, SiteFigures] = field(default_factory=dict)
    not_counted: dict[NominationStatus, int] = field(default_factory=dict)

    @property
    def other(self) -> Figures:
        """Counted nominations not marked as biodiversity preservation."""
        return Figures(
            self.total.nominations - self.biodiversity.nominations,
            self.total.participants - self.biodiversity.participants,
            self.total.hours - self.biodiversity.hours,
        )

    def biodiversity_share(self, measure: str) -> float | None:
        return share(self.biodiversity.get(measure), self.total.get(measure))

    @property
    def not_counted_total(self) -> int:
        return sum(self.not_counted.values())


def summarise(groups: list[Group], status_counts: dict[NominationStatus, int] | None = None) -> Summary:
    """Add up the grouped rows of one cycle. Both regions and the three themes are always present
    (with zeros), so that a table or chart reads the same every year; a missing theme (which a
    submitted nomination should not have) gets its own row only when it occurs."""
    summary = Summary(
        by_region={region: Figures() for region in Region},
        by_theme={theme: Figures() for theme in Theme},
    )
    for group in groups:
        figures = group.figures
        summary.total += figures
        if group.biodiversity:
            summary.biodiversity += figures
        region = region_of(group.country)
        summary.by_region[region] += figures
        summary.by_theme[group.theme] = summary.by_theme.get(group.theme, Figures()) + figures
        summary.by_country[group.country] = summary.by_country.get(group.country, Figures()) + figures
        if group.site_id is not None:
            site = summary.by_site.get(group.site_id)
            if site is None:
                site = summary.by_site[group.site_id] = SiteFigures(
                    group.site_id, group.site_name_en, group.site_name_ja, group.country, Figures()
                )
            site.figures += figures
    counts = status_counts or {}
    summary.not_counted = {status: counts.get(status, 0) for status in NOT_COUNTED}
    return summary


def ranked(items: dict, measure: str, name=str) -> list:
    """The keys of `items` (… → Figures or SiteFigures) largest `measure` first, then by name."""

    def figures(key):
        value = items[key]
        return value.figures if isinstance(value, SiteFigures) else value

    return sorted(items, key=lambda key: (-figures(key).get(measure), name(key)))
