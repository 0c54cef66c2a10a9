"""An uploaded spreadsheet waiting between its preview and the user's confirmation.

It is kept as a file in the instance folder (never under static/), in a folder of its user, under
a random token: only the user who uploaded it can confirm it, and the confirmation reads the file
again with the same checks, so what is written is what is valid at that moment. Files older than a
day are removed when the same user uploads again; a confirmed file is removed after the commit.
"""
from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

TOKEN = re.compile(r"[0-9a-f]{32}")
MAX_AGE_SECONDS = 24 * 3600


def _folder(root: str, user_id: int) -> Path:
    return Path(root) / str(int(user_id))


def save(root: str, user_id: int, filename: str, data: bytes) -> str:
    folder = _folder(root, user_id)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        if old.stat().st_mtime < time.time() - MAX_AGE_SECONDS:
            old.unlink(missing_ok=True)
    token = secrets.token_hex(16)
    (folder / f"{token}.data").write_bytes(data)
    (folder / f"{token}.name").write_text(filename[:255], encoding="utf-8")
    return token


def load(root: str, user_id: int, token: str) -> tuple[str, bytes] | None:
    """(file name, bytes) of `user_id`'s pending upload `token`, or None."""
    if not TOKEN.fullmatch(token or ""):
        return None
    folder = _folder(root, user_id)
    try:
        return (folder / f"{token}.name").read_text(encoding="utf-8"), (folder / f"{token}.data").read_bytes()
    except OSError:
        return None


def discard(root: str, user_id: int, token: str) -> None:
    if TOKEN.fullmatch(token or ""):
        folder = _folder(root, user_id)
        for suffix in (".data", ".name"):
            (folder / f"{token}{suffix}").unlink(missing_ok=True)
