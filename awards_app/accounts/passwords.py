"""Password rules: long enough, and not one of the passwords everyone tries first."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

MIN_LENGTH = 12
MAX_LENGTH = 256

# A small list of common passwords of the minimum length or longer (and their obvious shapes).
COMMON_PASSWORDS = frozenset(
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
    if password.lower() in COMMON_PASSWORDS or len(set(password)) <= 2:
        return str(_l("This password is too common. Please choose another."))
    return None


def strong_password(form, field) -> None:
    """WTForms validator wrapping password_problem()."""
    problem = password_problem(field.data or "")
    if problem:
        raise ValidationError(problem)
