"""Helpers for the nomination tests: form data, files, and reading pages.

The image helpers are local copies (tests/ is not an importable package under every way of
running pytest), extended with EXIF for the thumbnail tests.
"""
from __future__ import annotations

import html
import io
import re
from datetime import timedelta

from PIL import Image
from sqlalchemy import select

from awards_app.audit.models import AuditEvent
from awards_app.extensions import db

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
SVG_BYTES = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script><rect width=\"10\" height=\"10\"/></svg>\n"
)
HTML_BYTES = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>\n"
TEXT_BYTES = b"This is just a text file pretending to be a photo.\n"
XSS = "<script>alert(1)</script>"
ESCAPED_XSS = "&lt;script&gt;alert(1)&lt;/script&gt;"


def png_bytes(size=(64, 48), color=(30, 120, 200), mode="RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_bytes(size=(64, 48), orientation: int | None = None, gps: bool = False) -> bytes:
    image = Image.new("RGB", size, (200, 80, 40))
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    if gps:
        exif[0x010F] = "Secret Camera Maker"  # Make
        exif[0x8825] = {1: "N", 2: (35.0, 40.0, 0.0)}  # GPSInfo: a place someone lives
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes() if (orientation or gps) else b"")
    return buffer.getvalue()


def form_data(cycle, action: str = "save_draft", version: int | None = None, **overrides) -> dict:
    """A complete, valid nomination form for `cycle`; override (or drop with None) any field."""
    start = cycle.start_date + timedelta(days=40)
    data = {
        "language": "en",
        "title": "River clean-up with the city",
        "title_other": "市と協働した河川清掃",
        "theme": "nature",
        "biodiversity": "y",
        "summary": "Employees and families cleaned the riverbank.",
        "description": "We cleaned 3 km of riverbank and counted the birds.",
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=2)).isoformat(),
        "participants": "85",
        "volunteer_hours": "255.5",
        "partners": "City river office; Green NPO",
        "outcomes": "400 kg of litter removed.",
        action: "1",
    }
    for criterion in cycle.criteria:
        data[f"statement_{criterion.id}"] = f"Our statement on {criterion.name_en}."
    if version is not None:
        data["version"] = str(version)
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def field_error(page: str, field_id: str) -> str:
    """The error text shown beside a field ('' when there is none)."""
    match = re.search(rf'<div id="{re.escape(field_id)}-error"[^>]*>(.*?)</div>', page, re.S)
    return html.unescape(match.group(1)).strip() if match else ""


def input_value(page: str, name: str) -> str | None:
    """The value an <input> or <textarea> named `name` shows (None when absent)."""
    for tag in re.findall(r"<input\b[^>]*>", page):
        if re.search(rf'\bname="{re.escape(name)}"', tag):
            value = re.search(r'\bvalue="([^"]*)"', tag)
            return html.unescape(value.group(1)) if value else ""
    match = re.search(rf'<textarea\b[^>]*\bname="{re.escape(name)}"[^>]*>(.*?)</textarea>', page, re.S)
    if match:
        return html.unescape(match.group(1)).lstrip("\r\n")
    return None


def checked_value(page: str, name: str) -> str | None:
    """The value of the checked radio button named `name`."""
    for tag in re.findall(r"<input\b[^>]*>", page):
        if re.search(rf'\bname="{re.escape(name)}"', tag) and re.search(r"\bchecked\b", tag):
            return re.search(r'\bvalue="([^"]*)"', tag).group(1)
    return None


def main_text(page: str) -> str:
    """The page's <main> element, tags removed, spaces collapsed, entities decoded."""
    main = page[page.index("<main"): page.index("</main>")]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", main)).split())


def events(action: str | None = None) -> list[AuditEvent]:
    query = select(AuditEvent).order_by(AuditEvent.id)
    if action:
        query = query.where(AuditEvent.action == action)
    return list(db.session.scalars(query))
