from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import abort, current_app, request, url_for
from werkzeug.routing import IntegerConverter, UnicodeConverter

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


# Unicode's Cc: C0 controls (tab and line breaks included), DEL and C1 controls. A compiled
# pattern: this runs on every request, over the path, the query and every header.
_CONTROL_CHARACTER = re.compile("[\x00-\x1f\x7f-\x9f]")
# Header values reach us decoded as latin-1, so UTF-8 text looks like C1 controls: only C0 (but
# tab) and DEL are refused, which RFC 9110 never allows in a field value.
_HEADER_CONTROL_CHARACTER = re.compile("[\x00-\x08\x0a-\x1f\x7f]")


def refuse_control_characters() -> None:
    """404 for a path holding a control character, 400 for a query string or header holding one.

    One guard before anything else looks at the request: no route, search or header has a use for
    them, and otherwise each place that takes request text to the database would need its own
    check (PostgreSQL cannot even compare text holding NUL: `/verify/%00` was a 500). A path is
    answered 404, as any path naming nothing (which such a path always does); a query string or
    header 400, the request itself being malformed. Form fields are left to the forms, which refuse
    them beside the field (core/forms.py); bidi controls in a search term are dropped by text_arg.
    """
    if _CONTROL_CHARACTER.search(request.path):
        abort(404)
    if any(_CONTROL_CHARACTER.search(key) or _CONTROL_CHARACTER.search(value)
           for key, value in request.args.items(multi=True)):
        abort(400)
    if any(_HEADER_CONTROL_CHARACTER.search(value) for _name, value in request.headers.items()):
        abort(400)


class Secret(str):
    """A URL part that opens something by itself (an invitation or password-reset token): it is
    never written to a log (see loggable_path)."""

    def __repr__(self) -> str:
        return "Secret('[redacted]')"


class SecretConverter(UnicodeConverter):
    """`<secret:token>`: one path segment, handed to the view as a `Secret`."""

    def to_python(self, value: str) -> Secret:
        return Secret(value)


def loggable_path() -> str:
    """The request's path for a log line, with each `<secret:…>` segment written [redacted]."""
    secrets = {value for value in (request.view_args or {}).values() if isinstance(value, Secret)}
    if not secrets:
        return request.path
    return "/".join("[redacted]" if segment in secrets else segment for segment in request.path.split("/"))


def init_app(app) -> None:
    app.url_map.converters["int"] = DatabaseIntConverter  # before any route is added
    app.url_map.converters["secret"] = SecretConverter
    # First in the before_request chain (request_log.init_app still puts its timer before it, so a
    # refused request is logged): nothing else should see such a request.
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_control_characters)


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
