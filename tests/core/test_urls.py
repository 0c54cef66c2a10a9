"""safe_next(): only paths on this site are followed after login or a language switch.
external_url(): absolute links are built on PUBLIC_BASE_URL, never on the request's Host."""
import pytest

from awards_app.core.urls import external_url, safe_next


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


def test_external_url_is_built_on_the_public_address_whatever_the_host(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://mdd.example.org/awards/")
    monkeypatch.setitem(app.config, "SERVER_NAME", None)
    with app.test_request_context("/", base_url="http://evil.example"):
        assert external_url("certificates.verify_certificate", code="a b") == "https://mdd.example.org/awards/verify/a%20b"
        assert external_url("main.index", lang="ja") == "https://mdd.example.org/awards/?lang=ja"
        assert external_url("main.index", base_url="https://other.example") == "https://other.example/"


def test_external_url_follows_the_request_without_a_public_address(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "")
    monkeypatch.setitem(app.config, "SERVER_NAME", None)
    with app.test_request_context("/", base_url="http://127.0.0.1:5000"):
        assert external_url("certificates.verify_certificate", code="abc") == "http://127.0.0.1:5000/verify/abc"
