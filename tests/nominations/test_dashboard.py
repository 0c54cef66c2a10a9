"""The nominations dashboard: what each role sees, the admin's filters, and query counts."""
from __future__ import annotations

import html
import re
from datetime import datetime, timedelta, timezone

import pytest

from awards_app.core.enums import NominationStatus, Phase
from awards_app.extensions import db

from .conftest import close_deadline
from .support import main_text


def _titles(page: str) -> list[str]:
    """Nomination titles in the order the page lists them."""
    return [html.unescape(t) for t in re.findall(r'<a href="/nominations/\d+"><span lang="\w+">([^<]*)</span></a>', page)]


def test_submitter_sees_own_sites_open_cycle_first_then_earlier(client, login, world, make_cycle, make_nomination):
    old = make_cycle(world.cycle.fiscal_year - 1, phase=Phase.FINALISED,
                     nomination_deadline=datetime(2020, 1, 1, tzinfo=timezone.utc),
                     judging_deadline=datetime(2020, 2, 1, tzinfo=timezone.utc))
    make_nomination(old, world.site_a, title="Last year's draft")
    make_nomination(old, world.site_a, title="Last year's entry", status=NominationStatus.SUBMITTED)
    make_nomination(world.cycle, world.site_a, title="This year's entry", status=NominationStatus.SUBMITTED)
    make_nomination(world.cycle, world.site_b, title="Berlin entry")
    db.session.commit()
    login(world.submitter_a)
    page = client.get("/nominations").text
    titles = _titles(page)
    assert titles[0] == "This year's entry"
    assert set(titles[1:]) == {"Last year's draft", "Last year's entry"}
    assert "Berlin entry" not in page
    text = main_text(page)
    assert text.index(world.cycle.label) < text.index(old.label)
    # The open cycle offers a new nomination and shows the time left; the old one does not.
    assert page.count("New nomination") == 1
    assert f"/nominations/new/{world.cycle.id}?site={world.site_a.id}" in page
    assert re.search(r"(\d+ weeks|\d+ days|1 month) left", text)
    assert "Closed" in text
    assert "Not submitted before the deadline" in text  # last year's draft, kept and visible


def test_deadline_is_shown_in_the_viewers_time_zone(client, login, world, make_user):
    world.cycle.nomination_deadline = datetime(2099, 1, 10, 14, 59, tzinfo=timezone.utc)
    world.cycle.judging_deadline = datetime(2099, 2, 10, tzinfo=timezone.utc)
    tokyo = make_user("submitter", sites=[world.site_a], timezone="Asia/Tokyo")
    london = make_user("submitter", sites=[world.site_a], timezone="Europe/London")
    db.session.commit()
    login(tokyo)
    # Babel may put a narrow no-break space before "PM": compare with spaces normalised.
    assert "January 10, 2099, 11:59 PM JST" in main_text(client.get("/nominations").text)
    login(london)
    assert "January 10, 2099, 2:59 PM GMT" in main_text(client.get("/nominations").text)


def test_submitter_without_nominations_gets_the_new_button(client, login, world):
    login(world.submitter_b)
    page = client.get("/nominations").text
    assert f"/nominations/new/{world.cycle.id}?site={world.site_b.id}" in page
    assert "No nominations yet." in page


def test_submitter_without_a_site_is_told_so(client, login, make_user, world):
    lonely = make_user("submitter")
    db.session.commit()
    login(lonely)
    assert "not linked to a site" in client.get("/nominations").text


def test_admin_sees_every_site_of_the_latest_cycle_by_default(client, login, world, make_cycle, make_nomination):
    old = make_cycle(world.cycle.fiscal_year - 1, phase=Phase.FINALISED,
                     nomination_deadline=datetime(2020, 1, 1, tzinfo=timezone.utc),
                     judging_deadline=datetime(2020, 2, 1, tzinfo=timezone.utc))
    make_nomination(old, world.site_a, title="Old entry")
    make_nomination(world.cycle, world.site_a, title="Tokyo entry")
    make_nomination(world.cycle, world.site_b, title="Berlin entry", status=NominationStatus.SUBMITTED)
    db.session.commit()
    login(world.admin)
    page = client.get("/nominations").text
    assert _titles(page) == ["Tokyo entry", "Berlin entry"]
    assert "2 nominations" in page
    assert _titles(client.get(f"/nominations?cycle={old.id}").text) == ["Old entry"]
    assert _titles(client.get("/nominations?cycle=999999").text) == ["Tokyo entry", "Berlin entry"]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("region=japan", ["Tokyo entry"]),
        ("region=overseas", ["Berlin entry"]),
        ("status=submitted", ["Berlin entry"]),
        ("status=draft", ["Tokyo entry"]),
        ("site={site_b}", ["Berlin entry"]),
        ("q=berlin", ["Berlin entry"]),  # the site's name
        ("q=tokyo+ENTRY", ["Tokyo entry"]),  # the title, any case
        ("q=東京", ["Tokyo entry"]),  # the site's Japanese name
        ("q=%25", []),  # a LIKE wildcard is searched for literally
        ("region=mars&status=lost", ["Tokyo entry", "Berlin entry"]),  # unknown values are ignored
    ],
)
def test_admin_filters(client, login, world, make_nomination, query, expected):
    make_nomination(world.cycle, world.site_a, title="Tokyo entry")
    make_nomination(world.cycle, world.site_b, title="Berlin entry", status=NominationStatus.SUBMITTED)
    db.session.commit()
    login(world.admin)
    response = client.get("/nominations?" + query.format(site_b=world.site_b.id))
    assert response.status_code == 200
    assert _titles(response.text) == expected


def test_admin_list_is_paginated(client, login, world, make_nomination):
    for n in range(55):
        make_nomination(world.cycle, world.site_a, title=f"Entry {n:02d}")
    db.session.commit()
    login(world.admin)
    first = client.get("/nominations?status=draft").text
    assert len(_titles(first)) == 50 and "55 nominations" in first
    [next_link] = set(re.findall(r'href="([^"]*page=2[^"]*)"', first))
    assert "status=draft" in next_link and f"cycle={world.cycle.id}" in next_link  # the filter is kept
    second = client.get("/nominations?status=draft&page=2").text
    assert len(_titles(second)) == 5
    assert set(_titles(first)).isdisjoint(_titles(second))


def test_admin_without_cycles(client, login, make_user):
    admin = make_user("admin")
    db.session.commit()
    login(admin)
    assert "There are no cycles yet" in client.get("/nominations").text


def _fill(make_nomination, cycle, sites, count):
    statuses = list(NominationStatus)
    for n in range(count):
        make_nomination(cycle, sites[n % len(sites)], title=f"Activity {n}", status=statuses[n % len(statuses)])
    db.session.commit()


def test_admin_dashboard_makes_the_same_number_of_queries_whatever_the_data(
    client, login, world, make_nomination, count_queries
):
    login(world.admin)
    _fill(make_nomination, world.cycle, [world.site_a, world.site_b], 3)
    with count_queries() as small:
        assert client.get("/nominations").status_code == 200
    _fill(make_nomination, world.cycle, [world.site_a, world.site_b], 40)
    with count_queries() as large:
        page = client.get("/nominations").text
    assert "43 nominations" in page
    assert len(small) == len(large), "\n".join(large)
    assert len(large) <= 8


def test_submitter_dashboard_makes_the_same_number_of_queries_whatever_the_data(
    client, login, world, make_cycle, make_nomination, count_queries
):
    old = make_cycle(world.cycle.fiscal_year - 1, phase=Phase.FINALISED,
                     nomination_deadline=datetime(2020, 1, 1, tzinfo=timezone.utc),
                     judging_deadline=datetime(2020, 2, 1, tzinfo=timezone.utc))
    login(world.submitter_a)
    _fill(make_nomination, world.cycle, [world.site_a], 2)
    with count_queries() as small:
        assert client.get("/nominations").status_code == 200
    _fill(make_nomination, world.cycle, [world.site_a], 20)
    _fill(make_nomination, old, [world.site_a], 10)
    with count_queries() as large:
        page = client.get("/nominations").text
    assert len(_titles(page)) == 32
    assert len(small) == len(large), "\n".join(large)


def test_nomination_page_makes_the_same_number_of_queries_whatever_the_attachments(
    client, login, world, nomination_a, count_queries
):
    from awards_app.nominations import services, storage

    from .support import png_bytes

    login(world.submitter_a)
    with count_queries() as small:
        assert client.get(f"/nominations/{nomination_a.id}").status_code == 200
    import io

    for n in range(5):
        checked = storage.check_upload(io.BytesIO(png_bytes()), 10 * 1024 * 1024)
        services.add_attachment(world.submitter_a, nomination_a, checked, f"{n}.png",
                                folder=client.application.config["UPLOAD_FOLDER"], max_attachments=10)
    db.session.commit()
    with count_queries() as large:
        page = client.get(f"/nominations/{nomination_a.id}").text
    assert page.count("/thumbnail") == 5
    assert len(small) == len(large), "\n".join(large)


def test_closed_cycle_without_nominations_is_not_listed(client, login, world):
    close_deadline(world.cycle)
    db.session.commit()
    login(world.submitter_a)
    page = client.get("/nominations").text
    assert "No cycle is accepting nominations at the moment" in page
    assert "New nomination" not in page


def test_future_deadline_in_a_closed_phase_is_not_counted_down(client, login, world, nomination_a):
    world.cycle.phase = Phase.JUDGING
    world.cycle.nomination_deadline = datetime.now(timezone.utc) + timedelta(days=3)
    db.session.commit()
    login(world.submitter_a)
    text = main_text(client.get("/nominations").text)
    assert "left" not in text and "Closed" in text
