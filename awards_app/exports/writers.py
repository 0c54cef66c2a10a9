"""Writing tables as CSV and XLSX: the one place that decides how a value becomes a cell.

Every export builds plain `Table`s and hands them here, so all of them get the same guarantees:

* **Formula injection.** A *text* value that starts with ``=``, ``+``, ``-``, ``@``, tab, CR or LF
  is prefixed with a single quote (OWASP, "CSV Injection"), in both formats and in headers (criterion
  names are typed by admins). So is text whose NFKC normalisation starts with one of them (the
  full-width ``＝``, ``＋``, ``－``, ``＠`` a Japanese input method types, the small ``﹦``…): some
  spreadsheet programs normalise these before reading a formula. Numbers are never touched: -1.5 stays a number in XLSX and is written
  as ``-1.5`` in CSV, which Excel reads as a number, not a formula.
* **Figures.** CSV rounds every float half up to ``CSV_DECIMALS`` (4) decimals, without trailing
  zeros (2/3 → 0.6667, 56.25 → 56.25, 4.0 → 4): what people compare by eye, and enough for any
  recomputation to agree within 5e-5. XLSX keeps full precision, with display formats per column.
* **CSV** is UTF-8 with a byte-order mark (without it Japanese Excel reads UTF-8 as Shift_JIS)
  and CRLF line ends (the csv module's default, which Excel expects). Dates are ISO 8601.
* **XLSX** (openpyxl, write-only mode so that memory does not grow with the number of cells kept
  alive): a bold, frozen header row, an autofilter over the table, column widths from the content,
  numbers as numeric cells, dates and date-times as date cells.
* Date-times are written as **naive UTC** (the headers say "(UTC)"): exports are read in Tokyo and
  overseas and made by scheduled jobs that have no user, so the same instant is the same cell for
  everyone. Booleans are written as readable words ("Yes"/"No" in the export's language).
"""
from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from awards_app.core.web import round_half_up

BOM = "\ufeff".encode()
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
CSV_MIMETYPE = "text/csv; charset=utf-8"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP_MIMETYPE = "application/zip"

XLSX_DATE_FORMAT = "yyyy-mm-dd"
XLSX_DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
# Excel refuses a cell longer than this (the file is reported as damaged).
XLSX_MAX_TEXT = 32_767
XLSX_MAX_SHEET_TITLE = 31
# Column widths, in characters: enough for a date-time, not so much that one long description
# pushes everything else off the screen.
MIN_WIDTH, MAX_WIDTH = 6, 60
WIDTH_SAMPLE_ROWS = 200
CSV_CHUNK_ROWS = 500
CSV_DECIMALS = 4


@dataclass(frozen=True)
class Column:
    header: str
    # An Excel number format for numeric columns ("0.00"); the cell keeps its full precision.
    number_format: str | None = None


@dataclass
class Table:
    """One section of an export: a CSV file, or one worksheet."""

    key: str  # a stable ASCII slug: part of the CSV file name inside a ZIP ("ranking-japan")
    title: str  # the worksheet name, in the export's language
    columns: list[Column]
    rows: list[Sequence] = field(default_factory=list)


def neutralise(text: str) -> str:
    """The text with a leading single quote when a spreadsheet would read it as a formula.

    Both the text as typed and its NFKC form are checked: NFKC turns "＝1+1" into "=1+1", but it
    also composes "=" and a combining mark into "≠", which must not hide the "=" either. An ASCII
    first character never normalises into a trigger, so only other text pays for the normalisation.
    """
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    if text and not text[0].isascii() and unicodedata.normalize("NFKC", text).startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def _utc_naive(value: datetime) -> datetime:
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value.replace(microsecond=0)


def _number(value) -> int | float | Decimal | None:
    """The value if it is a finite number (NaN and infinity have no cell; they become blank)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, Decimal) and not value.is_finite():
        return None
    return value


# --- CSV ------------------------------------------------------------------------------------------


def csv_text(value, bool_labels: tuple[str, str]) -> str:
    """How one value is written in a CSV file."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return bool_labels[0] if value else bool_labels[1]
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        value = _number(value)
        if value is None:
            return ""
        rounded = round_half_up(value, CSV_DECIMALS)
        return "0" if rounded == 0 else format(rounded.normalize(), "f")  # never "-0" or "1E+2"
    if isinstance(value, Decimal):
        value = _number(value)
        return "" if value is None else format(value, "f")  # never "1E+1"
    if isinstance(value, datetime):
        return _utc_naive(value).isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return neutralise(str(value))


def iter_csv(table: Table, bool_labels: tuple[str, str] = ("Yes", "No")) -> Iterator[bytes]:
    """The table as CSV, in chunks (a response can stream them): BOM, header, rows, CRLF."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # excel dialect: CRLF, quotes only where needed

    def flush() -> bytes:
        chunk = buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
        return chunk

    writer.writerow([neutralise(column.header) for column in table.columns])
    yield BOM + flush()
    for index, row in enumerate(table.rows, start=1):
        writer.writerow([csv_text(value, bool_labels) for value in row])
        if index % CSV_CHUNK_ROWS == 0:
            yield flush()
    yield flush()


def write_csv(table: Table, bool_labels: tuple[str, str] = ("Yes", "No")) -> bytes:
    return b"".join(iter_csv(table, bool_labels))


def write_csv_zip(tables: Iterable[Table], prefix: str, bool_labels: tuple[str, str] = ("Yes", "No")) -> bytes:
    """Several tables as one CSV file each (`<prefix>-<table key>.csv`) in a ZIP archive.

    File names are ASCII on purpose: Windows' built-in ZIP support mangles non-ASCII names."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in tables:
            archive.writestr(f"{prefix}-{table.key}.csv", write_csv(table, bool_labels))
    return buffer.getvalue()


# --- XLSX -----------------------------------------------------------------------------------------


def _display_width(text: str) -> int:
    """Characters an Excel column needs for `text`: wide (CJK) characters count twice."""
    longest = 0
    for line in text.splitlines() or [""]:
        width = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
        longest = max(longest, width)
    return longest


def _xlsx_text(text: str) -> str:
    # XML cannot hold most control characters (openpyxl would raise); show where one was.
    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)
    if len(text) > XLSX_MAX_TEXT:
        text = text[: XLSX_MAX_TEXT - 1] + "…"
    return neutralise(text)


def xlsx_value(value, bool_labels: tuple[str, str]):
    """How one value is stored in a worksheet cell (numbers and dates keep their type)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return bool_labels[0] if value else bool_labels[1]
    if isinstance(value, (int, float, Decimal)):
        return _number(value)
    if isinstance(value, datetime):
        return _utc_naive(value)
    if isinstance(value, date):
        return value
    return _xlsx_text(str(value))


def _column_widths(table: Table, values: list[list]) -> list[float]:
    widths = []
    for index, column in enumerate(table.columns):
        # +3 leaves room for the autofilter's drop-down button next to the header.
        width = _display_width(column.header) + 3
        for row in values[:WIDTH_SAMPLE_ROWS]:
            value = row[index]
            if value is None:
                continue
            if isinstance(value, datetime):
                width = max(width, 20)
            elif isinstance(value, date):
                width = max(width, 11)
            elif isinstance(value, float):
                width = max(width, 10)
            else:
                width = max(width, _display_width(str(value)) + 1)
        widths.append(min(max(width, MIN_WIDTH), MAX_WIDTH))
    return widths


def sheet_title(title: str, taken: set[str]) -> str:
    """A valid, unique worksheet name: no []:*?/\\, at most 31 characters."""
    base = re.sub(r"[\[\]:*?/\\]", " ", title).strip("' ")[:XLSX_MAX_SHEET_TITLE] or "Sheet"
    candidate, number = base, 2
    while candidate.lower() in taken:
        suffix = f" ({number})"
        candidate = base[: XLSX_MAX_SHEET_TITLE - len(suffix)] + suffix
        number += 1
    taken.add(candidate.lower())
    return candidate


def write_xlsx(tables: Iterable[Table], bool_labels: tuple[str, str] = ("Yes", "No")) -> bytes:
    """The tables as one workbook, one worksheet each, in the order given."""
    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    bold = Font(bold=True)
    top = Alignment(vertical="top")
    for table in tables:
        sheet = workbook.create_sheet(title=sheet_title(table.title, taken))
        values = [[xlsx_value(value, bool_labels) for value in row] for row in table.rows]
        # Write-only sheets take their column widths, panes and filter before the first row.
        for index, width in enumerate(_column_widths(table, values), start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A2"
        last_column = get_column_letter(max(len(table.columns), 1))
        sheet.auto_filter.ref = f"A1:{last_column}{len(values) + 1}"

        header = []
        for column in table.columns:
            cell = WriteOnlyCell(sheet, value=_xlsx_text(column.header))
            cell.font = bold
            cell.alignment = top
            header.append(cell)
        sheet.append(header)

        formats = [column.number_format for column in table.columns]
        for row in values:
            sheet.append([_cell(sheet, value, fmt) for value, fmt in zip(row, formats, strict=True)])
    if not taken:  # a workbook needs at least one sheet
        workbook.create_sheet("Sheet")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(sheet, value, number_format: str | None):
    """A plain value, or a styled cell where the value needs a display format."""
    if isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = XLSX_DATETIME_FORMAT
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = XLSX_DATE_FORMAT
        return cell
    if number_format and isinstance(value, (int, float, Decimal)):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = number_format
        return cell
    return value
