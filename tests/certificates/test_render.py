"""The PDF itself: A4 landscape, both languages as selectable text, the bundled font embedded as a
subset, the QR code's link; and the URL fetcher that keeps rendering inside the application."""
from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from dataclasses import replace
from datetime import date

import pytest
from pypdf.generic import IndirectObject

from awards_app import PROJECT_ROOT
from awards_app.certificates import render
from awards_app.certificates.render import (
    ASSETS,
    FONT_URL,
    STYLESHEET_URL,
    AssetRefused,
    BundledAssetFetcher,
    CertificateData,
    CertificateRenderer,
)

from .conftest import pdf_reader, pdf_text, squeeze

DATA = CertificateData(
    serial="FY2013-0001",
    filename="certificate-FY2013-0001.pdf",
    code="Q2hlY2tDb2RlMTIz",
    verify_url="https://awards.example.com/verify/Q2hlY2tDb2RlMTIz",
    fiscal_year=2013,
    fiscal_year_label_ja="2012年度",
    fiscal_year_label_en="FY2013",
    award_name_ja="大賞（国内）",
    award_name_en="Grand Award (Japan)",
    site_name_ja="東京事業所",
    site_name_en="Tokyo Works",
    title="地元の学校と海岸清掃",
    title_other="Beach clean-up with local schools",
    signatory_name_ja="山田 太郎",
    signatory_name_en="Taro Yamada",
    signatory_title_ja="MDD運営委員会 委員長",
    signatory_title_en="Chair, MDD Steering Committee",
    issued_on=date(2014, 3, 31),
)


def _resolve(value):
    return value.get_object() if isinstance(value, IndirectObject) else value


def embedded_fonts(pdf: bytes) -> list[tuple[str, bool]]:
    """(base font name, has an embedded font file) for every font the pages use."""
    fonts = []
    for page in pdf_reader(pdf).pages:
        resources = _resolve(page["/Resources"])
        for font in _resolve(resources.get("/Font", {})).values():
            font = _resolve(font)
            descendants = [_resolve(d) for d in _resolve(font.get("/DescendantFonts", []))] or [font]
            for each in descendants:
                descriptor = _resolve(each.get("/FontDescriptor", {}))
                embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
                fonts.append((str(each["/BaseFont"]), embedded))
    return fonts


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return render.render_certificate(DATA)


def test_page_is_a4_landscape(pdf):
    pages = pdf_reader(pdf).pages
    assert len(pages) == 1
    box = pages[0].mediabox
    assert float(box.width) == pytest.approx(841.89, abs=1) and float(box.height) == pytest.approx(595.28, abs=1)


def test_japanese_and_english_text_is_selectable(pdf):
    text = squeeze(pdf_text(pdf))
    for expected in (
        "大賞（国内）", "GrandAward(Japan)", "2012年度", "FY2013", "2012年4月1日〜2013年3月31日", "1April2012–31March2013", "東京事業所", "TokyoWorks",
        "地元の学校と海岸清掃", "Beachclean-upwithlocalschools", "山田太郎", "TaroYamada",
        "MDD運営委員会委員長", "Chair,MDDSteeringCommittee", "2014年3月31日", "31March2014",
        "FY2013-0001", "Q2hlY2tDb2RlMTIz", "https://awards.example.com/verify/Q2hlY2tDb2RlMTIz",
    ):
        assert expected in text, expected


def test_only_the_bundled_font_is_embedded_and_as_a_subset(pdf):
    fonts = embedded_fonts(pdf)
    assert fonts, "no fonts found"
    for name, embedded in fonts:
        assert embedded, name
        # A subset's name starts with six capital letters and a plus sign (ISO 32000-1, 9.6.4).
        assert name[1:7].isalpha() and name[1:7].isupper() and name[7] == "+", name
        assert name.endswith("MDD-Certificate-Mincho"), name


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils (pdffonts) is not installed")
def test_pdffonts_agrees(pdf, tmp_path):
    path = tmp_path / "certificate.pdf"
    path.write_bytes(pdf)
    lines = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout.splitlines()[2:]
    assert lines
    for line in lines:
        # name, type, encoding, emb, sub, uni, object number, generation
        columns = line.split()
        assert columns[0].endswith("+MDD-Certificate-Mincho"), line
        assert columns[-5:-2] == ["yes", "yes", "yes"], line  # embedded, subset, with Unicode map


def test_the_certificate_is_small(pdf):
    # The whole 8 MB font would be embedded without subsetting.
    assert len(pdf) < 60_000


def test_the_qr_code_is_the_verification_address_and_the_code_is_a_link_to_it(pdf):
    html = render.certificate_html(DATA)
    assert str(render.qr_svg(DATA.verify_url)) in html
    assert str(render.qr_svg("https://awards.example.com/verify/another")) not in html
    uris = [
        _resolve(_resolve(annotation)["/A"])["/URI"]
        for annotation in _resolve(pdf_reader(pdf).pages[0].get("/Annots", []))
    ]
    assert uris and set(uris) == {DATA.verify_url}


def test_signatory_block_is_left_out_when_nobody_signs():
    unsigned = replace(DATA, signatory_name_ja="", signatory_name_en="", signatory_title_ja="", signatory_title_en="")
    text = squeeze(pdf_text(render.render_certificate(unsigned)))
    assert "山田太郎" not in text and "TaroYamada" not in text and "大賞（国内）" in text


def test_a_long_title_stays_on_one_page():
    long = replace(DATA, title="海岸清掃" * 50, title_other="Beach clean-up " * 13)
    assert len(pdf_reader(render.render_certificate(long)).pages) == 1


def test_the_renderer_is_made_once_per_thread():
    assert render.renderer() is render.renderer()


# --- the fetcher -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fetcher():
    return BundledAssetFetcher()


@pytest.mark.parametrize("url", [STYLESHEET_URL, FONT_URL, "MDD-ASSET:certificate.css"])
def test_fetcher_serves_bundled_assets(fetcher, url):
    response = fetcher(url)
    try:
        assert response.read()[:4] in (b"/* T", b"\x00\x01\x00\x00")
    finally:
        response.close()


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    f"file://{ASSETS}/certificate.css",  # even our own files, by path
    "http://example.com",
    "https://example.com/font.ttf",
    "data:text/css,body{}",
    "ftp://example.com/x",
    "mdd-asset:../render.py",
    "mdd-asset:fonts/../../render.py",
    "mdd-asset:fonts/../../../../../../etc/passwd",
    "mdd-asset:/etc/passwd",
    "mdd-asset://example.com/certificate.css",
    "mdd-asset:fonts/%2e%2e/%2e%2e/render.py",
    "mdd-asset:fonts\\..\\..\\render.py",
    "mdd-asset:./certificate.css",
    "mdd-asset:certificate.css?x=1",
    "mdd-asset:fonts/README",  # in the folder, but not a kind of file WeasyPrint is given
    "mdd-asset:fonts/IPA_Font_License_Agreement_v1.0.txt",
    "mdd-asset:fonts",
    "mdd-asset:missing.css",
    "mdd-asset:",
    "certificate.css",
])
def test_fetcher_refuses_everything_else(fetcher, url):
    with pytest.raises(AssetRefused):
        fetcher(url)


def test_fetcher_refuses_a_link_out_of_the_folder(tmp_path):
    (tmp_path / "outside.css").write_text("body {}")
    root = tmp_path / "assets"
    root.mkdir()
    (root / "inside.css").write_text("body {}")
    (root / "link.css").symlink_to(tmp_path / "outside.css")
    fetcher = BundledAssetFetcher(root)
    fetcher("mdd-asset:inside.css").close()
    with pytest.raises(AssetRefused):
        fetcher("mdd-asset:link.css")


def test_renderer_refuses_to_go_on_without_the_bundled_font(tmp_path):
    """Without the font WeasyPrint would fall back to whatever the server has, or nothing."""
    shutil.copy(ASSETS / "certificate.css", tmp_path / "certificate.css")
    with pytest.raises(RuntimeError, match="font"):
        CertificateRenderer(BundledAssetFetcher(tmp_path))


def test_japanese_renders_on_a_server_without_any_font(tmp_path):
    """A fontconfig with no fonts at all: the certificate still has its Japanese text, in the
    bundled font (this process's fontconfig has IPAex installed, so this runs in another)."""
    (tmp_path / "empty").mkdir()
    config = tmp_path / "fonts.conf"
    config.write_text(textwrap.dedent(f"""\
        <?xml version="1.0"?>
        <!DOCTYPE fontconfig SYSTEM "fonts.dtd">
        <fontconfig><dir>{tmp_path / "empty"}</dir><cachedir>{tmp_path / "cache"}</cachedir></fontconfig>
        """))
    out = tmp_path / "out.pdf"
    script = (
        "import sys, warnings\n"
        "warnings.simplefilter('ignore')  # WeasyPrint warns, rightly, that fontconfig has no fonts\n"
        "from tests.certificates.test_render import DATA\n"
        "from awards_app.certificates.render import render_certificate\n"
        "open(sys.argv[1], 'wb').write(render_certificate(DATA))\n"
    )
    env = {"FONTCONFIG_FILE": str(config), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", script, str(out)], cwd=PROJECT_ROOT, env=env,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    pdf = out.read_bytes()
    text = squeeze(pdf_text(pdf))
    assert "大賞（国内）" in text and "東京事業所" in text and "GrandAward(Japan)" in text
    assert [name.endswith("MDD-Certificate-Mincho") for name, _ in embedded_fonts(pdf)] == [True]


def test_weasyprint_still_has_the_user_agent_stylesheet_hook():
    """render._CertificateHTML replaces WeasyPrint's user-agent stylesheet through this hook; if a
    new WeasyPrint drops it, certificates still render, only slower: this test says so."""
    from weasyprint import HTML

    assert callable(getattr(HTML, "_ua_stylesheets", None))
    document = render._CertificateHTML(string="<p>x</p>", user_agent_stylesheet=render.renderer().user_agent_stylesheet)
    assert document._ua_stylesheets() == [render.renderer().user_agent_stylesheet]
