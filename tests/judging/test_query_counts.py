"""A judging page runs as many SQL statements with 200 nominations as with 2,000 (issue 3, "Speed";
PRODUCT.md: "the number of SQL queries a page makes does not grow with the data").

Each size gets its own app (create_app) and temporary SQLite database, filled by bench.generate
with bulk inserts; the judge and the admin log in through the login form. The timings live in the
benchmark (`python -m bench.judging`), not here: only the query counts are asserted.
"""
from __future__ import annotations

import re

import pytest

from bench.judging import measure_counts

SIZES = (200, 2000)
PAGES = ("queue", "scoring", "ranking_japan", "ranking_overseas")


@pytest.fixture(autouse=True)
def _transaction():
    """Replaces tests/conftest.py's autouse fixture of the same name for this module. That one
    builds the shared session app and wraps each test in a rolled-back transaction on its
    database; these tests build their own apps and databases, and commit into them."""
    yield


@pytest.fixture(scope="module")
def measured(tmp_path_factory):
    """size → (what was generated, page key → status, SQL statements and body of one request)."""
    return {size: measure_counts(tmp_path_factory.mktemp(f"judging-{size}"), size) for size in SIZES}


@pytest.mark.parametrize("size", SIZES)
def test_pages_answer_with_their_content(measured, size):
    data, pages = measured[size]
    assert data.counts["nominations"] == size
    for key in ("trivial", *PAGES):
        assert pages[key].status == 200, key
    assert data.assignment_title in pages["queue"].body
    assert data.assignment_title in pages["scoring"].body
    assert data.ranking_titles["japan"] in pages["ranking_japan"].body
    assert data.ranking_titles["japan"] not in pages["ranking_overseas"].body
    assert data.ranking_titles["overseas"] in pages["ranking_overseas"].body


def test_the_larger_data_set_shows_more(measured):
    """Equal counts mean something only if the pages really list ten times as much."""
    (_, small), (_, large) = (measured[size] for size in SIZES)
    links = re.compile(r'href="/judging/\d+"')
    assert len(links.findall(large["queue"].body)) > 5 * len(links.findall(small["queue"].body)) > 0
    rows = re.compile(r'href="/admin/nominations/\d+/results"')
    for key in ("ranking_japan", "ranking_overseas"):
        assert len(rows.findall(large[key].body)) > 5 * len(rows.findall(small[key].body)) > 0


@pytest.mark.parametrize("page", PAGES)
def test_query_count_does_not_grow_with_the_data(measured, page):
    small, large = (measured[size][1][page] for size in SIZES)
    assert small.queries > 0
    assert large.queries == small.queries, (
        f"{page}: {small.queries} SQL statements at {SIZES[0]} nominations, {large.queries} at {SIZES[1]}:\n"
        + "\n".join(statement.split("\n")[0][:160] for statement in large.statements)
    )
