"""`flask check`: one line per check, exit 1 when any fails."""
import pytest
from flask_migrate import upgrade

from awards_app import PROJECT_ROOT, create_app
from awards_app.config import DEV_SECRET_KEY
from awards_app.core import checks
from awards_app.extensions import db

GOOD_KEY = "a-long-random-production-secret-key"
GOOD_ADDRESS = "https://awards.example.com"


@pytest.fixture
def make_app(tmp_path):
    """A separate app on a migrated SQLite file (not the session app, whose schema comes from
    create_all and so has no Alembic revision), its engine disposed afterwards."""
    apps = []

    def factory(migrate=True, **overrides):
        config = {"SECRET_KEY": GOOD_KEY, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'c.sqlite3'}",
                  "UPLOAD_FOLDER": str(tmp_path / "uploads"), "PUBLIC_BASE_URL": GOOD_ADDRESS}
        config.update(overrides)
        app = create_app(config)
        apps.append(app)
        if migrate:
            with app.app_context():
                upgrade(directory=str(PROJECT_ROOT / "migrations"))
        return app

    yield factory
    for app in apps:
        with app.app_context():
            db.engine.dispose()


def run_check(app):
    # The autouse fixture keeps the session app's context pushed; the command must see this one.
    with app.app_context():
        return app.test_cli_runner().invoke(args=["check"])


def test_all_checks_pass(make_app):
    result = run_check(make_app())
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "ok      secret key", "ok      upload folder", "ok      database", "ok      migrations",
        "ok      certificate font", "ok      certificate PDFs", "ok      public address",
    ]
    assert "ok      public address: https://awards.example.com" in lines


@pytest.mark.parametrize("key, message", [
    (DEV_SECRET_KEY, "SECRET_KEY is not set"),
    ("", "SECRET_KEY is empty"),
    ("short", "SECRET_KEY is shorter than 16"),
])
def test_secret_key_refused_in_production(make_app, key, message):
    result = run_check(make_app(SECRET_KEY=key))
    assert result.exit_code == 1
    assert f"FAILED  secret key: {message}" in result.output
    assert "ok      database" in result.output  # the other checks still run and report


def test_development_key_accepted_in_debug_and_testing(make_app):
    app = make_app(SECRET_KEY=DEV_SECRET_KEY, TESTING=True)
    result = run_check(app)
    assert result.exit_code == 0, result.output
    assert "ok      secret key: development key" in result.output


def test_upload_folder_missing_or_not_a_directory(make_app, tmp_path):
    app = make_app()
    app.config["UPLOAD_FOLDER"] = str(tmp_path / "gone")
    result = run_check(app)
    assert result.exit_code == 1 and f"FAILED  upload folder: {tmp_path / 'gone'} does not exist" in result.output
    file = tmp_path / "a-file"
    file.write_text("x")
    app.config["UPLOAD_FOLDER"] = str(file)
    assert "FAILED  upload folder: " in run_check(app).output


def test_upload_folder_not_writable(make_app, monkeypatch):
    # Permissions do not stop root (tests may run as root), so make the write itself fail.
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(checks.tempfile, "NamedTemporaryFile", refuse)
    result = run_check(make_app())
    assert result.exit_code == 1
    assert "is not writable (Permission denied)" in result.output


def test_database_unreachable(make_app, tmp_path):
    app = make_app(migrate=False, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'no' / 'such' / 'dir.sqlite3'}")
    result = run_check(app)
    assert result.exit_code == 1
    assert "FAILED  database: unreachable: unable to open database file" in result.output
    assert "FAILED  migrations: cannot read the revision" in result.output


def test_migrations_behind(make_app):
    result = run_check(make_app(migrate=False))
    assert result.exit_code == 1
    assert "FAILED  migrations: database at none, code at " in result.output
    assert "db upgrade" in result.output


def test_font_missing(make_app, monkeypatch, tmp_path):
    monkeypatch.setattr(checks, "FONT_PATH", tmp_path / "ipaexm.ttf")
    result = run_check(make_app())
    assert result.exit_code == 1
    assert f"FAILED  certificate font: {tmp_path / 'ipaexm.ttf'} is missing" in result.output


@pytest.fixture
def no_pango(monkeypatch):
    """WeasyPrint failing to import as it does on a server without Pango (an OSError from dlopen)."""
    import builtins

    real_import = builtins.__import__

    def failing_import(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared object file")
        return real_import(name, *args, **kwargs)

    checks.pdf_renderer_problem.cache_clear()
    monkeypatch.setattr(builtins, "__import__", failing_import)
    yield
    monkeypatch.undo()
    checks.pdf_renderer_problem.cache_clear()


def test_pdf_libraries_missing(make_app, no_pango):
    result = run_check(make_app())
    assert result.exit_code == 1
    assert ("FAILED  certificate PDFs: WeasyPrint cannot load its system libraries (cannot load library "
            "'libpango-1.0-0'") in result.output
    assert "install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0" in result.output


def test_public_address_required_in_production(make_app):
    """Without PUBLIC_BASE_URL, invitation links and certificate QR codes follow the Host header
    of the request that makes them, which the client chooses."""
    result = run_check(make_app(PUBLIC_BASE_URL=""))
    assert result.exit_code == 1
    assert ("FAILED  public address: PUBLIC_BASE_URL is not set; set the address people type, e.g. "
            "https://awards.example.com (without it, invitation links and certificate QR codes "
            "follow the Host header of each request)") in result.output
    assert "ok      database" in result.output


@pytest.mark.parametrize("address", ["awards.example.com", "ftp://awards.example.com", "https://",
                                     "https://awards.example.com/?x=1", "https://awards.example.com/#top",
                                     "https://user@awards.example.com", "https://awards .example.com"])
def test_public_address_must_be_an_address(make_app, address):
    result = run_check(make_app(PUBLIC_BASE_URL=address))
    assert result.exit_code == 1
    assert f"FAILED  public address: PUBLIC_BASE_URL {address!r} is not an absolute http(s) address" in result.output


@pytest.mark.parametrize("address", ["https://awards.example.com/", "https://mdd.example.org/awards",
                                     "http://127.0.0.1:8000"])
def test_public_address_with_a_path_or_port_passes(make_app, address):
    result = run_check(make_app(PUBLIC_BASE_URL=address))
    assert result.exit_code == 0, result.output
    assert f"ok      public address: {address}" in result.output


def test_public_address_may_be_missing_in_debug_and_testing(make_app):
    result = run_check(make_app(PUBLIC_BASE_URL="", TESTING=True))
    assert result.exit_code == 0, result.output
    assert "ok      public address: not set: links follow the request's address (accepted in debug/testing only)" in result.output
