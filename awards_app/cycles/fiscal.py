"""Fiscal-year arithmetic, and how a fiscal year is named. The group's fiscal year runs April to
March and is identified by the calendar year in which it ends: FY2013 is 1 April 2012 – 31 March
2013 (the same year is 2012年度 to a Japanese reader, by default)."""
from __future__ import annotations

import enum
import re
from datetime import date

from babel import Locale
from babel.dates import format_date
from flask import current_app
from flask_babel import LazyString

from awards_app.core.i18n import format_locale, lang

FY_START_MONTH = 4

# "FY2013", "fy2013", "FY 2013" or "2013" (ASCII digits only: int() would also read "２０１３").
_LABEL = re.compile(r"(?:FY)?\s*([0-9]{4})", re.IGNORECASE)


def fiscal_year_of(day: date) -> int:
    """The fiscal year containing `day`."""
    return day.year + 1 if day.month >= FY_START_MONTH else day.year


def fiscal_year_bounds(fiscal_year: int) -> tuple[date, date]:
    """First and last day (inclusive) of a fiscal year."""
    return date(fiscal_year - 1, FY_START_MONTH, 1), date(fiscal_year, FY_START_MONTH - 1, 31)


def calendar_year(fiscal_year: int, month: int) -> int:
    """The calendar year in which `month` (1–12) of a fiscal year falls: April 2012 for FY2013's April."""
    return fiscal_year - 1 if month >= FY_START_MONTH else fiscal_year


def in_fiscal_year(day: date, fiscal_year: int) -> bool:
    start, end = fiscal_year_bounds(fiscal_year)
    return start <= day <= end


def cycle_label(fiscal_year: int) -> str:
    """A cycle's identifier (URLs, the CLI, serial numbers, file names): FY2013. Not what a person
    reads: that is `fiscal_year_label`."""
    return f"FY{fiscal_year}"


def parse_cycle_label(text: str) -> int | None:
    """The fiscal year a label names (`FY2013`, `fy2013`, `FY 2013` or `2013`), or None."""
    match = _LABEL.fullmatch(text.strip())
    return int(match.group(1)) if match else None


# --- how a fiscal year is named to a reader --------------------------------------------------------
# `cycle_label` is the identifier (URLs, the CLI, serial numbers, file names): always FY + end year.
# What a person reads follows their language's convention, an organisation setting per language
# (config FISCAL_YEAR_NAMING_JA / _EN): in Japanese 年度 is named by the year it starts (FY2013 is
# 2012年度, as the government's and schools' 会計年度 are), in English by the year it ends.


class FiscalYearNaming(str, enum.Enum):
    START = "start"  # named by the calendar year in which it starts: 2012年度 for FY2013
    END = "end"  # named by the calendar year in which it ends: FY2013

    @classmethod
    def parse(cls, text: str) -> FiscalYearNaming:
        try:
            return cls(text.strip().lower())
        except ValueError:
            raise ValueError(f"a fiscal year is named by its 'start' or 'end' year, not {text!r}") from None


DEFAULT_NAMING = {"ja": FiscalYearNaming.START, "en": FiscalYearNaming.END}


def fiscal_year_name(fiscal_year: int, language: str, naming: FiscalYearNaming) -> str:
    """FY2013 named for a reader: "2012年度" (ja, start), "2013年度" (ja, end), "FY2013" (en, end),
    "FY2012" (en, start)."""
    year = fiscal_year - 1 if naming is FiscalYearNaming.START else fiscal_year
    return f"{year}年度" if language == "ja" else f"FY{year}"


def fiscal_year_period(fiscal_year: int, locale: str | Locale) -> str:
    """The full period in the locale's long date format: "2012年4月1日〜2013年3月31日",
    "1 April 2012 – 31 March 2013" (en_GB), "April 1, 2012 – March 31, 2013" (en_US)."""
    locale = Locale.parse(locale)
    start, end = (format_date(day, "long", locale=locale) for day in fiscal_year_bounds(fiscal_year))
    return f"{start}〜{end}" if locale.language == "ja" else f"{start} – {end}"


def naming_setting(language: str) -> FiscalYearNaming:
    """The organisation's convention for `language` (config FISCAL_YEAR_NAMING)."""
    setting = current_app.config["FISCAL_YEAR_NAMING"].get(language)
    return FiscalYearNaming.parse(setting) if setting else DEFAULT_NAMING.get(language, FiscalYearNaming.END)


def fiscal_year_label(fiscal_year: int, language: str | None = None) -> str:
    """How FY`fiscal_year` is named to the reader: in the interface language unless `language` is
    given, by the organisation's convention for it. Every page, e-mail, flash and certificate that
    shows a fiscal year to a person goes through here (templates: the `fy` filter)."""
    language = language or lang()
    return fiscal_year_name(fiscal_year, language, naming_setting(language))


def fiscal_year_labels(fiscal_year: int) -> dict[str, str]:
    """The label in each language, as a certificate records it when issued."""
    return {language: fiscal_year_label(fiscal_year, language) for language in ("ja", "en")}


def lazy_fiscal_year_label(fiscal_year: int) -> LazyString:
    """The label, named when shown (a lazy message's placeholder, an e-mail in its reader's language)."""
    return LazyString(fiscal_year_label, fiscal_year)


def fiscal_year_period_here(fiscal_year: int) -> str:
    """The full period in the reader's locale (language and region)."""
    return fiscal_year_period(fiscal_year, format_locale())


def lazy_fiscal_year_period(fiscal_year: int) -> LazyString:
    """The full period, written when shown (a form's message, in the reader's locale)."""
    return LazyString(fiscal_year_period_here, fiscal_year)
