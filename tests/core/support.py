"""Helpers shared by the accounts, sites, audit, main and core tests.

Imported by those folders' conftest.py files (`from core.support import ...`); pytest puts
`tests/` on sys.path because the folders are packages.
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from functools import cache
from html.parser import HTMLParser

from babel.messages.pofile import read_po
from flask import current_app
from werkzeug.exceptions import HTTPException

from awards_app import create_app
from awards_app.config import PROJECT_ROOT
from awards_app.extensions import db
# The test users' password, for the tests that type it (the login helper is the `login` fixture).
from tests.conftest import PASSWORD  # noqa: F401

# --- the Japanese interface holds no English -------------------------------------------------------

JAPANESE_CATALOG = PROJECT_ROOT / "awards_app" / "translations" / "ja" / "LC_MESSAGES" / "messages.po"
_PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[sdf]")


@cache
def english_ui_strings() -> tuple[str, ...]:
    """The English of the interface that must never show on a Japanese page.

    The rule, so that a hit is a leak and not a coincidence: each msgid of the Japanese catalog
    is cut at its placeholders (%(name)s …); a piece counts when it has at least two words and
    ten characters ("Judge progress", "Please correct the field marked below."). Left out:
    single words and short pieces ("OK", "PDF", "CSV", "Next", codes, "FY"), which people's own
    English data (a site's name, an activity's title) may contain; msgids whose Japanese is the
    same text; and pieces that a Japanese translation itself contains (a bilingual product
    name written on purpose)."""
    with JAPANESE_CATALOG.open("rb") as file:
        catalog = read_po(file)
    japanese = " ".join(
        " ".join(m.string) if isinstance(m.string, (list, tuple)) else m.string for m in catalog if m.id
    )
    pieces = set()
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
        strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
        if set(ids) <= set(strings):
            continue
        for text in ids:
            for piece in _PLACEHOLDER.split(text):
                piece = piece.strip(" :;,.·—–-“”\"'()")
                if len(piece) >= 10 and len(re.findall(r"[A-Za-z]+", piece)) >= 2 and piece not in japanese:
                    pieces.add(piece)
    return tuple(sorted(pieces, key=len, reverse=True))


def english_ui_in(text: str) -> list[str]:
    """The pieces of the interface's English (english_ui_strings) that `text` contains, white space
    folded."""
    shown = " ".join(text.split())
    return [piece for piece in english_ui_strings() if piece in shown]


# --- reading pages ----------------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Element:
    def __init__(self, tag: str, attrs: dict[str, str | None]):
        self.tag = tag
        self.attrs = attrs
        self.parts: list[str] = []

    @property
    def text(self) -> str:
        return " ".join("".join(self.parts).split())

    def get(self, name: str, default=None):
        return self.attrs.get(name, default)

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def __repr__(self) -> str:
        return f"<{self.tag} {self.attrs} {self.text[:60]!r}>"


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.stack: list[Element] = []

    def _separate(self):
        # Element boundaries separate words, as a browser shows <dt>A</dt><dd>B</dd> as "A B".
        for element in self.stack:
            element.parts.append(" ")

    def handle_starttag(self, tag, attrs):
        self._separate()
        element = Element(tag, dict(attrs))
        self.elements.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.elements.append(Element(tag, dict(attrs)))

    def handle_endtag(self, tag):
        self._separate()
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        for element in self.stack:
            element.parts.append(data)


class Page:
    """A parsed HTML response: find elements by id, tag and attributes; read text."""

    def __init__(self, response):
        self.response = response
        self.html = response.get_data(as_text=True)
        parser = _Parser()
        parser.feed(self.html)
        parser.close()
        self.elements = parser.elements

    def find_all(self, tag: str | None = None, **attrs) -> list[Element]:
        found = []
        for element in self.elements:
            if tag and element.tag != tag:
                continue
            wanted = {name.rstrip("_").replace("_", "-"): value for name, value in attrs.items()}
            if all(
                (value in element.classes) if name == "class" else element.attrs.get(name) == value
                for name, value in wanted.items()
            ):
                found.append(element)
        return found

    def find(self, tag: str | None = None, **attrs) -> Element | None:
        found = self.find_all(tag, **attrs)
        return found[0] if found else None

    def by_id(self, element_id: str) -> Element | None:
        return self.find(id=element_id)

    @property
    def lang(self) -> str | None:
        html = self.find("html")
        return html.get("lang") if html else None

    @property
    def main_text(self) -> str:
        main = self.by_id("main")
        return main.text if main else ""

    @property
    def title(self) -> str:
        title = self.find("title")
        return title.text if title else ""

    def field_error(self, field_id: str) -> str | None:
        """The error shown next to a form field (see templates/_macros/forms.html)."""
        element = self.by_id(f"{field_id}-error")
        return element.text if element else None

    def input_value(self, field_id: str) -> str | None:
        element = self.by_id(field_id)
        return element.get("value") if element else None

    def checked_values(self, name: str) -> set[str]:
        return {e.get("value") for e in self.find_all("input", name=name) if "checked" in e.attrs}

    def selected_value(self, select_id: str) -> str | None:
        select_index = next(i for i, e in enumerate(self.elements) if e.get("id") == select_id)
        for element in self.elements[select_index + 1:]:
            if element.tag == "select":
                break
            if element.tag == "option" and "selected" in element.attrs:
                return element.get("value")
        return None

    def alerts(self) -> list[str]:
        return [e.text for e in self.find_all("div", role="alert")]

    def table_rows(self, without: str | None = None) -> list[list[str]]:
        """The cells' texts of every row, except the rows carrying the attribute `without`."""
        rows = []
        for tr in self.find_all("tr"):
            if without is not None and without in tr.attrs:
                continue
            start = self.elements.index(tr)
            cells = []
            for element in self.elements[start + 1:]:
                if element.tag == "tr":
                    break
                if element.tag in ("td", "th"):
                    cells.append(element.text)
            rows.append(cells)
        return rows

    def csrf_token(self) -> str:
        token = self.find("input", name="csrf_token")
        assert token is not None, "no CSRF token on the page"
        return token.get("value")


def routes_without_a_row(app, blueprints: set[str], requests) -> set[tuple[str, str]]:
    """The routes ((rule, method) pairs) of `blueprints` that none of `requests` ((method, url)
    pairs: an access table's rows) reaches. A feature's access table must reach every route of its
    blueprints, so that a new route without a row fails."""
    adapter = app.url_map.bind("localhost")
    covered = set()
    for method, url in requests:
        try:
            rule, _args = adapter.match(url, method=method, return_rule=True)
        except HTTPException:  # rows for a 404 or a 405
            continue
        covered.add((rule.rule, method))
    routes = {
        (rule.rule, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.split(".")[0] in blueprints
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes, f"no routes in {blueprints}"
    return routes - covered


def is_layout_page(page: Page) -> bool:
    """The page is rendered in the site's layout (navigation bar, brand, main, footer)."""
    return (
        page.find("nav", class_="navbar") is not None
        and page.find("a", class_="navbar-brand") is not None
        and page.by_id("main") is not None
        and page.find("footer") is not None
        and page.lang in ("ja", "en")
    )


def normalise_spaces(text: str) -> str:
    """CLDR puts narrow no-break spaces in times ("12:30\u202fAM"); compare with plain spaces."""
    return re.sub(r"[\u00a0\u202f]", " ", text)


# --- a second application instance ----------------------------------------------------------------


@contextmanager
def separate_app(tmp_path, monkeypatch, own_session: bool = False, **overrides):
    """A fresh app from create_app() (the session app must not gain routes after its first request).

    By default its requests share the test's database session (and so its rolled-back
    transaction). With `own_session`, `db.session` is a plain Flask-SQLAlchemy session, so the app
    really connects to its own SQLALCHEMY_DATABASE_URI.
    """
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "instance"))
    config = {
        "TESTING": True,
        "SECRET_KEY": "separate-test-secret",
        "WTF_CSRF_ENABLED": False,
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "SQLALCHEMY_DATABASE_URI": current_app.config["SQLALCHEMY_DATABASE_URI"],
        "SERVER_NAME": "localhost",
    }
    config.update(overrides)
    other = create_app(config)
    if own_session:
        monkeypatch.setattr(db, "session", db._make_scoped_session({}))
    try:
        yield other
    finally:
        with other.app_context():
            for engine in db.engines.values():
                engine.dispose()


def assert_served_file(response, body: bytes, mimetype: str, disposition: str, start: bytes) -> None:
    """A stored file served as it should be: its type, inline or attachment, and its first bytes."""
    assert response.mimetype == mimetype
    assert response.headers["Content-Disposition"].startswith(disposition)
    assert body.startswith(start)


def local_input(moment) -> str:
    """A UTC moment as a datetime-local field holds it, in the admin's zone (to the minute)."""
    from awards_app.core.i18n import utc_to_local

    return utc_to_local(moment).strftime("%Y-%m-%dT%H:%M")
