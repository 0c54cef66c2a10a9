"""The awards page makes as many SQL statements with 12 nominations as with 3 (PRODUCT.md: "the
number of SQL queries a page makes does not grow with the data")."""
from __future__ import annotations

import re

from awards_app.accounts.models import User
from awards_app.cycles.models import Cycle
from awards_app.extensions import db
from awards_app.sites.models import Site

SITES = ("site_a", "site_c", "site_b", "site_d")


def _add(world, entry, count: int, start: int) -> list:
    """`count` scored nominations, spread over both regions, with a spread of scores."""
    made = []
    for number in range(start, start + count):
        site = getattr(world, SITES[number % len(SITES)])
        low = 1 + number % 4
        made.append(entry(site, f"Activity {number}", [low, 5, 4], [5, low, 3]))
    return made


def _measure(client, count_queries, world) -> tuple[int, str, list[str]]:
    """One request to the awards page, started like a real one: nothing the test made is cached
    in the session, so a lazy load per row would show in the count."""
    url = f"/admin/cycles/{world.cycle.id}/awards"
    ids = {name: getattr(world, name).id for name in (*SITES, "judge", "judge2", "admin")}
    db.session.expunge_all()
    with count_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200
    # Give the test its objects back, attached to the session, for the next round of data.
    db.session.expunge_all()
    world.cycle = db.session.get(Cycle, world.cycle.id)
    for name, ident in ids.items():
        setattr(world, name, db.session.get(Site if name.startswith("site") else User, ident))
    return len(statements), response.text, statements


def test_query_count_does_not_grow_with_the_nominations(client, login, world, entry, decide, count_queries):
    login(world.admin)
    first = _add(world, entry, 3, 0)
    japan = [n for n in first if n.site.region == world.japan.region]
    overseas = [n for n in first if n.site.region == world.overseas.region]
    decide(world.japan, japan[0], "Chosen for the test.")
    decide(world.overseas, overseas[0], "Chosen for the test.")
    small, small_html, _ = _measure(client, count_queries, world)

    _add(world, entry, 9, 3)
    large, large_html, statements = _measure(client, count_queries, world)

    rows = re.compile(r'data-nomination="\d+"')
    assert len(rows.findall(small_html)) == 3 and len(rows.findall(large_html)) == 12
    assert small > 0
    assert large == small, f"{small} SQL statements with 3 nominations, {large} with 12:\n" + "\n".join(
        statement.split("\n")[0][:160] for statement in statements)
