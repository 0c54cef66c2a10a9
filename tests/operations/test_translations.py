"""Every string a user sees is translated into Japanese and English, with the same placeholders."""
import re

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from awards_app import PROJECT_ROOT

CATALOGS = PROJECT_ROOT / "awards_app" / "translations"
METHOD_MAP = [("awards_app/**.py", "python"), ("templates/**.html", "jinja2"), ("templates/**.txt", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]")


def extracted_ids() -> set[str]:
    ids = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(PROJECT_ROOT), METHOD_MAP, keywords=KEYWORDS,
        options_map={"templates/**.html": {"extensions": "jinja2.ext.i18n"}, "templates/**.txt": {}},
    ):
        ids.add(message[0] if isinstance(message, tuple) else message)
    return ids


def load(locale):
    with (CATALOGS / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=locale)


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_catalog_translates_every_extracted_string(locale):
    catalog = load(locale)
    missing = []
    for msgid in sorted(extracted_ids()):
        message = catalog.get(msgid)
        strings = () if message is None else (message.string if isinstance(message.string, tuple) else (message.string,))
        if message is None or message.fuzzy or not strings or not all(strings):
            missing.append(msgid)
    assert missing == [], f"{len(missing)} strings untranslated in {locale}: run `make translations-update`"


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_translations_keep_placeholders(locale):
    for message in load(locale):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set(PLACEHOLDER.findall(ids[-1]))
        for index, string in enumerate(strings):
            if not string:
                continue
            found = set(PLACEHOLDER.findall(string))
            if message.pluralizable and index < len(strings) - 1:
                # A form for one ("the field") may leave out the count that chose it.
                assert expected - {"num"} <= found <= expected, (message.id, string)
            else:
                assert found == expected, (message.id, string)


def test_japanese_catalog_is_really_japanese():
    catalog = load("ja")
    japanese = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
    translated = [m for m in catalog if m.id and m.string]
    assert translated
    untranslated_looking = [m.id for m in translated if not japanese.search(m.string if isinstance(m.string, str) else m.string[0])]
    # Proper nouns and symbols may stay as they are; everything else is Japanese.
    assert len(untranslated_looking) <= 5, untranslated_looking
