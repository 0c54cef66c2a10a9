"""Fixtures for the exports: a cycle in judging with nominations in both regions, judges, sheets
(scored, abstained, draft), a declared conflict, a withdrawn nomination and award decisions.

Built with the shared factories, not the awards and judging services (other features' work);
`grow(n)` adds n more scored nominations per region, for the query-count tests.
"""
from __future__ import annotations

import csv
import io
import zipfile
from datetime import timedelta
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook

from awards_app.core.enums import AssignmentStatus, Language, NominationStatus, Phase
from awards_app.core.models import utcnow
from awards_app.extensions import db
from awards_app.nominations.models import Attachment

JAPANESE_TITLE = "地元の学校と海岸清掃"
# Each of these, at the start of a cell, makes a spreadsheet run a formula (or start one).
ASCII_FORMULAS = ["=cmd|' /C calc'!A0", "+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", "\n=1"]
# Compatibility forms whose NFKC normalisation is one of the above: some spreadsheet programs
# normalise them (Japanese input methods type full-width signs). U+2212 MINUS SIGN is not among
# them: NFKC keeps it as it is.
COMPATIBILITY_FORMULAS = [
    "\uff1d1+1",  # FULLWIDTH EQUALS SIGN
    "\ufe66SUM(A1)",  # SMALL EQUALS SIGN
    "\u207c1+1",  # SUPERSCRIPT EQUALS SIGN
    "\uff0b1",  # FULLWIDTH PLUS SIGN
    "\ufe621",  # SMALL PLUS SIGN
    "\uff0d1+1",  # FULLWIDTH HYPHEN-MINUS
    "\ufe631+1",  # SMALL HYPHEN-MINUS
    "\uff20SUM(A1)",  # FULLWIDTH COMMERCIAL AT
    "\ufe6bSUM(A1)",  # SMALL COMMERCIAL AT
]
FORMULAS = ASCII_FORMULAS + COMPATIBILITY_FORMULAS


@pytest.fixture
def world(make_site, make_user, make_cycle, make_nomination, make_assignment, make_sheet, make_decision):
    now = utcnow()

    def add_sheet(nomination, judge, values=(), **sheet):
        make_sheet(make_assignment(nomination, judge), values, **sheet)

    cycle = make_cycle(2013, phase=Phase.JUDGING, nomination_deadline=now - timedelta(days=1),
                       judging_deadline=now + timedelta(days=30))
    # Unequal weights, so that a weighted total is not a plain mean.
    business, sustainability, novelty = cycle.criteria
    business.weight, sustainability.weight, novelty.weight = 2, 1, 1
    tokyo = make_site("TOKYO", "JP", name_en="Tokyo Works", name_ja="東京事業所")
    osaka = make_site("OSAKA", "JP", name_en="Osaka Plant", name_ja="大阪工場")
    berlin = make_site("BERLIN", "DE", name_en="Berlin Office", name_ja="ベルリン事業所")
    austin = make_site("AUSTIN", "US", name_en="Austin Lab", name_ja="オースティン研究所")
    admin = make_user("admin", name="Ada Admin", email="ada@example.com")
    judges = [make_user("judge", name=f"Judge {n}", email=f"judge{n}@example.com") for n in (1, 2, 3, 4)]
    submitter = make_user("submitter", sites=[tokyo], name="Sana Submitter")
    submitted = NominationStatus.SUBMITTED
    beach = make_nomination(cycle, tokyo, submitted, language=Language.JA, title=JAPANESE_TITLE,
                            title_other="Beach clean-up with local schools", created_by=submitter)
    forest = make_nomination(cycle, osaka, submitted, title="Forest walk", title_other="森の散策")
    river = make_nomination(cycle, tokyo, submitted, title="River survey", title_other="")
    unscored = make_nomination(cycle, osaka, submitted, title="Not yet scored")
    draft = make_nomination(cycle, osaka, NominationStatus.DRAFT, title="A draft", submitted_at=None)
    school = make_nomination(cycle, berlin, submitted, title="Reading club", title_other="読書クラブ")
    garden = make_nomination(cycle, austin, submitted, title="Community garden")
    withdrawn = make_nomination(cycle, berlin, NominationStatus.WITHDRAWN, title="Withdrawn one",
                                status_reason="Merged with the reading club", withdrawn_at=now)
    db.session.add(Attachment(nomination=beach, stored_name="a" * 32, original_name="beach.png",
                              content_type="image/png", size_bytes=10))
    db.session.add(Attachment(nomination=beach, stored_name="b" * 32, original_name="plan.pdf",
                              content_type="application/pdf", size_bytes=20))
    j1, j2, j3, j4 = judges
    add_sheet(beach, j1, [5, 4, 4], comments=["素晴らしい", "", "Fresh idea"], overall="総合的に良い")
    add_sheet(beach, j2, [3, 3, 2])
    add_sheet(beach, j3, [4, 5, 5])
    add_sheet(forest, j1, [2, 3, 3])
    add_sheet(forest, j2, [5, 5, 5])
    add_sheet(forest, j3, abstained=True, reason="I know the team")
    add_sheet(river, j1, [3, 3, 3])
    add_sheet(river, j4, [4, 2, 1], submitted=False)  # a draft: not counted
    make_assignment(unscored, j2)  # not started
    make_assignment(unscored, j4, AssignmentStatus.CONFLICT, "My former team")
    add_sheet(school, j2, [4, 4, 3])
    add_sheet(school, j4, [2, 2, 2])
    add_sheet(garden, j4, [5, 4, 5])
    add_sheet(garden, j3, [1, 2, 1])
    add_sheet(withdrawn, j1, [1, 1, 1])  # withdrawn: not counted by the ranking
    db.session.commit()
    decided_at = now - timedelta(hours=2)
    make_decision(cycle, "grand_japan", forest, admin, proposed_nomination_id=beach.id,
                  reason="Longer-lasting partnership", decided_at=decided_at)
    make_decision(cycle, "grand_overseas", school, admin, decided_at=decided_at)
    return SimpleNamespace(
        cycle=cycle, admin=admin, judges=judges, submitter=submitter, sites=[tokyo, osaka, berlin, austin],
        beach=beach, forest=forest, river=river, unscored=unscored, draft=draft, school=school, garden=garden,
        withdrawn=withdrawn, judge=j1, now=now,
    )


@pytest.fixture
def grow(world, make_nomination, make_assignment, make_sheet):
    """grow(n) adds `n` scored nominations to each region, each with three judges' sheets, a
    statement per criterion and an attachment, so that every query of every export has more rows
    to read."""

    def add(per_region: int) -> None:
        tokyo, _osaka, berlin, _austin = world.sites
        for index in range(per_region):
            for site in (tokyo, berlin):
                nomination = make_nomination(world.cycle, site, NominationStatus.SUBMITTED,
                                             title=f"Extra {site.code} {index}", title_other="追加",
                                             created_by=world.submitter)
                db.session.add(Attachment(nomination=nomination, stored_name=f"{site.code}-{index}".ljust(32, "x"),
                                          original_name="photo.png", content_type="image/png", size_bytes=1))
                for offset, judge in enumerate(world.judges[:3]):
                    make_sheet(make_assignment(nomination, judge),
                               [1 + (index + offset) % 5, 1 + (index * 2 + offset) % 5, 3],
                               comments=["ok", "", ""], overall="fine")
        db.session.commit()

    return add


# --- reading exports back -------------------------------------------------------------------------


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "no UTF-8 byte-order mark"
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")))


def csv_records(data: bytes) -> list[dict[str, str]]:
    header, *rows = read_csv(data)
    return [dict(zip(header, row, strict=True)) for row in rows]


def read_zip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def open_workbook(data: bytes):
    return load_workbook(io.BytesIO(data))


def sheet_records(sheet) -> list[dict]:
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    return [dict(zip(header, row, strict=True)) for row in body]
