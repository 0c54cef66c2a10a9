"""Benchmark of certificate PDFs against a minimal WeasyPrint document, in the same process and run.

* Render time: the median (and 95th percentile) of N certificates, each with its own code, QR
  code and texts, against a one-line WeasyPrint document rendered the plain way
  (`HTML(string=...).write_pdf()`). The two are measured alternately, so that whatever else the
  machine is doing weighs on both alike, after a few warm-up renders of each. The one-time
  set-up of the renderer (parsing the stylesheet, registering the bundled font) is reported
  apart.
* Size of a certificate, and its fonts: embedded, as subsets (pdffonts when poppler-utils is
  installed, else read with pypdf: a subset's name starts with six capital letters and "+").
* 500 certificates as a ZIP, through the application: one child process fills a temporary SQLite
  database with a finalised cycle of 500 award decisions and issues their certificates with the
  service; a fresh one writes the archive with the function the download route uses. Its peak
  resident memory (ru_maxrss: the whole process, Python, Flask, WeasyPrint and all) is the figure.

Targets (issue 4): ≤ 3 × the minimal document's median, ≤ 60 KB, fonts embedded as subsets,
peak memory ≤ 400 MB for the ZIP of 500.

    .venv/bin/python -m bench.certificates [--renders 60] [--zip 500] [--check]
"""
from __future__ import annotations

import argparse
import gc
import io
import json
import os
import platform
import re
import resource
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

RATIO_TARGET = 3.0
SIZE_TARGET = 60 * 1024
MEMORY_TARGET_MB = 400
WARM_UP = 10
MINIMAL_HTML = "<p>MDD Awards: a one-line document.</p>"

SITES = [
    ("東京事業所", "Tokyo Works"), ("大阪工場", "Osaka Plant"), ("ベルリン事業所", "Berlin Office"),
    ("札幌営業所", "Sapporo Sales Office"), ("シンガポール支社", "Singapore Branch"),
]
TITLES = [
    ("地元の学校と海岸清掃", "Beach clean-up with local schools"),
    ("Tree planting along the Spree with neighbourhood volunteers", ""),
    ("子ども食堂への食材提供と調理ボランティア", "Food and cooking for a children's cafeteria"),
    ("里山の竹林整備と生き物調査", "Bamboo grove care and a wildlife survey in the satoyama"),
]


def sample(index: int):
    """A realistic certificate, different each time (code, QR code, texts)."""
    from awards_app.certificates.render import CertificateData

    code = secrets.token_urlsafe(12)
    site_ja, site_en = SITES[index % len(SITES)]
    title, title_other = TITLES[index % len(TITLES)]
    overseas = index % 2 == 1
    return CertificateData(
        serial=f"FY2013-{index + 1:04d}",
        filename=f"certificate-FY2013-{index + 1:04d}.pdf",
        code=code,
        verify_url=f"https://awards.example.com/verify/{code}",
        fiscal_year=2013,
        fiscal_year_label_ja="2012年度",
        fiscal_year_label_en="FY2013",
        award_name_ja="大賞（海外）" if overseas else "大賞（国内）",
        award_name_en="Grand Award (Overseas)" if overseas else "Grand Award (Japan)",
        site_name_ja=site_ja,
        site_name_en=site_en,
        title=title,
        title_other=title_other,
        signatory_name_ja="山田 太郎",
        signatory_name_en="Taro Yamada",
        signatory_title_ja="MDD運営委員会 委員長",
        signatory_title_en="Chair, MDD Steering Committee",
        issued_on=date(2014, 3, 31),
    )


def minimal_pdf() -> bytes:
    from weasyprint import HTML

    return HTML(string=MINIMAL_HTML).write_pdf()


def measure_renders(count: int) -> dict:
    from awards_app.certificates import render

    started = time.perf_counter()
    render.renderer()
    setup = time.perf_counter() - started
    for index in range(WARM_UP):  # both warmed up: imports, fontconfig, caches of cffi and Pango
        render.render_certificate(sample(1000 + index))
        minimal_pdf()
    certificate_times, minimal_times, sizes = [], [], []
    minimal_size = 0
    samples = [sample(index) for index in range(1, count + 1)]
    gc.collect()
    gc.disable()  # as timeit does: a collection would land on whichever render is running
    try:
        for data in samples:
            started = time.perf_counter()
            pdf = render.render_certificate(data)
            certificate_times.append(time.perf_counter() - started)
            sizes.append(len(pdf))
            started = time.perf_counter()
            minimal = minimal_pdf()
            minimal_times.append(time.perf_counter() - started)
            minimal_size = len(minimal)
    finally:
        gc.enable()
    return {
        "setup": setup,
        "certificate": certificate_times,
        "minimal": minimal_times,
        "sizes": sizes,
        "minimal_size": minimal_size,
        "sample_pdf": pdf,
    }


def font_check(pdf: bytes) -> tuple[str, list[tuple[str, bool, bool]]]:
    """(tool, [(font name, embedded, subset)])."""
    if shutil.which("pdffonts"):
        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(pdf)
            handle.flush()
            lines = subprocess.run(["pdffonts", handle.name], check=True, capture_output=True, text=True).stdout
        fonts = []
        for line in lines.splitlines()[2:]:
            columns = line.split()
            emb, sub = columns[-5], columns[-4]
            fonts.append((columns[0], emb == "yes", sub == "yes"))
        return "pdffonts", fonts
    from pypdf import PdfReader

    fonts = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for each in [d.get_object() for d in font.get("/DescendantFonts", [])] or [font]:
                name = str(each["/BaseFont"]).lstrip("/")
                descriptor = each.get("/FontDescriptor", {}).get_object()
                embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
                fonts.append((name, embedded, bool(re.match(r"[A-Z]{6}\+", name))))
    return "pypdf", fonts


# --- the ZIP of 500, in child processes -----------------------------------------------------------


def _app(workdir: Path):
    os.environ["INSTANCE_PATH"] = str(workdir / "instance")
    from awards_app import create_app

    return create_app({
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'bench.sqlite3'}",
        "UPLOAD_FOLDER": str(workdir / "uploads"),
        "SECRET_KEY": "bench",
        "SERVER_NAME": "awards.example.com",
        "PREFERRED_URL_SCHEME": "https",
    })


def zip_prepare(workdir: Path, count: int) -> dict:
    """A database with a finalised cycle of `count` award decisions, their certificates issued by
    the service (as the admin's "Issue certificates" button does)."""
    from awards_app.accounts.models import User
    from awards_app.awards.models import AwardDecision
    from awards_app.certificates import services
    from awards_app.core.enums import Language, NominationStatus, Phase, Region
    from awards_app.core.models import utcnow
    from awards_app.cycles.models import AwardCategory, Cycle
    from awards_app.extensions import db
    from awards_app.nominations.models import Nomination
    from awards_app.sites.models import Site

    with _app(workdir).app_context():
        db.create_all()
        now = utcnow()
        admin = User(email="admin@example.com", name="Admin", is_admin=True)
        sites = [
            Site(code=f"SITE-{i}", name_ja=ja, name_en=en, country="JP" if i % 2 == 0 else "DE")
            for i, (ja, en) in enumerate(SITES)
        ]
        cycle = Cycle(
            fiscal_year=2013, phase=Phase.FINALISED, finalised_at=now,
            nomination_deadline=now - timedelta(days=90), judging_deadline=now - timedelta(days=30),
            signatory_name_ja="山田 太郎", signatory_name_en="Taro Yamada",
            signatory_title_ja="MDD運営委員会 委員長", signatory_title_en="Chair, MDD Steering Committee",
        )
        db.session.add_all([admin, cycle, *sites])
        db.session.flush()
        for index in range(count):
            title, title_other = TITLES[index % len(TITLES)]
            category = AwardCategory(
                cycle_id=cycle.id, key=f"award_{index}", name_ja=f"大賞（第{index + 1}部門）",
                name_en=f"Grand Award (category {index + 1})", region=Region.JAPAN, position=index,
            )
            nomination = Nomination(
                cycle_id=cycle.id, site=sites[index % len(sites)], status=NominationStatus.SUBMITTED,
                language=Language.JA, title=title, title_other=title_other,
            )
            db.session.add_all([category, nomination])
            db.session.flush()
            db.session.add(AwardDecision(
                cycle_id=cycle.id, category_id=category.id, nomination_id=nomination.id,
                proposed_nomination_id=nomination.id, decided_by_id=admin.id,
            ))
        db.session.commit()
        issued = len(services.issue_certificates(admin, cycle))
        db.session.commit()
        return {"issued": issued, "cycle_id": cycle.id}


def _rss_mb() -> float | None:
    """The current resident memory (Linux), to show what the ZIP itself adds."""
    try:
        with open("/proc/self/status") as status:
            line = next(line for line in status if line.startswith("VmRSS:"))
    except (OSError, StopIteration):
        return None
    return int(line.split()[1]) / 1024


def zip_write(workdir: Path, cycle_id: int) -> dict:
    """In a fresh process, write the cycle's ZIP as the download route does (the certificates in
    force, read from the database, rendered one at a time into a temporary file)."""
    from awards_app.certificates import queries, services
    from awards_app.certificates.render import renderer

    with _app(workdir).app_context():
        renderer()  # WeasyPrint loaded, as in a server that has rendered one certificate
        gc.collect()
        rss_before = _rss_mb()
        started = time.perf_counter()
        with tempfile.TemporaryFile(dir=workdir) as archive:
            written = services.write_certificates_zip(queries.list_current_certificates(cycle_id), archive)
            size = archive.tell()
        seconds = time.perf_counter() - started
    return {
        "written": written,
        "zip_bytes": size,
        "seconds": seconds,
        "rss_before_mb": rss_before,
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _child(*args: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "bench.certificates", *args],
        capture_output=True, text=True, cwd=Path(__file__).resolve().parent.parent, check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"bench child {args[0]} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def measure_zip(count: int) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="bench-certificates-"))
    try:
        prepared = _child("--zip-prepare", str(workdir), str(count))
        return {**prepared, **_child("--zip-write", str(workdir), str(prepared["cycle_id"]))}
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


# --- report ---------------------------------------------------------------------------------------


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--renders", type=int, default=60, help="certificates (and minimal documents) to time")
    parser.add_argument("--zip", type=int, default=500, help="certificates in the ZIP")
    parser.add_argument("--check", action="store_true", help="exit non-zero when a target is missed")
    parser.add_argument("--zip-prepare", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--zip-write", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.zip_prepare:
        print(json.dumps(zip_prepare(Path(args.zip_prepare[0]), int(args.zip_prepare[1]))))
        return 0
    if args.zip_write:
        print(json.dumps(zip_write(Path(args.zip_write[0]), int(args.zip_write[1]))))
        return 0

    import weasyprint

    renders = measure_renders(args.renders)
    certificate = statistics.median(renders["certificate"])
    minimal = statistics.median(renders["minimal"])
    ratio = certificate / minimal
    p95 = statistics.quantiles(renders["certificate"], n=20)[-1]
    size = statistics.median(renders["sizes"])
    largest = max(renders["sizes"])
    tool, fonts = font_check(renders["sample_pdf"])
    fonts_ok = bool(fonts) and all(embedded and subset for _name, embedded, subset in fonts)
    zipped = measure_zip(args.zip)
    small = measure_zip(max(1, args.zip // 10))  # memory must not grow with the number

    rows = [
        ("minimal document (one line), median", _ms(minimal), f"{renders['minimal_size'] / 1024:.1f} KB", ""),
        ("certificate, median", _ms(certificate), f"{size / 1024:.1f} KB", ""),
        ("certificate, 95th percentile", _ms(p95), f"{largest / 1024:.1f} KB (largest)", ""),
        ("certificate / minimal", f"{ratio:.2f} ×", "", f"≤ {RATIO_TARGET:.0f} × " + ("ok" if ratio <= RATIO_TARGET else "MISS")),
        ("certificate size", "", f"{largest / 1024:.1f} KB", f"≤ {SIZE_TARGET // 1024} KB " + ("ok" if largest <= SIZE_TARGET else "MISS")),
        ("renderer set-up (once per thread)", _ms(renders["setup"]), "", ""),
        (f"fonts ({tool})", ", ".join(f"{n} emb={'yes' if e else 'no'} sub={'yes' if s else 'no'}" for n, e, s in fonts),
         "", "embedded subsets " + ("ok" if fonts_ok else "MISS")),
        (f"ZIP of {zipped['written']} certificates", f"{zipped['seconds']:.1f} s", f"{zipped['zip_bytes'] / 1024 / 1024:.1f} MB", ""),
        ("ZIP: peak memory of the process", f"{zipped['maxrss_mb']:.0f} MB",
         f"(resident before the ZIP: {zipped['rss_before_mb']:.0f} MB)" if zipped["rss_before_mb"] else "",
         f"≤ {MEMORY_TARGET_MB} MB " + ("ok" if zipped["maxrss_mb"] <= MEMORY_TARGET_MB else "MISS")),
        (f"ZIP of {small['written']}: peak memory, for comparison", f"{small['maxrss_mb']:.0f} MB", "", ""),
    ]
    print(f"Certificates benchmark — WeasyPrint {weasyprint.__version__}, Python {platform.python_version()}, "
          f"{platform.machine()}, {os.cpu_count()} CPUs; {args.renders} renders of each, alternating")
    widths = [max(len(str(row[i])) for row in rows) for i in range(3)]
    for label, time_, size_, target in rows:
        print(f"  {label:<{widths[0]}}  {time_:>{widths[1]}}  {size_:<{widths[2]}}  {target}")

    misses = [
        ratio > RATIO_TARGET, largest > SIZE_TARGET, not fonts_ok,
        zipped["maxrss_mb"] > MEMORY_TARGET_MB, zipped["written"] != args.zip,
    ]
    if args.check and any(misses):
        print("target missed")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
