"""Reading a page's forms as a browser would: which fields each form sends, with their options and
the values the page filled in. Used by test_fuzz.py and test_payloads.py."""
from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit


@dataclass
class Field:
    kind: str  # "text", "file" or "choice"
    choices: list[str] = field(default_factory=list)
    default: str | None = None


@dataclass
class ParsedForm:
    action: str
    method: str
    fields: dict[str, Field] = field(default_factory=dict)


class FormParser(HTMLParser):
    """Every <form> of a page with the fields a browser would send: inputs, text areas, selects
    and named buttons (one field per name; radios, check boxes, options and buttons give choices)."""

    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[ParsedForm] = []
        self.form: ParsedForm | None = None
        self.textarea: str | None = None
        self.select: str | None = None

    def _field(self, name: str, kind: str) -> Field:
        return self.form.fields.setdefault(name, Field(kind))

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.form = ParsedForm(urlsplit(attrs.get("action") or self.page_url).path,
                                   (attrs.get("method") or "get").lower())
            self.forms.append(self.form)
            return
        name = attrs.get("name")
        if self.form is None or not name and tag != "option":
            return
        kind = (attrs.get("type") or "").lower()
        if tag == "input" and kind in ("checkbox", "radio", "submit", "image"):
            item = self._field(name, "choice")
            item.choices.append(attrs.get("value") or "on")
            if "checked" in attrs:
                item.default = attrs.get("value") or "on"
        elif tag == "button" and kind in ("", "submit"):
            self._field(name, "choice").choices.append(attrs.get("value") or "")
        elif tag == "input" and kind == "file":
            self._field(name, "file")
        elif tag == "input" and kind not in ("button", "reset"):
            self._field(name, "text").default = attrs.get("value") or ""
        elif tag == "textarea":
            self._field(name, "text").default = ""
            self.textarea = name
        elif tag == "select":
            self._field(name, "choice")
            self.select = name
        elif tag == "option" and self.select:
            item = self.form.fields[self.select]
            item.choices.append(attrs.get("value") or "")
            if "selected" in attrs:
                item.default = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None

    def handle_data(self, data):
        if self.form is not None and self.textarea:
            item = self.form.fields[self.textarea]
            if not item.default:  # a browser drops the line break that opens a text area
                data = data[2:] if data.startswith("\r\n") else data.removeprefix("\n")
            item.default += data


def forms_on(html: str, page_url: str) -> list[ParsedForm]:
    parser = FormParser(urlsplit(page_url).path)
    parser.feed(html)
    parser.close()
    return parser.forms


def fields_of(html: str, page_url: str, action: str, method: str) -> dict[str, Field]:
    """The fields of the forms on the page that send to `action` (several forms may: one button
    each), merged; the test fails when the page has none."""
    matching = [f for f in forms_on(html, page_url) if f.action == urlsplit(action).path and f.method == method]
    assert matching, f"no {method} form for {action} on {page_url}"
    merged: dict[str, Field] = {}
    for form in matching:
        for name, item in form.fields.items():
            if name not in merged:
                merged[name] = Field(item.kind, list(item.choices), item.default)
            else:
                merged[name].choices += item.choices
    return merged
