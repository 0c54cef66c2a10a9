"""Activities at scale: importing a 20,000-row spreadsheet, and the programme's statistics pages
over 3 fiscal years of 2,000 and of 20,000 activities each.

* **Import**: a 20,000-row XLSX (one site, every column filled; dates as date cells, numbers as
  numbers; shared strings and a dimension, as Excel saves) is read and checked (`importing.read_activities`, as the preview and the command do),
  then written (`services.import_activities`) and committed, in a fresh child process on an empty
  SQLite database. Reported: wall time of read + write + commit, and the process's peak resident
  memory (VmHWM) and its growth over the baseline measured after creating the app.
  Targets (issue 13): ≤ 20 s and ≤ 300 MB.
* **Statistics**: 40 sites (half in Japan), 3 fiscal years × N activities inserted in bulk; an
  admin logged in through the login form; `GET /admin/stats/programme` and
  `GET /admin/stats/programme/<fy>` timed in-process with the test client (median of --requests
  after a warm-up) and their SQL statements counted. The counts must be equal at both sizes.

    .venv/bin/python -m bench.activities [--rows 20000] [--sizes 2000,20000] [--requests 20] [--check]
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

IMPORT_SECONDS, IMPORT_MB = 20, 300


def _status_mb(field: str) -> float | None:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return None


def _app(folder: Path):
    from awards_app import create_app
    from awards_app.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite3'}", "TESTING": True,
                      "WTF_CSRF_ENABLED": False, "SECRET_KEY": "bench", "UPLOAD_FOLDER": str(folder / "u"),
                      "RATELIMIT_ENABLED": False})
    with app.app_context():
        db.create_all()
    return app


def write_workbook(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    from awards_app.activities.spreadsheet import COLUMNS

    # A normal (not write-only) workbook, like the files Excel saves: shared strings and the sheet's
    # dimension (without one, openpyxl's read-only mode first scans the whole sheet for its size).
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Activities"
    sheet.append([f"{english} ({key})" for key, (english, _ja, _required) in COLUMNS.items()])
    first = date(2012, 4, 1)
    for n in range(rows):
        day = first + timedelta(days=n % 360)
        sheet.append(["BENCH", f"R-{n:05d}", f"Activity {n}", f"活動 {n}", ("nature", "education", "community")[n % 3],
                      "yes" if n % 7 == 0 else "no", day, day + timedelta(days=n % 2), 5 + n % 50, 10.5 + n % 20,
                      "City", "A short description of the activity."])
    workbook.save(path)


def import_child(workbook: str, folder: str) -> None:
    """One import, in a fresh process; prints one line of JSON."""
    from awards_app.activities import importing, queries, services
    from awards_app.core.transactions import commit
    from awards_app.extensions import db
    from awards_app.sites.models import Site

    app = _app(Path(folder))
    with app.app_context():
        db.session.add(Site(code="BENCH", name_en="Bench", name_ja="ベンチ", country="JP"))
        db.session.commit()
        data = Path(workbook).read_bytes()
        baseline = _status_mb("VmRSS")
        Path("/proc/self/clear_refs").write_text("5")

        class Operator:
            id = None
            is_authenticated = is_active = is_admin = True
            site_ids = ()

        started = time.perf_counter()
        reading = importing.read_activities(Path(workbook).name, data, sites_by_code=queries.sites_by_code(),
                                            max_bytes=50 * 1024 * 1024, max_rows=200_000)
        read = time.perf_counter() - started
        assert reading.ok, reading.errors[:3]
        result = services.import_activities(Operator(), reading.rows, filename="bench.xlsx")
        commit()
        total = time.perf_counter() - started
        peak = _status_mb("VmHWM")
    print(json.dumps({"rows": result.created, "read_s": read, "total_s": total, "baseline_mb": baseline,
                      "peak_mb": peak}))


def _fill(app, per_year: int) -> None:
    from sqlalchemy import insert

    from awards_app.activities.models import Activity
    from awards_app.extensions import db
    from awards_app.sites.models import Site

    countries = ["JP"] * 20 + ["US", "GB", "DE", "FR", "SG", "CN", "IN", "BR", "AU", "TH",
                                "MY", "KR", "TW", "ID", "MX", "NL", "IT", "ES", "CA", "VN"]
    rng = random.Random(7)
    with app.app_context():
        db.session.execute(insert(Site), [{"code": f"S{i:02d}", "name_en": f"Site {i}", "name_ja": f"拠点{i}",
                                           "country": country, "active": True}
                                          for i, country in enumerate(countries, start=1)])
        site_ids = list(db.session.scalars(Site.__table__.select().with_only_columns(Site.id)))
        for fiscal_year in (2011, 2012, 2013):
            first = date(fiscal_year - 1, 4, 1)
            rows = []
            for n in range(per_year):
                day = first + timedelta(days=rng.randrange(360))
                rows.append({"site_id": rng.choice(site_ids), "fiscal_year": fiscal_year, "reference": f"R{n}",
                             "title": f"Activity {n}", "title_other": "", "theme": ("nature", "education",
                                                                                  "community")[n % 3],
                             "biodiversity": n % 5 == 0, "start_date": day, "end_date": day,
                             "participants": rng.randrange(1, 200), "volunteer_hours": Decimal(rng.randrange(1, 800)) / 2,
                             "partners": "", "description": "", "source": "import"})
            db.session.execute(insert(Activity), rows)
        db.session.commit()


def stats_child(folder: str, per_year: int, requests: int) -> None:
    from sqlalchemy import event
    from werkzeug.security import generate_password_hash

    from awards_app.accounts.models import User
    from awards_app.extensions import db

    app = _app(Path(folder))
    _fill(app, per_year)
    with app.app_context():
        db.session.add(User(email="admin@bench.example", name="Admin", password_hash=generate_password_hash("pw"),
                            is_admin=True, locale="en", timezone="UTC", session_version=1))
        db.session.commit()
        engine = db.engine
    client = app.test_client()
    assert client.post("/login", data={"email": "admin@bench.example", "password": "pw"}).status_code == 302
    statements: list[str] = []
    results = {}
    for name, url in (("overview", "/admin/stats/programme"), ("year", "/admin/stats/programme/2013")):
        for _warm in range(2):
            assert client.get(url).status_code == 200
        times = []
        for _n in range(requests):
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
            assert response.status_code == 200
        with app.app_context():
            listener = lambda *args: statements.append(args[2])  # noqa: E731
            event.listen(engine, "before_cursor_execute", listener)
            statements.clear()
            client.get(url)
            event.remove(engine, "before_cursor_execute", listener)
        results[name] = {"median_ms": statistics.median(times) * 1000, "queries": len(statements)}
    print(json.dumps(results))


def _run(*args: str) -> dict:
    output = subprocess.run([sys.executable, "-m", "bench.activities", *args], check=True, capture_output=True,
                            text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--sizes", default="2000,20000")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.child:
        kind, *rest = options.child
        if kind == "import":
            import_child(*rest)
        else:
            stats_child(rest[0], int(rest[1]), int(rest[2]))
        return 0
    ok = True
    with tempfile.TemporaryDirectory() as folder:
        workbook = Path(folder) / "activities.xlsx"
        write_workbook(workbook, options.rows)
        size = workbook.stat().st_size / 1024 / 1024
        result = _run("--child", "import", str(workbook), str(Path(folder) / "import"))
        growth = result["peak_mb"] - result["baseline_mb"]
        print(f"import of {result['rows']:,} rows ({size:.1f} MB XLSX): {result['total_s']:.1f} s "
              f"(reading and checking {result['read_s']:.1f} s), peak {result['peak_mb']:.0f} MB resident "
              f"(+{growth:.0f} MB over the app's {result['baseline_mb']:.0f} MB)"
              f" — targets ≤ {IMPORT_SECONDS} s, ≤ {IMPORT_MB} MB")
        ok &= result["total_s"] <= IMPORT_SECONDS and result["peak_mb"] <= IMPORT_MB
        counts = []
        for per_year in (int(s) for s in options.sizes.split(",")):
            Path(folder, f"stats{per_year}").mkdir()
            figures = _run("--child", "stats", str(Path(folder) / f"stats{per_year}"), str(per_year),
                           str(options.requests))
            counts.append({name: value["queries"] for name, value in figures.items()})
            for name, value in figures.items():
                print(f"statistics {name:8} 3 FY × {per_year:>6,}: median {value['median_ms']:7.1f} ms, "
                      f"{value['queries']} queries")
        equal = all(c == counts[0] for c in counts)
        print(f"query counts equal at every size: {'yes' if equal else 'NO'}")
        ok &= equal
    return 0 if ok or not options.check else 1


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    sys.exit(main())
