"""Locale and time-zone selection, and helpers for bilingual data."""
from __future__ import annotations

from datetime import date, datetime, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

from babel import Locale, UnknownLocaleError, dates
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


# --- the user's locale: language and region, for dates and numbers -----------------------------
# The interface language picks the catalog; the region picks how dates read (en-GB: 3 Dec 2026,
# 14:35; en-US: Dec 3, 2026, 2:35 PM). A user's region is a profile setting; until they pick one
# it comes from the browser's Accept-Language (en-GB, en-US, ja-JP …), else the language's own.


def _browser_region(language: str) -> str:
    """The region of the first Accept-Language entry in `language` that names one ("en-GB")."""
    for tag, _quality in request.accept_languages:
        code, _, region = tag.replace("_", "-").partition("-")
        if code.lower() == language and len(region) == 2 and region.isalpha():
            return region.upper()
    return ""


def select_region() -> str:
    """The user's region: saved on their profile, else the browser's; "" for the language's own."""
    if not has_request_context():
        return ""
    if current_user and current_user.is_authenticated and current_user.region:
        return current_user.region
    return _browser_region(lang())


@lru_cache(maxsize=64)
def make_locale(language: str, region: str = "") -> Locale:
    """language + region as a Babel locale; the language's own where CLDR has no such pair (ja-GB)."""
    if region:
        try:
            return Locale(language, territory=region)
        except UnknownLocaleError:
            pass
    return Locale.parse(language)


def format_locale() -> Locale:
    """The locale dates and times are formatted in: the interface language and the user's region."""
    return make_locale(lang(), select_region())


def zone_abbreviation(value: datetime, zone: ZoneInfo) -> str:
    """The zone as the same letters in every language: JST, GMT/BST, EST, UTC (the tz database's
    abbreviation, which is "+04" and the like where it has no letters). CLDR names it differently
    per language (English says "+0900" for JST, Japanese "-0500" for EST)."""
    return value.astimezone(zone).tzname() or zone.key


def medium_date(value: date, locale: Locale) -> str:
    """An unambiguous date for lists: 3 Dec 2026 (en-GB), Dec 3, 2026 (en-US), 2026年12月3日
    (ja, whose CLDR medium date is the all-digit 2026/12/03)."""
    return dates.format_date(value, "long" if locale.language == "ja" else "medium", locale=locale)


def format_date_for(value: date | datetime | None, fmt: str, locale: Locale, zone: ZoneInfo) -> str:
    """A date in `locale`: "medium" (also "short": no all-digit dates in lists), "long", "full"."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(zone).date() if value.tzinfo else value.date()
    if fmt in ("short", "medium"):
        return medium_date(value, locale)
    return dates.format_date(value, fmt, locale=locale)


def format_datetime_for(value: datetime | None, fmt: str, locale: Locale, zone: ZoneInfo) -> str:
    """A date and time in `zone`, with the zone's abbreviation: "3 Dec 2026, 14:35 JST",
    "2026年12月3日 14:35 JST". "short"/"medium" give the medium date and the short time; "long"
    the long date."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    local = value.astimezone(zone)
    day = dates.format_date(local.date(), "long", locale=locale) if fmt in ("long", "full") else medium_date(local.date(), locale)
    time = dates.format_time(local, "short", tzinfo=zone, locale=locale)
    pattern = locale.datetime_formats.get("medium" if fmt in ("short", "medium") else "long", "{1} {0}")
    return str(pattern).replace("{1}", day).replace("{0}", time) + " " + zone_abbreviation(value, zone)


def show_date(value, fmt: str = "medium") -> str:
    """The one date helper of pages (the `date` filter) and of messages built in Python."""
    return format_date_for(value, fmt, format_locale(), ZoneInfo(str(get_timezone())))


def show_datetime(value, fmt: str = "medium") -> str:
    """The one date-and-time helper of pages (the `datetime` filter) and of messages built in Python."""
    return format_datetime_for(value, fmt, format_locale(), ZoneInfo(str(get_timezone())))


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
