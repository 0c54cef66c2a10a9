"""Keeping the message catalogs complete.

    python -m awards_app.core.catalogs fill-english PATH   English msgstr := msgid where empty
    python -m awards_app.core.catalogs missing PATH        list untranslated or fuzzy entries
"""
from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po


def untranslated(path: Path) -> list[str]:
    with path.open("rb") as handle:
        catalog = read_po(handle)
    missing = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def fill_english(path: Path) -> int:
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="en")
    filled = 0
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            if not all(message.string):
                message.string = tuple(message.id[:2])
                filled += 1
        elif not message.string:
            message.string = message.id
            filled += 1
        message.flags.discard("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, sort_output=True, no_location=True)
    return filled


def main(argv: list[str]) -> int:
    command, path = argv[0], Path(argv[1])
    if command == "fill-english":
        print(f"{fill_english(path)} English entries filled")
        return 0
    if command == "missing":
        missing = untranslated(path)
        for msgid in missing:
            print(f"untranslated: {msgid!r}")
        print(f"{len(missing)} untranslated in {path}")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
