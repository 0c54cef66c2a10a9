"""Hostile nominations cannot make a certificate reach outside the application.

Titles with an <img> and a <link rel="attachment"> to file:///etc/passwd and with http URLs go
onto certificates: the PDF shows them as text, has no attachment, and the URL fetcher is asked
for nothing but our bundled stylesheet and font. Should markup ever get through unescaped, the
fetcher still refuses (the second test renders raw hostile HTML to prove it).
"""
from __future__ import annotations

import logging

import pytest
import weasyprint.urls

from awards_app.certificates import render, services
from awards_app.certificates.render import (
    FONT_URL,
    STYLESHEET_URL,
    BundledAssetFetcher,
    CertificateRenderer,
)
from awards_app.extensions import db

from .conftest import pdf_reader, pdf_text, squeeze

IMG = '<img src="file:///etc/passwd">'
ATTACHMENT = '<link rel="attachment" href="file:///etc/passwd">'
HTTP = 'Our report: http://example.com/report.png <img src="https://example.com/pixel.gif">'


class SpyFetcher(BundledAssetFetcher):
    """The real fetcher, noting every URL WeasyPrint asks for and what was refused."""

    def __init__(self):
        super().__init__()
        self.asked: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        self.asked.append(url)
        try:
            return super().fetch(url, headers)
        except render.AssetRefused:
            self.refused.append(url)
            raise


@pytest.fixture
def spy(monkeypatch):
    """This thread's renderer, made afresh with a spying fetcher; and any default WeasyPrint
    fetcher (were one used anywhere) fails the test."""
    fetcher = SpyFetcher()

    def default_fetcher_used(self, url, headers=None):
        raise AssertionError(f"WeasyPrint's own fetcher was asked for {url}")

    monkeypatch.setattr(weasyprint.urls.URLFetcher, "fetch", default_fetcher_used)
    monkeypatch.setattr(render._local, "renderer", CertificateRenderer(fetcher), raising=False)
    return fetcher


def attachments(pdf: bytes) -> dict:
    reader = pdf_reader(pdf)
    annotations = [a.get_object() for page in reader.pages for a in page.get("/Annots", [])]
    assert not [a for a in annotations if a.get("/Subtype") == "/FileAttachment"]
    assert "/EmbeddedFiles" not in reader.trailer["/Root"].get("/Names", {})
    return dict(reader.attachments)


@pytest.mark.parametrize("title, other", [(IMG, ATTACHMENT), (ATTACHMENT, HTTP), (HTTP, IMG)])
def test_hostile_titles_are_printed_as_text_and_fetch_nothing(world, spy, client, login, title, other):
    world.japan.title, world.japan.title_other = title, other
    db.session.commit()
    certificate = services.issue_certificates(world.admin, world.cycle)[0]
    db.session.commit()
    login(world.admin)
    response = client.get(f"/admin/cycles/{world.cycle.id}/certificates/{certificate.id}.pdf")
    assert response.status_code == 200
    pdf = response.get_data()

    text = squeeze(pdf_text(pdf))
    assert squeeze(title) in text and squeeze(other) in text
    assert "root:" not in text
    assert attachments(pdf) == {}
    assert set(spy.asked) <= {STYLESHEET_URL, FONT_URL} and spy.refused == []


def test_the_verification_page_escapes_hostile_titles(world, issue, client):
    world.japan.title, world.japan.title_other = IMG, ATTACHMENT
    db.session.commit()
    certificate = issue()[0]
    html = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html
    assert IMG not in html and ATTACHMENT not in html


def test_raw_hostile_markup_is_refused_by_the_fetcher(spy, caplog):
    """The second line of defence: were user text ever put in unescaped, nothing outside the
    bundled assets is read, and the PDF carries no attachment."""
    html = f"""<!doctype html><html><head>{ATTACHMENT}
      <link rel="stylesheet" href="http://example.com/evil.css"></head>
      <body><p>Hostile</p>{IMG}<img src="http://example.com/pixel.png">
      <img src="data:image/png;base64,iVBORw0KGgo=">
      <a rel="attachment" href="file:///etc/hostname">report</a>
      <div style="background: url(https://example.com/bg.png)">x</div>
      <img src="mdd-asset:../render.py"></body></html>"""
    with caplog.at_level(logging.WARNING):
        pdf = render.renderer().pdf_from_html(html)
    outside = {
        "file:///etc/passwd", "http://example.com/evil.css", "http://example.com/pixel.png",
        "data:image/png;base64,iVBORw0KGgo=", "file:///etc/hostname", "https://example.com/bg.png",
        "mdd-asset:../render.py",
    }
    assert set(spy.refused) == outside
    assert set(spy.asked) - set(spy.refused) <= {STYLESHEET_URL, FONT_URL}
    assert attachments(pdf) == {}
    assert "root:" not in pdf_text(pdf)
    # WeasyPrint skipped them and said so; our fetcher logged each refusal.
    refusals = [r for r in caplog.records if r.name == "awards_app.certificates.render"]
    assert {r.args[0] for r in refusals} == outside
