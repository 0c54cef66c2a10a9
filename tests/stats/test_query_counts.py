"""The statistics pages run the same number of SQL statements whatever the amount of data
(PRODUCT.md: "the number of SQL queries a page makes does not grow with the data")."""
from __future__ import annotations

from decimal import Decimal

from core.support import Page

from awards_app.core.enums import NominationStatus, Phase, Theme

THEMES = list(Theme)


def fill(make_site, make_cycle, make_nomination, first_year: int, cycles: int, sites: int, per_site: int):
    made = [make_cycle(first_year + index, phase=Phase.FINALISED) for index in range(cycles)]
    countries = ["JP", "DE", "US", "SG", "BR", "IN", "CN", "AU", "GB", "FR"]
    for index in range(sites):
        site = make_site(country=countries[index % len(countries)])
        for cycle in made:
            for n in range(per_site):
                make_nomination(
                    cycle, site, NominationStatus.DRAFT if n % 4 == 3 else NominationStatus.SUBMITTED,
                    theme=THEMES[(index + n) % 3], biodiversity=bool(n % 2), participants=10 + n,
                    volunteer_hours=Decimal("2.5") * (n + 1),
                )
    return made


def year_columns(page: Page) -> list:
    return [th for th in page.find_all("th") if th.get("data-cycle")]


def measure(client, count_queries, path) -> tuple[int, Page]:
    client.get(path)  # warm up: the first request of a test may load things once (locale data…)
    with count_queries() as statements:
        response = client.get(path)
    assert response.status_code == 200
    return len(statements), Page(response)


def test_cycle_page_query_count_is_constant(client, login, count_queries, make_user, make_site, make_cycle, make_nomination):
    admin = make_user("admin")
    login(admin)
    (small,) = fill(make_site, make_cycle, make_nomination, 2001, cycles=1, sites=2, per_site=1)
    small_count, small_page = measure(client, count_queries, f"/admin/stats/{small.id}")
    large = fill(make_site, make_cycle, make_nomination, 2002, cycles=3, sites=12, per_site=5)[-1]
    large_count, large_page = measure(client, count_queries, f"/admin/stats/{large.id}")
    # The larger page really shows more: 12 sites × 4 submitted, against 2 × 1.
    assert small_page.find("dd", data_total="nominations").text == "2"
    assert large_page.find("dd", data_total="nominations").text == "48"
    assert len(large_page.find_all("tr")) > len(small_page.find_all("tr")) + 10
    assert 0 < small_count == large_count <= 5, (small_count, large_count)


def test_overview_query_count_is_constant(client, login, count_queries, make_user, make_site, make_cycle, make_nomination):
    admin = make_user("admin")
    login(admin)
    fill(make_site, make_cycle, make_nomination, 2001, cycles=1, sites=1, per_site=2)
    small_count, small_page = measure(client, count_queries, "/admin/stats/")
    fill(make_site, make_cycle, make_nomination, 2002, cycles=4, sites=10, per_site=4)
    large_count, large_page = measure(client, count_queries, "/admin/stats/")
    # The larger page really shows more: five fiscal years and ten countries, against one and one.
    assert (len(year_columns(small_page)), len(year_columns(large_page))) == (1, 5)
    assert len(large_page.find_all("td")) > 5 * len(small_page.find_all("td"))
    assert 0 < small_count == large_count <= 5, (small_count, large_count)
