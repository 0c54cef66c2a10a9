"""Every payload of the corpus (payloads.py), in every output: HTML pages, CSV and XLSX exports,
PDF certificates.

* HTML: each payload is typed into the forms whose text reaches a page (site names, a
  nomination's titles, texts and statements, a judge's comments, an award decision's reason, a
  user's name, the signatory) and either refused with a message beside the field (control
  characters; more than the field holds) or stored exactly as typed (less surrounding white
  space) and shown escaped on the page that displays it, never as markup.
* CSV and XLSX: the text that the forms accept, stored in a nomination, its site, statement and
  score comments, comes out verbatim, except that a cell a spreadsheet would read as a formula
  (leading = + - @ tab CR LF) gets a leading quote; numbers stay numbers; an XLSX cell of text
  is a string cell, never a formula.
* PDF: the same text on a certificate prints as text (extracted with pypdf), and WeasyPrint
  asks for nothing but the bundled stylesheet and font (tests/certificates/test_security.py
  proves the fetcher refuses everything else; this extends it to the corpus).
"""
from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from flask import url_for
from fontTools.ttLib import TTFont
from markupsafe import escape
from openpyxl import load_workbook
from sqlalchemy import select

import tests.certificates.test_security as certificate_checks
from awards_app.accounts.models import User
from awards_app.awards.models import AwardDecision
from awards_app.certificates import render
from awards_app.certificates import services as certificate_services
from awards_app.certificates.render import FONT_URL, STYLESHEET_URL
from awards_app.cycles.models import Cycle
from awards_app.exports.services import build_export
from awards_app.extensions import db
from awards_app.judging.models import ScoreSheet
from awards_app.nominations.models import Nomination
from awards_app.sites.models import Site
from tests.certificates.conftest import pdf_text
from tests.conftest import png_bytes
from tests.security.forms import fields_of
from tests.security.payloads import PAYLOADS, unescaped_markup

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
REFUSED_MESSAGE = "This field contains characters that are not allowed."
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def refused_by_forms(value: str) -> bool:
    """Forms refuse C0 control characters other than tab, CR and LF, DEL, C1 controls and bidi
    embeddings, overrides and isolates (core.forms.no_control_characters)."""
    return any(
        (ord(ch) < 32 and ch not in "\t\r\n") or 127 <= ord(ch) <= 159 or ch in BIDI_CONTROLS for ch in value
    )


STORABLE = [p for p in PAYLOADS if not refused_by_forms(p.value)]
PAYLOAD_IDS = [p.name for p in PAYLOADS]


# --- HTML: through the forms -------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """A form whose text reaches a page: who fills it in, where, which of its fields take the
    payload, how to read back what was stored, and the page (seen by the admin) that shows it."""

    role: str
    form: Callable  # world → URL of the form (its GET shows it, unless `page` says otherwise)
    fields: Callable  # (world, parsed field names) → the fields that take the payload
    stored: Callable  # world → the stored values of those fields
    shows: Callable  # world → the page that shows them
    page: Callable | None = None
    extra: Callable = lambda w: {}  # world → further values the form needs
    # A draft's form: a refused save still keeps the fields that were accepted (each refused
    # field keeps its saved value), so that nothing typed is lost.
    keeps_accepted: bool = False


def _site(w) -> Site:
    return db.session.get(Site, w.site_a.id)


def _draft(w) -> Nomination:
    return db.session.get(Nomination, w.draft.id)


def _sheet(w) -> ScoreSheet:
    return db.session.get(ScoreSheet, w.sheet.id)


def _decision_prefix(w) -> str:
    return f"award-{w.cycle.award_categories[0].id}"


PLACES = {
    "site names": Place(
        "admin", lambda w: url_for("sites.edit_site", site_id=w.site_a.id), lambda w, names: ["name_en", "name_ja"],
        lambda w: [_site(w).name_en, _site(w).name_ja], lambda w: url_for("sites.list_sites"),
    ),
    "nomination texts": Place(
        "submitter_a", lambda w: url_for("nominations.edit_nomination", nomination_id=w.draft.id),
        lambda w, names: ["title", "title_other", "summary", "description", "partners", "outcomes",
                          *sorted(n for n in names if n.startswith("statement_"))],
        lambda w: [getattr(_draft(w), name) for name in ("title", "title_other", "summary", "description",
                                                          "partners", "outcomes")]
        + [s.text for s in sorted(_draft(w).statements, key=lambda s: s.criterion_id)],
        lambda w: url_for("nominations.view_nomination", nomination_id=w.draft.id),
        keeps_accepted=True,
    ),
    "judge's comments": Place(
        "judge", lambda w: url_for("judging.score_nomination", assignment_id=w.assignment.id),
        lambda w, names: [*sorted(n for n in names if n.startswith("comment_")), "overall_comment"],
        lambda w: [s.comment for s in sorted(_sheet(w).scores, key=lambda s: s.criterion_id)]
        + [_sheet(w).overall_comment],
        lambda w: url_for("judging.show_sheet", sheet_id=w.sheet.id),
    ),
    "award decision reason": Place(
        "admin",
        lambda w: url_for("awards.decide_award", cycle_id=w.cycle.id, category_id=w.cycle.award_categories[0].id),
        lambda w, names: [f"{_decision_prefix(w)}-reason"],
        lambda w: [d.reason for d in db.session.scalars(
            select(AwardDecision).where(AwardDecision.category_id == w.cycle.award_categories[0].id))],
        lambda w: url_for("awards.show_awards", cycle_id=w.cycle.id),
        page=lambda w: url_for("awards.show_awards", cycle_id=w.cycle.id),
        extra=lambda w: {f"{_decision_prefix(w)}-nomination_id": str(w.nomination.id)},
    ),
    "user name": Place(
        "admin", lambda w: url_for("accounts.edit_user", user_id=w.other_user.id), lambda w, names: ["name"],
        lambda w: [db.session.get(User, w.other_user.id).name], lambda w: url_for("accounts.list_users"),
    ),
    "signatory": Place(
        "admin", lambda w: url_for("cycles.edit_cycle", cycle_id=w.final.id),
        lambda w, names: ["signatory_name_en", "signatory_name_ja", "signatory_title_en", "signatory_title_ja"],
        lambda w: [getattr(db.session.get(Cycle, w.final.id), f"signatory_{part}")
                   for part in ("name_en", "name_ja", "title_en", "title_ja")],
        lambda w: url_for("certificates.list_certificates", cycle_id=w.final.id),
    ),
}


def _form_data(client, w, place: Place) -> tuple[str, dict, list[str]]:
    url = place.form(w)
    page_url = place.page(w) if place.page else url
    page = client.get(page_url)
    assert page.status_code == 200, page_url
    fields = fields_of(page.get_data(as_text=True), page_url, url, "post")
    data = {name: item.default for name, item in fields.items() if item.default is not None}
    data.update(place.extra(w))
    return url, data, place.fields(w, list(fields))


@pytest.mark.parametrize("place", list(PLACES))
def test_each_payload_is_refused_or_stored_verbatim_and_shown_escaped(client, login, new_client, world, place):
    where = PLACES[place]
    login(getattr(world, where.role))
    admin = login(world.admin, new_client())
    for payload in PAYLOADS:
        check_place(client, admin, world, where, payload.name, payload.value)


def check_place(client, admin, w, where: Place, name: str, value: str) -> None:
    url, data, names = _form_data(client, w, where)
    assert names and all(field in data for field in names), names
    before = where.stored(w)
    data.update({field: value for field in names})

    response = client.post(url, data=data)
    html = response.get_data(as_text=True)
    assert response.status_code < 500, name
    assert unescaped_markup(html) == [], name
    db.session.expire_all()
    if response.status_code != 302:
        # Refused, with the reason beside a field; nothing changed (a draft keeps the fields
        # that were accepted: each field holds either what it held or exactly what was typed).
        assert response.status_code in (200, 422), (name, response.status_code)
        assert "invalid-feedback" in html, name
        stored = where.stored(w)
        if refused_by_forms(value) or not where.keeps_accepted:
            assert stored == before, name
        else:
            assert all(now in (then, value.strip()) for now, then in zip(stored, before, strict=True)), name
            if stored != before:
                check_shown_escaped(admin, w, where, name, value)
        if refused_by_forms(value):
            assert REFUSED_MESSAGE in html, name
        else:
            assert "cannot be longer than" in html, f"{name}: only control characters and length are refused"
        return

    assert not refused_by_forms(value), f"{name}: control characters must be refused"
    assert where.stored(w) == [value.strip()] * len(names), name
    check_shown_escaped(admin, w, where, name, value)


def check_shown_escaped(admin, w, where: Place, name: str, value: str) -> None:
    shown = admin.get(where.shows(w))
    assert shown.status_code == 200, name
    page = shown.get_data(as_text=True)
    assert unescaped_markup(page) == [], name
    assert str(escape(value.strip())) in page, f"{name} is not shown escaped"


# --- CSV and XLSX ------------------------------------------------------------------------------------


def expected_cell(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def _store_in_nomination(w, value: str) -> None:
    """`value` (cut to what each column holds) in every text field that the exports show."""
    nomination = db.session.get(Nomination, w.nomination.id)
    short = value[:200]
    nomination.title = nomination.title_other = short
    nomination.summary = nomination.description = nomination.partners = nomination.outcomes = value
    for statement in nomination.statements:
        statement.text = value
    site = db.session.get(Site, w.site_a.id)
    site.name_en = site.name_ja = short
    sheet = db.session.get(ScoreSheet, w.sheet.id)
    for score in sheet.scores:
        score.comment = value
    sheet.overall_comment = value
    db.session.commit()


def _csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")))


def _export(cycle_id: int, kind: str, fmt: str) -> bytes:
    return b"".join(build_export(db.session.get(Cycle, cycle_id), kind, fmt).chunks)


def test_exports_neutralise_formulas_and_keep_the_rest_verbatim(world):
    for payload in STORABLE:
        check_exports(world, payload.value)


def check_exports(world, value: str) -> None:
    _store_in_nomination(world, value)
    texts = {value, value[:200]}
    for kind in ("nominations", "scores"):
        header, *rows = _csv_rows(_export(world.cycle.id, kind, "csv"))
        cells = [cell for row in rows for cell in row]
        for text in texts:
            assert expected_cell(text) in cells, (kind, text[:40])
        assert not [cell for cell in cells if cell.startswith(FORMULA_TRIGGERS)], "a formula cell in CSV"
        assert not [cell for cell in header if cell.startswith(FORMULA_TRIGGERS)]

        sheet = load_workbook(io.BytesIO(_export(world.cycle.id, kind, "xlsx"))).worksheets[0]
        cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row if cell.value is not None]
        assert not [cell for cell in cells if cell.data_type == "f"], "a formula in XLSX"
        for cell in cells:
            if isinstance(cell.value, str):
                assert cell.data_type == "s"
                assert not cell.value.startswith(FORMULA_TRIGGERS)
        values = [cell.value for cell in cells]
        for text in texts:
            # XLSX cuts a cell at Excel's limit of 32,767 characters; and XML reads every line end
            # (CR LF, CR) as LF, as Excel does.
            shown = text if len(text) <= 32_767 else text[:32_766] + "…"
            shown = shown.replace("\r\n", "\n").replace("\r", "\n")
            assert expected_cell(shown) in values, (kind, text[:40])
        if kind == "nominations":
            by_header = dict(zip([c.value for c in sheet[1]], [c.value for c in sheet[2]], strict=True))
            assert by_header["Number of participants"] == 120  # a number stays a number
            assert float(by_header["Volunteer hours (total)"]) == 360.5


def test_control_characters_in_stored_text_never_break_an_export(world, app):
    """Text from before the forms refused control characters (or typed at the command line) still
    exports: XML cannot hold them, so an XLSX cell shows U+FFFD in their place."""
    # PostgreSQL text cannot hold NUL at all; SQLite can.
    text = "bell\x07 esc\x1b" + (" nul\x00" if db.engine.dialect.name == "sqlite" else "")
    _store_in_nomination(world, text)
    _header, *rows = _csv_rows(_export(world.cycle.id, "nominations", "csv"))
    assert text in [cell for row in rows for cell in row]
    sheet = load_workbook(io.BytesIO(_export(world.cycle.id, "nominations", "xlsx"))).worksheets[0]
    expected = text.replace("\x07", "\ufffd").replace("\x1b", "\ufffd").replace("\x00", "\ufffd")
    assert expected in [cell.value for cell in sheet[2]]


# --- PDF certificates -------------------------------------------------------------------------------


spy = certificate_checks.spy  # the fixture: this thread's renderer, with a fetcher that records


def printed(text: str) -> str:
    """The characters of `text` that a PDF's text layer holds: no white space, no format
    characters (zero-width, bidi controls), no control characters."""
    return "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch) not in ("Cf", "Cc"))


def _font_characters() -> set[str]:
    path = render.ASSETS / "fonts" / "ipaexm.ttf"
    return {chr(code) for code in TTFont(path).getBestCmap()}


FONT_CHARACTERS = _font_characters()


def test_certificates_print_each_payload_as_text(world, spy):
    """The text is printed and can be read back from the PDF, where the bundled font has every
    character and no bidi control reorders them (emoji, rare astral characters and C1 controls
    print from another font or as a box, which pypdf cannot read back); in every case the
    certificate renders and nothing outside the bundled assets is fetched."""
    certificate = world.certificate
    for payload in STORABLE:
        short = payload.value.strip()[:120]
        nomination = db.session.get(Nomination, db.session.get(AwardDecision, certificate.decision_id).nomination_id)
        nomination.title = short
        db.session.get(Site, nomination.site_id).name_en = short
        final = db.session.get(Cycle, world.final.id)
        final.signatory_name_en = short
        db.session.commit()
        certificate = certificate_services.reissue_certificate(world.admin, final, certificate)
        db.session.commit()

        text = printed(pdf_text(certificate_services.certificate_pdf(certificate)))
        controls = any(unicodedata.category(ch) == "Cc" for ch in short.replace("\t", "").replace("\n", ""))
        if set(printed(short)) <= FONT_CHARACTERS and not BIDI_CONTROLS & set(short) and not controls:
            assert printed(short) in text, payload.name
        assert "root:" not in text
        assert set(spy.asked) <= {STYLESHEET_URL, FONT_URL} and spy.refused == [], payload.name


# --- attachment file names -----------------------------------------------------------------------


def test_attachment_names_are_refused_or_shown_escaped(client, login, world):
    """A photo uploaded under each payload as its file name: never a server error, and the page
    listing the attachments shows the name escaped."""
    login(world.submitter_a)
    upload = url_for("nominations.upload_attachment", nomination_id=world.draft.id)
    page = url_for("nominations.view_nomination", nomination_id=world.draft.id)
    for payload in PAYLOADS:
        name = payload.value[:200] + ".png"
        response = client.post(upload, data={"file": (io.BytesIO(png_bytes()), name)})
        assert response.status_code < 500, payload.name
        assert unescaped_markup(response.get_data(as_text=True)) == [], payload.name
        html = client.get(page).get_data(as_text=True)
        assert unescaped_markup(html) == [], payload.name
