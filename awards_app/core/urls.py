from __future__ import annotations

from urllib.parse import urlsplit


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
