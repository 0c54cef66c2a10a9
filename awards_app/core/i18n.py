"""Locale and time-zone selection, and helpers for bilingual data."""
from __future__ import annotations

from datetime import datetime, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

from babel import Locale
from flask import current_app, g, has_request_context, request, session
from flask_babel import get_locale, get_timezone, get_translations
from flask_login import current_user

DEFAULT_TIMEZONE = {"ja": "Asia/Tokyo", "en": "UTC"}


def select_locale() -> str:
    """The user's saved language; before login the language they picked, else the browser's."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI and background work speak the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("locale") in languages:
        return session["locale"]
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_TIMEZONE"]
    if current_user and current_user.is_authenticated and current_user.timezone:
        return current_user.timezone
    return DEFAULT_TIMEZONE.get(str(get_locale()), "UTC")


def lang() -> str:
    """The current interface language code ('ja' or 'en')."""
    return str(get_locale() or "en")


# CLDR (and so Babel) names a few two-letter regions that are not ISO 3166-1 countries: groupings
# (EU, EZ, UN, QO), private-use and unknown codes (XA, XB, ZZ) and the exceptionally reserved
# AC, CP, CQ, DG, EA, IC, TA. A site is in a country, so these are not offered.
NOT_COUNTRIES = frozenset({"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "ZZ"})


@lru_cache(maxsize=4)
def _countries(locale: str) -> tuple[tuple[str, str], ...]:
    names = Locale.parse(locale).territories
    pairs = [
        (code, name) for code, name in names.items()
        if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES
    ]
    return tuple(sorted(pairs, key=lambda pair: pair[1]))


def country_choices() -> list[tuple[str, str]]:
    return list(_countries(lang()))


@lru_cache(maxsize=4)
def _territories(locale: str) -> dict[str, str]:
    return dict(Locale.parse(locale).territories)


def country_names() -> dict[str, str]:
    """ISO code → country name in the interface language (for pages that list many)."""
    return _territories(lang())


def country_name(code: str) -> str:
    return country_names().get(code, code)


@lru_cache(maxsize=1)
def timezone_choices() -> list[str]:
    return sorted(tz for tz in available_timezones() if "/" in tz and not tz.startswith(("Etc/", "SystemV/"))) + ["UTC"]


def local_to_utc(value: datetime) -> datetime:
    """A naive date-time typed by the user, in their time zone, as aware UTC."""
    return value.replace(tzinfo=ZoneInfo(str(get_timezone()))).astimezone(timezone.utc)


def utc_to_local(value: datetime) -> datetime:
    """An aware UTC date-time as a naive one in the user's time zone, to pre-fill an input."""
    return value.astimezone(ZoneInfo(str(get_timezone()))).replace(tzinfo=None)


def localized(obj, field: str) -> str:
    """`obj.<field>_ja` or `obj.<field>_en` by interface language, falling back to the other."""
    first, second = ("ja", "en") if lang() == "ja" else ("en", "ja")
    return getattr(obj, f"{field}_{first}") or getattr(obj, f"{field}_{second}")


def _translations():
    """Flask-Babel's get_translations(), looked up once per request rather than once per string
    (about 10 µs each, and a page translates 20 to 50 strings); looked up again if the locale
    changes during the request (Flask-Babel's refresh() makes a new one)."""
    if not g:  # no app context: Flask-Babel answers with its null translations
        return get_translations()
    locale = get_locale()
    cached = g.get("_i18n_translations")
    if cached is None or cached[0] is not locale:
        cached = g._i18n_translations = (locale, get_translations())
    return cached[1]


def init_app(app) -> None:
    from awards_app.core import enums

    # The same callables Flask-Babel installs (newstyle: Jinja escapes and formats), over the
    # translations looked up once per request.
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
        newstyle=True,
    )

    app.jinja_env.globals.update(
        lang=lang,
        localized=localized,
        country_name=country_name,
        country_names=country_names,
        get_timezone=get_timezone,
        role_title=lambda role: enums.Role(role).title,
        Role=enums.Role,
        Phase=enums.Phase,
        Region=enums.Region,
        NominationStatus=enums.NominationStatus,
    )
