from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, request, url_for
from werkzeug.routing import IntegerConverter

from awards_app.core.forms import is_control_character
from awards_app.core.models import DB_INT_MAX


def external_url(endpoint: str, /, *, base_url: str | None = None, **values) -> str:
    """The absolute address of a page, for a link that leaves the site (an e-mail, a QR code, an
    invitation link the admin passes on).

    Built on `base_url`, else the PUBLIC_BASE_URL setting (which may hold a path prefix,
    "https://example.com/awards"), never on the request's Host header, which the client chooses.
    Only without either (development, the demo; `flask check` insists on PUBLIC_BASE_URL
    elsewhere) does it follow the address the request came to, or SERVER_NAME outside a request.
    """
    base = base_url or current_app.config.get("PUBLIC_BASE_URL")
    if base:
        path = current_app.url_map.bind("localhost").build(endpoint, values)
        return base.rstrip("/") + path
    return url_for(endpoint, _external=True, **values)


def db_int(text: str) -> int:
    """int(text) when a database integer holds it, else ValueError: `request.args.get(name,
    type=db_int)` then gives None for "99999999999999999999" instead of an overflow in the driver."""
    value = int(text)
    if not -DB_INT_MAX <= value <= DB_INT_MAX:
        raise ValueError(f"integer out of range: {text}")
    return value


def text_arg(name: str, max_length: int) -> str:
    """A search term from the query string, cut to `max_length`, without control characters:
    nothing is stored, so they are dropped rather than refused (PostgreSQL cannot even compare
    text holding NUL; the driver raises)."""
    value = request.args.get(name, "")[:max_length]
    return "".join(char for char in value if ord(char) >= 32 and not is_control_character(char))


def page_number(per_page: int) -> int:
    """The `page` query argument for db.paginate(): 1 unless it is a page whose offset the
    database can take (Flask-SQLAlchemy would pass any size of number on to the driver)."""
    page = request.args.get("page", 1, type=db_int)
    return page if 1 <= page <= DB_INT_MAX // per_page else 1


class DatabaseIntConverter(IntegerConverter):
    """`<int:…>` for ids: a number too large for a database integer matches no route (404)
    rather than overflowing in the driver (500)."""

    def __init__(self, map, fixed_digits=0, min=None, max=DB_INT_MAX, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def safe_next(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None (no open redirects).

    Browsers ignore tabs and line breaks inside URLs (so "/\\t/evil.example" is "//evil.example")
    and treat a backslash like a slash, so both are refused outright, as is every other control
    character, which has no business in a path and would break the Location header.
    """
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if any(ord(char) < 32 or ord(char) == 127 for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
