"""Certificate PDFs: the one module of the application that renders PDF (STYLE rule 12).

A certificate is plain data (`CertificateData`, copied from the issued certificate's snapshot)
put into the Jinja template templates/pdf/certificate.html with autoescape on, then laid out by
WeasyPrint with the stylesheet and font bundled in assets/.

Rendering never reaches outside the application. Every URL WeasyPrint asks for goes through
`BundledAssetFetcher`, which serves files of assets/ under the made-up `mdd-asset:` scheme and
refuses everything else (file paths, http and https, data: URLs, other schemes, paths that climb
out of the folder). A refusal raises an ordinary exception, so WeasyPrint skips the resource and
carries on; user text cannot ask for anything in the first place, being escaped.

Speed (bench/certificates.py): parsing the stylesheet and registering the 8 MB IPAex Mincho
with fontconfig would be most of the cost of a certificate, so a `CertificateRenderer` does it
once and is reused, one per thread (fontconfig and Pango objects are not to be shared between
threads). WeasyPrint embeds only the glyphs used (a subset made by HarfBuzz), so a certificate
stays small whatever the font's size. The template keeps to few lines and elements, as each
costs layout time, and the QR code is the smallest symbol that holds the address.
"""
from __future__ import annotations

import threading
import zipfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

import segno
from babel.dates import format_date
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from awards_app.config import PROJECT_ROOT
from awards_app.cycles.fiscal import fiscal_year_period
from awards_app.core.logs import get_logger

log = get_logger(__name__)

ASSETS = Path(__file__).resolve().parent / "assets"
TEMPLATES = PROJECT_ROOT / "templates" / "pdf"
TEMPLATE = "certificate.html"

# The certificate's English dates read day, month, year (1 April 2012), as the programme's reports do.
CERTIFICATE_ENGLISH = "en_GB"

ASSET_SCHEME = "mdd-asset"
STYLESHEET_URL = f"{ASSET_SCHEME}:certificate.css"
FONT_URL = f"{ASSET_SCHEME}:fonts/ipaexm.ttf"
# What the fetcher serves, by suffix; anything else in assets/ (licence, README) is not for WeasyPrint.
ASSET_TYPES = {".css": "text/css", ".ttf": "font/ttf", ".svg": "image/svg+xml", ".png": "image/png"}


class AssetRefused(ValueError):
    """The certificate asked for something that is not one of our bundled assets."""


@dataclass(frozen=True)
class CertificateData:
    """Everything a certificate says, as plain values (never ORM objects in a PDF template)."""

    serial: str
    filename: str
    code: str
    verify_url: str
    fiscal_year: int
    fiscal_year_label_ja: str
    fiscal_year_label_en: str
    award_name_ja: str
    award_name_en: str
    site_name_ja: str
    site_name_en: str
    title: str
    title_other: str
    signatory_name_ja: str
    signatory_name_en: str
    signatory_title_ja: str
    signatory_title_en: str
    issued_on: date

    @classmethod
    def from_certificate(cls, certificate, verify_url: str) -> CertificateData:
        """The issued certificate's snapshot (awards_app.certificates.models.Certificate)."""
        snapshot = {f.name: getattr(certificate, f.name) for f in fields(cls) if f.name != "verify_url"}
        return cls(verify_url=verify_url, **snapshot)


# --- fetching ----------------------------------------------------------------------------------


class BundledAssetFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves only files of the assets folder.

    `mdd-asset:fonts/ipaexm.ttf` is assets/fonts/ipaexm.ttf. Everything else raises
    `AssetRefused`; WeasyPrint then skips the resource (and logs that it did). It never follows a
    redirect nor opens a connection or a file outside the folder: `fetch` is replaced whole, so
    none of urllib's handlers that `URLFetcher` sets up is ever reached.
    """

    def __init__(self, root: Path = ASSETS):
        super().__init__(allowed_protocols={ASSET_SCHEME}, allow_redirects=False, fail_on_errors=False)
        self.root = root.resolve()
        self.served: set[str] = set()

    def resolve(self, url: str) -> Path:
        """The file behind `url`, or AssetRefused."""
        scheme, colon, rest = url.partition(":")
        if not colon or scheme.lower() != ASSET_SCHEME:
            raise AssetRefused(f"not a bundled asset: {url[:200]!r}")
        # A plain relative path: no authority, query, fragment, escapes or control characters.
        if (
            not rest
            or rest.startswith("/")
            or any(char in rest for char in "\\%?#")
            or any(ord(char) < 33 or ord(char) == 127 for char in rest)
            or any(part in ("", ".", "..") for part in rest.split("/"))
        ):
            raise AssetRefused(f"not a bundled asset path: {url[:200]!r}")
        path = (self.root / rest).resolve()
        if not path.is_relative_to(self.root) or not path.is_file() or path.suffix.lower() not in ASSET_TYPES:
            raise AssetRefused(f"no such bundled asset: {url[:200]!r}")
        return path

    def fetch(self, url, headers=None):
        try:
            path = self.resolve(url)
        except AssetRefused:
            log.warning("certificate rendering: refused to fetch %.200r", url)
            raise
        self.served.add(url)
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": ASSET_TYPES[path.suffix.lower()]})


# --- rendering ---------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _environment() -> Environment:
    # Our own environment rather than Flask's: no request, user or app globals can reach a PDF,
    # and it renders in the CLI and the benchmark without an app. Autoescape is always on.
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def qr_svg(url: str) -> Markup:
    """The QR code of `url` as inline SVG (vector, so it scans at any print size).

    segno's defaults: the smallest symbol that holds the address, with error correction raised as
    far as that size allows (boost_error). A larger symbol would cost drawing time for nothing:
    25 mm across gives modules of almost 1 mm."""
    qr = segno.make(url, error="l", boost_error=True, micro=False)
    return Markup(qr.svg_inline(omitsize=True, border=0, dark="#1b2540", svgclass="qr", lineclass=None))


def certificate_html(data: CertificateData) -> str:
    context = asdict(data)
    context.update(
        cycle_ja=data.fiscal_year_label_ja,
        cycle_en=data.fiscal_year_label_en,
        period_ja=fiscal_year_period(data.fiscal_year, "ja"),
        period_en=fiscal_year_period(data.fiscal_year, CERTIFICATE_ENGLISH),
        issued_ja=format_date(data.issued_on, "long", locale="ja"),
        issued_en=format_date(data.issued_on, "long", locale=CERTIFICATE_ENGLISH),
        qr_svg=qr_svg(data.verify_url),
    )
    return _environment().get_template(TEMPLATE).render(context)


# A certificate is a small document of our own, so WeasyPrint's user-agent stylesheet (some 250
# rules for every HTML element, matched against each element of each certificate: a sixth of the
# render time) is replaced by the few rules it needs; certificate.css does the rest.
USER_AGENT_CSS = "html, body, div, p { display: block } head, title, meta, style, script, link { display: none }"


class _CertificateHTML(HTML):
    """`_ua_stylesheets` is WeasyPrint's hook for the user-agent stylesheet, not a documented
    API. Should it go, the full stylesheet applies again: certificates look the same and render
    a little slower (test_render.py checks the hook is still there)."""

    def __init__(self, *, user_agent_stylesheet: CSS, **kwargs):
        super().__init__(**kwargs)
        self._user_agent_stylesheet = user_agent_stylesheet

    def _ua_stylesheets(self, forms=False):
        return [self._user_agent_stylesheet]


class CertificateRenderer:
    """WeasyPrint set up once: the fetcher, a font configuration holding the bundled font and the
    parsed stylesheet. Not for sharing between threads (see `render_certificate`)."""

    def __init__(self, fetcher: BundledAssetFetcher | None = None):
        self.fetcher = fetcher or BundledAssetFetcher()
        self.font_config = FontConfiguration()
        self.stylesheet = CSS(url=STYLESHEET_URL, url_fetcher=self.fetcher, font_config=self.font_config)
        self.user_agent_stylesheet = CSS(string=USER_AGENT_CSS)
        if FONT_URL not in self.fetcher.served:
            # WeasyPrint would silently fall back to any installed font (or none): refuse instead.
            raise RuntimeError(f"the bundled certificate font {FONT_URL} could not be loaded")

    def pdf_from_html(self, html: str) -> bytes:
        document = _CertificateHTML(
            string=html, url_fetcher=self.fetcher, user_agent_stylesheet=self.user_agent_stylesheet
        )
        return document.write_pdf(stylesheets=[self.stylesheet], font_config=self.font_config)

    def render(self, data: CertificateData) -> bytes:
        return self.pdf_from_html(certificate_html(data))


_local = threading.local()


def renderer() -> CertificateRenderer:
    """This thread's renderer, made on first use."""
    current = getattr(_local, "renderer", None)
    if current is None:
        current = _local.renderer = CertificateRenderer()
    return current


def render_certificate(data: CertificateData) -> bytes:
    """One certificate as PDF bytes."""
    return renderer().render(data)


def write_zip(certificates: Iterable[CertificateData], target: BinaryIO) -> int:
    """Write one PDF per certificate into a ZIP archive on `target`; returns how many.

    One certificate is rendered at a time and written straight into the archive, so memory stays
    at about one PDF whatever the number (give a file, not a BytesIO, for large batches)."""
    count = 0
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for data in certificates:
            archive.writestr(data.filename, render_certificate(data))
            count += 1
    return count
