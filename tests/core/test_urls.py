"""safe_next(): only paths on this site are followed after login or a language switch."""
import pytest

from awards_app.core.urls import safe_next


@pytest.mark.parametrize(
    "target",
    ["/", "/x", "/admin/sites/?page=2&q=a%20b", "/nominations#top", "/%2F%2Fevil.example", "/日本語"],
)
def test_own_paths_are_kept(target):
    assert safe_next(target) == target


@pytest.mark.parametrize(
    "target",
    [
        None,
        "",
        "//evil.example",
        "///evil.example",
        "http://evil.example",
        "https://evil.example/x",
        "HTTP://evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "\\/evil.example",
        "/\t/evil.example",  # browsers drop tabs and line breaks: this is //evil.example
        "/\n/evil.example",
        "/\r/evil.example",
        "/x\r\nSet-Cookie: a=1",  # would break (or split) the Location header
        "/x\x00y",
        "/x\x7f",
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "evil.example",
        "x",
        " /x",
        "mailto:a@example.com",
    ],
)
def test_anything_else_is_refused(target):
    assert safe_next(target) is None
