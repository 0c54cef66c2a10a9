"""Reading a spreadsheet of activities: XLSX or CSV in, valid rows and every problem out.

Nothing here writes: ``read_activities`` returns the rows that would be imported and the problems
found, each with its row and column, as lazily translated messages (shown in the reader's
language). The web preview, its confirmation and ``flask activities import`` all read through it.

* XLSX is read with openpyxl in read-only mode and formulas are never evaluated: a formula cell is
  read by the value Excel saved with it, and a formula without one is an error for its cell.
  openpyxl streams the saved values (data_only); which cells hold formulas, the hidden rows and the
  merged cells come from one streaming pass of our own over the sheet's XML (openpyxl's read-only
  sheets expose none of them). Hidden sheets and rows are ignored, and said so.
* CSV is UTF-8 (with or without BOM) or CP932/Shift_JIS, which Japanese Excel writes. The bytes
  decide: strict UTF-8 first, then strict CP932; Shift_JIS bytes almost never decode as UTF-8, so a
  Japanese Excel file is never read as mojibake, and bytes that are neither are refused, not guessed.
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from xml.etree import ElementTree

from flask_babel import lazy_gettext as _l
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter, range_boundaries
from openpyxl.utils.cell import coordinate_from_string

from awards_app.activities.models import DESCRIPTION_MAX, HOURS_MAX, PARTNERS_MAX, REFERENCE_MAX, TITLE_MAX
from awards_app.activities.services import PlannedRow, activity_problems, decimal_places
from awards_app.activities.spreadsheet import COLUMNS, THEME_WORDS, YES_NO_WORDS
from awards_app.cycles.fiscal import fiscal_year_of

XLSX_MAGIC = b"PK\x03\x04"
# A zip whose contents are far larger than the file is refused before openpyxl reads it.
MAX_UNZIPPED_RATIO = 30
_EXCEL_EPOCH = date(1899, 12, 30)
_DATE_TEXT = re.compile(r"(\d{4})[/\-.年](\d{1,2})[/\-.月](\d{1,2})日?(?:[ T]0{1,2}:0{2}(?::0{2})?)?")
_SERIAL_TEXT = re.compile(r"\d{5}")
_INTEGER_TEXT = re.compile(r"[+-]?\d+")
_DECIMAL_TEXT = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_MAX_LENGTHS = {"reference": REFERENCE_MAX, "title": TITLE_MAX, "title_other": TITLE_MAX,
                "partners": PARTNERS_MAX, "description": DESCRIPTION_MAX, "site_code": 32}


@dataclass
class Issue:
    """A problem (or a notice) of the file, at a row and a column when it has them."""

    message: object
    row: int | None = None
    column: str | None = None  # the spreadsheet's column letter
    key: str | None = None  # the column's key (participants, …)


@dataclass
class Reading:
    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)
    notices: list[Issue] = field(default_factory=list)
    empty_rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


class FileRefused(Exception):
    """The file as a whole cannot be read (type, size, encoding, header)."""

    def __init__(self, message, row: int | None = None, column: str | None = None):
        super().__init__(str(message))
        self.issue = Issue(message, row, column)


@dataclass
class Cell:
    value: object
    error: object = None  # a message when the cell cannot be read (formula without value, #DIV/0!)


# --- the file ----------------------------------------------------------------------------------


def _kind(filename: str, data: bytes) -> str:
    name = filename.lower().rsplit("/", 1)[-1]
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    if extension in ("xlsm", "xltm", "xlsb"):
        raise FileRefused(_l("Macro-enabled workbooks (.%(ext)s) are not accepted: save the file as .xlsx or .csv.",
                             ext=extension))
    if extension == "xls":
        raise FileRefused(_l("The old Excel format (.xls) is not accepted: save the file as .xlsx or .csv."))
    if extension == "xlsx":
        if not data.startswith(XLSX_MAGIC):
            raise FileRefused(_l("This file is not a valid .xlsx workbook."))
        return "xlsx"
    if extension in ("csv", "txt"):
        return "csv"
    raise FileRefused(_l("Upload an .xlsx workbook or a .csv file."))


def decode_csv(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was in: UTF-8 (BOM or not), else CP932."""
    for encoding, name in (("utf-8-sig", "UTF-8"), ("cp932", "Shift_JIS (CP932)")):
        try:
            return data.decode(encoding), name
        except UnicodeDecodeError:
            continue
    raise FileRefused(_l("The file is neither UTF-8 nor Shift_JIS (CP932) text: save it again as CSV UTF-8 or CSV."))


def _csv_rows(data: bytes, notices: list[Issue]) -> Iterator[tuple[int, list[Cell]]]:
    text, encoding = decode_csv(data)
    notices.append(Issue(_l("Read as a CSV file in %(encoding)s.", encoding=encoding)))
    if "\x00" in text:
        raise FileRefused(_l("This file is not a CSV text file."))
    for number, record in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
        yield number, [Cell(value) for value in record]


def _sheet_layout(archive: zipfile.ZipFile, path: str) -> tuple[set[int], list[str], set[tuple[int, int]]]:
    """The hidden rows, the merged ranges and the (row, column) of every formula cell of a sheet,
    in one streaming pass over its XML."""
    hidden: set[int] = set()
    merged: list[str] = []
    formulas: set[tuple[int, int]] = set()
    cell = None
    with archive.open(path) as stream:
        for event, element in ElementTree.iterparse(stream, events=("start", "end")):
            tag = element.tag.rsplit("}", 1)[-1]
            if event == "start":
                if tag == "c":
                    cell = element.get("r")
                elif tag == "f" and cell:
                    column, row = coordinate_from_string(cell)
                    formulas.add((row, column_index_from_string(column)))
                elif tag == "row" and element.get("hidden") in ("1", "true") and element.get("r"):
                    hidden.add(int(element.get("r")))
                elif tag == "mergeCell" and element.get("ref"):
                    merged.append(element.get("ref"))
            elif tag in ("row", "c"):
                element.clear()
    return hidden, merged, formulas


def _xlsx_rows(data: bytes, notices: list[Issue], errors: list[Issue], max_bytes: int) -> Iterator[tuple[int, list[Cell]]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
        unzipped = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise FileRefused(_l("This file is not a valid .xlsx workbook.")) from None
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise FileRefused(_l("This workbook contains macros, which are not accepted: save it as .xlsx without macros."))
    if unzipped > max(max_bytes, len(data)) * MAX_UNZIPPED_RATIO:
        raise FileRefused(_l("This workbook is too large once unpacked."))
    try:
        values = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception:  # openpyxl raises many types for a broken workbook  # noqa: BLE001
        raise FileRefused(_l("This file is not a valid .xlsx workbook.")) from None
    visible = []
    for sheet in values.worksheets:
        if sheet.sheet_state != "visible":
            notices.append(Issue(_l("The hidden sheet “%(sheet)s” was ignored.", sheet=sheet.title)))
        else:
            visible.append(sheet.title)
    if not visible:
        raise FileRefused(_l("The workbook has no visible sheet."))
    title = visible[0]
    value_sheet = values[title]
    hidden, merged, formulas = _sheet_layout(archive, value_sheet._worksheet_path)  # noqa: SLF001 (openpyxl keeps it private)
    for ref in merged:
        min_col, min_row, _max_col, max_row = range_boundaries(ref)
        errors.append(Issue(_l("Merged cells (%(range)s) are not accepted: unmerge them and fill in each cell.",
                               range=ref), row=min_row, column=get_column_letter(min_col)))
    if hidden:
        shown = ", ".join(str(n) for n in sorted(hidden)[:20]) + (" …" if len(hidden) > 20 else "")
        notices.append(Issue(_l("Hidden rows were ignored: %(rows)s.", rows=shown)))
    number = 0
    for value_row in value_sheet.iter_rows():
        number += 1
        if number in hidden:
            continue
        cells = []
        for column, value_cell in enumerate(value_row, start=1):
            value = value_cell.value
            if getattr(value_cell, "data_type", None) == "e":
                cells.append(Cell(None, _l("The cell holds an error (%(error)s).", error=value)))
            elif value is None and (number, column) in formulas:
                cells.append(Cell(None, _l("This formula has no saved value: type the value, or open and save the "
                                           "file in Excel.")))
            else:
                cells.append(Cell(value))
        yield number, cells
    values.close()


# --- the header ----------------------------------------------------------------------------------


def _normal(text) -> str:
    text = unicodedata.normalize("NFKC", str(text or "")).strip().lower()
    return re.sub(r"[\s_*]+", " ", text).strip()


_HEADER_NAMES: dict[str, str] = {}
for _key, (_english, _japanese, _required) in COLUMNS.items():
    for _name in (_key, _key.replace("_", " "), _english, _japanese):
        _HEADER_NAMES[_normal(_name)] = _key


def header_key(text) -> str | None:
    """The column key a header cell names: the key, its English or Japanese header, or the
    template's "header (key)"."""
    normal = _normal(text)
    if normal in _HEADER_NAMES:
        return _HEADER_NAMES[normal]
    match = re.fullmatch(r"(.*)\(([^()]*)\)", normal)
    if match:
        return _HEADER_NAMES.get(match.group(2).strip()) or _HEADER_NAMES.get(match.group(1).strip())
    return None


def _read_header(number: int, cells: list[Cell], *, need_site: bool) -> dict[int, str]:
    columns: dict[int, str] = {}
    unknown = []
    for index, cell in enumerate(cells):
        if cell.value is None or str(cell.value).strip() == "":
            continue
        key = header_key(cell.value)
        letter = get_column_letter(index + 1)
        if key is None:
            unknown.append(f"{letter}: “{str(cell.value).strip()[:60]}”")
        elif key in columns.values():
            raise FileRefused(_l("The column “%(name)s” appears twice in the header row.", name=key), number, letter)
        else:
            columns[index] = key
    required = [key for key, (_e, _j, needed) in COLUMNS.items() if needed or (need_site and key == "site_code")]
    missing = [key for key in required if key not in columns.values()]
    if not columns:
        raise FileRefused(_l("The header row is missing: the first row must name the columns (%(keys)s).",
                             keys=", ".join(required)), number)
    if unknown or missing:
        parts = []
        if unknown:
            parts.append(str(_l("unknown column names %(names)s", names="; ".join(unknown))))
        if missing:
            parts.append(str(_l("missing columns %(keys)s", keys=", ".join(missing))))
        raise FileRefused(_l("The header row (row %(row)s) is not right: %(problems)s. Use the template's headers.",
                             row=number, problems="; ".join(parts)), number)
    return columns


# --- the cells -------------------------------------------------------------------------------------


class CellRefused(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value).strip()


def _clean_number_text(value) -> str:
    text = unicodedata.normalize("NFKC", _text(value))
    return re.sub(r"[,\s]", "", text)  # thousands separators (full-width ones become ',' above)


def read_date(value) -> date | None:
    if value is None or _text(value) == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        serial = int(value)
        if serial != value or not 1 <= serial <= 2958465:
            raise CellRefused(_l("Enter a date such as 2012-05-03 or 2012/05/03."))
        return _EXCEL_EPOCH + timedelta(days=serial)
    text = unicodedata.normalize("NFKC", _text(value))
    if _SERIAL_TEXT.fullmatch(text):
        return _EXCEL_EPOCH + timedelta(days=int(text))
    match = _DATE_TEXT.fullmatch(text)
    if match:
        try:
            return date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
    raise CellRefused(_l("Enter a date such as 2012-05-03 or 2012/05/03."))


def read_whole_number(value) -> int | None:
    if isinstance(value, bool):
        raise CellRefused(_l("Enter a whole number, such as 25."))
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise CellRefused(_l("Participants are counted in whole numbers: %(value)s is not one.", value=value))
        number = int(value)
    else:
        text = _clean_number_text(value)
        if text == "":
            return None
        if len(text) <= 30 and _DECIMAL_TEXT.fullmatch(text) and not _INTEGER_TEXT.fullmatch(text):
            if Decimal(text) != Decimal(text).to_integral_value():
                raise CellRefused(_l("Participants are counted in whole numbers: %(value)s is not one.", value=text))
            text = str(int(Decimal(text)))
        if not _INTEGER_TEXT.fullmatch(text) or len(text) > 12:
            raise CellRefused(_l("Enter a whole number, such as 25."))
        number = int(text)
    if number < 0:
        raise CellRefused(_l("The number cannot be negative."))
    return number


def read_hours(value) -> Decimal | None:
    if isinstance(value, bool):
        raise CellRefused(_l("Enter a number, such as 12.5."))
    if isinstance(value, (int, float)):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    else:
        text = _clean_number_text(value)
        if text == "":
            return None
        if len(text) > 30 or not _DECIMAL_TEXT.fullmatch(text):
            raise CellRefused(_l("Enter a number, such as 12.5."))
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise CellRefused(_l("Enter a number, such as 12.5.")) from None
    if not number.is_finite():
        raise CellRefused(_l("Enter a number, such as 12.5."))
    if number < 0:
        raise CellRefused(_l("The number cannot be negative."))
    if decimal_places(number) > 1:
        raise CellRefused(_l("Use at most one decimal place, such as 12.5."))
    if number > HOURS_MAX:
        raise CellRefused(_l("Enter a number of hours from 0 to %(max)s.", max=f"{HOURS_MAX:,}"))
    return number.quantize(Decimal("0.1"))


def read_theme(value):
    text = _normal(value)
    if text == "":
        return None
    if text not in THEME_WORDS:
        raise CellRefused(_l("Enter nature, education or community (or 自然, 教育, コミュニティ)."))
    return THEME_WORDS[text]


def read_yes_no(value) -> bool:
    if isinstance(value, bool):
        return value
    text = _normal(value)
    if text not in YES_NO_WORDS:
        raise CellRefused(_l("Enter yes or no (はい or いいえ)."))
    return YES_NO_WORDS[text]


def _read_text(key: str):
    def read(value) -> str:
        text = _text(value)
        if key in ("reference", "site_code"):
            text = unicodedata.normalize("NFKC", text).strip()
        if any(unicodedata.category(char) == "Cc" and char not in "\t\r\n" for char in text):
            raise CellRefused(_l("This field contains characters that are not allowed."))
        if len(text) > _MAX_LENGTHS[key]:
            raise CellRefused(_l("At most %(max)s characters.", max=_MAX_LENGTHS[key]))
        return text

    return read


READERS: dict[str, Callable] = {
    "site_code": _read_text("site_code"), "reference": _read_text("reference"), "title": _read_text("title"),
    "title_other": _read_text("title_other"), "theme": read_theme, "biodiversity": read_yes_no,
    "start_date": read_date, "end_date": read_date, "participants": read_whole_number,
    "volunteer_hours": read_hours, "partners": _read_text("partners"), "description": _read_text("description"),
}


# --- the whole reading ------------------------------------------------------------------------


def read_activities(filename: str, data: bytes, *, sites_by_code: dict, own_site=None,
                    year_closed: Callable[[int, int], object] = lambda site_id, fy: None,
                    max_bytes: int, max_rows: int) -> Reading:
    """Read and check every row of a spreadsheet of activities.

    `sites_by_code`: every site by its upper-case code. `own_site`: the site of a site's own upload
    (its rows only; the site_code column may be left empty), None for an admin's import (site_code
    required). `year_closed(site_id, fiscal_year)`: why the user may not change that site's year,
    or None. Limits: `max_bytes` for the file, `max_rows` for the rows that are not empty."""
    reading = Reading()
    answers: dict[tuple[int, int], object] = {}

    def closed(site_id: int, fiscal_year: int):  # asked once per site and year, not once per row
        if (site_id, fiscal_year) not in answers:
            answers[site_id, fiscal_year] = year_closed(site_id, fiscal_year)
        return answers[site_id, fiscal_year]

    try:
        _read(reading, filename, data, sites_by_code=sites_by_code, own_site=own_site, year_closed=closed,
              max_bytes=max_bytes, max_rows=max_rows)
    except FileRefused as refused:
        reading.rows = []
        reading.errors.insert(0, refused.issue)
    return reading


def _read(reading: Reading, filename: str, data: bytes, *, sites_by_code, own_site, year_closed, max_bytes,
          max_rows) -> None:
    if len(data) > max_bytes:
        raise FileRefused(_l("The file is larger than %(mb)s MB, the most an import accepts.",
                             mb=max(1, max_bytes // (1024 * 1024))))
    if not data:
        raise FileRefused(_l("The file is empty."))
    kind = _kind(filename, data)
    rows = _csv_rows(data, reading.notices) if kind == "csv" else _xlsx_rows(data, reading.notices, reading.errors,
                                                                             max_bytes)
    columns = None
    seen: dict[tuple[int, int, str], int] = {}
    counted = 0
    for number, cells in rows:
        if all(cell.error is None and _text(cell.value) == "" for cell in cells):
            if columns is not None:
                reading.empty_rows += 1
            continue
        if columns is None:
            columns = _read_header(number, cells, need_site=own_site is None)
            continue
        counted += 1
        if counted > max_rows:
            raise FileRefused(_l("The file has more than %(max)s rows, the most one import accepts: split it.",
                                 max=f"{max_rows:,}"))
        _read_row(reading, number, cells, columns, sites_by_code=sites_by_code, own_site=own_site,
                  year_closed=year_closed, seen=seen)
    if columns is None:
        raise FileRefused(_l("The file holds no header row and no activities."))
    if counted == 0:
        reading.notices.append(Issue(_l("The file holds no activities.")))


def _read_row(reading: Reading, number: int, cells: list[Cell], columns: dict[int, str], *, sites_by_code, own_site,
              year_closed, seen) -> None:
    letters = {key: get_column_letter(index + 1) for index, key in columns.items()}
    values: dict = {key: None for key in READERS}
    errors: list[Issue] = []

    def refuse(key: str, message) -> None:
        errors.append(Issue(message, number, letters.get(key), key))

    for index, key in columns.items():
        cell = cells[index] if index < len(cells) else Cell(None)
        if cell.error is not None:
            refuse(key, cell.error)
            continue
        try:
            values[key] = READERS[key](cell.value)
        except CellRefused as refused:
            refuse(key, refused.message)
    for key in ("reference", "title", "title_other", "partners", "description", "site_code"):
        values[key] = values[key] or ""
    values["biodiversity"] = bool(values["biodiversity"])
    site = _row_site(values["site_code"], own_site, sites_by_code, refuse)
    if not values["reference"] and "reference" not in {e.key for e in errors}:
        refuse("reference", _l("Enter the site's own reference of this activity (unique in the year)."))
    fiscal_year = fiscal_year_of(values["start_date"]) if values["start_date"] else None
    activity = {key: values[key] for key in READERS if key != "site_code"}
    if fiscal_year is not None:
        typed = {e.key for e in errors}
        for key, message in activity_problems(activity, fiscal_year):
            if key not in typed:
                refuse(key, message)
    elif "start_date" not in {e.key for e in errors}:
        refuse("start_date", _l("Enter a date."))
    if site is not None and fiscal_year is not None:
        reason = year_closed(site.id, fiscal_year)
        if reason is not None:
            refuse("start_date", reason)
        key = (site.id, fiscal_year, values["reference"])
        if values["reference"] and key in seen:
            refuse("reference", _l("The reference “%(reference)s” is also on row %(row)s: each activity needs its own.",
                                   reference=values["reference"], row=seen[key]))
        elif values["reference"]:
            seen[key] = number
    if errors:
        reading.errors.extend(errors)
        return
    activity["reference"] = activity["reference"] or None
    reading.rows.append(PlannedRow(row=number, site_id=site.id, site_code=site.code, fiscal_year=fiscal_year,
                                   values=activity))


def _row_site(code: str, own_site, sites_by_code: dict, refuse):
    if own_site is not None:
        if code and code.upper() != own_site.code.upper():
            refuse("site_code", _l("This row is for another site (%(code)s): you can import only the activities of "
                                   "%(own)s.", code=code, own=own_site.code))
            return None
        return own_site
    if not code:
        refuse("site_code", _l("Enter the site code."))
        return None
    site = sites_by_code.get(code.upper())
    if site is None:
        refuse("site_code", _l("No site has the code %(code)s.", code=code))
    return site
