"""Password rules: long enough, and not one of the passwords everyone tries first."""
from __future__ import annotations

import gzip
from functools import lru_cache
from pathlib import Path

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

MIN_LENGTH = 12
MAX_LENGTH = 256

# The most common passwords of breached accounts (the 100,000 most common, and the longer ones of
# the top million): where the list comes from and its licence are in data/README.md.
COMMON_PASSWORDS_FILE = Path(__file__).parent / "data" / "common-passwords.txt.gz"

# A few more the public list misses: the programme's own name, and common words padded with
# digits to the minimum length (most of the list's entries are shorter).
PROGRAMME_PASSWORDS = frozenset(
    """
    123456789012 1234567890123 12345678901234 123456789abc 1234567890qwerty 1q2w3e4r5t6y
    password1234 password12345 password123456 passwordpassword qwertyuiop12 qwertyuiopas
    qwerty123456 iloveyou1234 letmein12345 welcome12345 administrator admin1234567 changeme1234
    abcdefghijkl abc123456789 aaaaaaaaaaaa 111111111111 000000000000 trustno11234 sunshine1234
    football1234 baseball1234 monkey123456 dragon123456 princess1234 mddawards2013 mddawards123
    """.split()
)

# The demo's accounts share this password, printed in the README and by `flask seed-demo`, so no
# real account may choose it. It lives here, not in the demo (which sits above accounts and imports
# it from here), so that the rule below can see it. The demo sets it through the accounts services,
# which take a password as given: only the forms and `flask create-user` apply these rules.
DEMO_PASSWORD = "mdd-demo-password"


def password_problem(password: str) -> str | None:
    """A translated message saying what is wrong with `password`, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return str(_l("Use at least %(num)d characters.", num=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        return str(_l("Use at most %(num)d characters.", num=MAX_LENGTH))
    if password.lower() == DEMO_PASSWORD:
        return str(_l("This is the demo's published password. Please choose another."))
    if is_common(password) or len(set(password)) <= 2:
        return str(_l("This password is too common. Please choose another."))
    return None


def is_common(password: str) -> bool:
    """Whether `password` (in any letter case) is one of the common passwords."""
    folded = password.lower()
    return folded in PROGRAMME_PASSWORDS or folded in _common_passwords()


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    # Only those long enough to pass the length rule matter (about 44,000): a smaller set to keep.
    with gzip.open(COMMON_PASSWORDS_FILE, "rt", encoding="utf-8") as lines:
        return frozenset(folded for line in lines if len(folded := line.rstrip("\n").lower()) >= MIN_LENGTH)


def strong_password(form, field) -> None:
    """WTForms validator wrapping password_problem()."""
    problem = password_problem(field.data or "")
    if problem:
        raise ValidationError(problem)
