"""MDD Awards: the application factory."""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from awards_app.config import PROJECT_ROOT, load_config
from awards_app.extensions import babel, csrf, db, limiter, login_manager, migrate

def _blueprints():
    # An explicit list: reading it tells what the application is made of.
    from awards_app.accounts.views import bp as accounts_bp
    from awards_app.activities.views import bp as activities_bp
    from awards_app.audit.views import bp as audit_bp
    from awards_app.awards.views import bp as awards_bp
    from awards_app.certificates.views import bp as certificates_bp
    from awards_app.cycles.views import bp as cycles_bp
    from awards_app.exports.views import bp as exports_bp
    from awards_app.judging.views import bp as judging_bp
    from awards_app.main.views import bp as main_bp
    from awards_app.nominations.views import bp as nominations_bp
    from awards_app.notifications.views import bp as notifications_bp
    from awards_app.sites.views import bp as sites_bp
    from awards_app.stats.views import bp as stats_bp
    from awards_app.winners.views import bp as winners_bp

    return [
        main_bp, accounts_bp, sites_bp, cycles_bp, activities_bp, nominations_bp, judging_bp,
        awards_bp, certificates_bp, exports_bp, stats_bp, audit_bp, notifications_bp, winners_bp,
    ]


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
        instance_path=os.environ.get("INSTANCE_PATH", str(PROJECT_ROOT / "instance")),
    )
    app.config.update(load_config(app.instance_path))
    if overrides:
        app.config.update(overrides)
    app.config["MAX_CONTENT_LENGTH"] = (app.config["MAX_UPLOAD_MB"] + 1) * 1024 * 1024
    from awards_app.core import urls

    urls.init_app(app)  # URL converters, before any route is added
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    Path(app.config["UPLOAD_FOLDER"]).mkdir(parents=True, exist_ok=True)

    _import_models()
    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    from awards_app.core import queue

    queue.init_app(app)

    from awards_app.core import i18n

    babel.init_app(
        app,
        locale_selector=i18n.select_locale,
        timezone_selector=i18n.select_timezone,
        default_translation_directories=str(Path(__file__).parent / "translations"),
    )
    i18n.init_app(app)

    from awards_app.accounts import auth

    auth.init_app(app, login_manager)

    for blueprint in _blueprints():
        app.register_blueprint(blueprint)
    _answer_hooks()
    _subscribe()

    from awards_app import cli
    from awards_app.core import errors, request_log, web

    errors.init_app(app)
    web.init_app(app)
    request_log.init_app(app)
    cli.init_app(app)

    if app.config["PROXY_FIX"] > 0:
        # Behind N trusted proxies, take the client address, scheme and host from their
        # X-Forwarded-* headers (HTTPS redirects, secure cookies, url_for(_external=True)).
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["PROXY_FIX"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    return app


def _answer_hooks() -> None:
    """Higher features answer the questions lower ones ask (awards_app/core/hooks.py)."""
    from awards_app.awards import hooks as awards_hooks
    from awards_app.certificates import hooks as certificates_hooks
    from awards_app.judging import hooks as judging_hooks
    from awards_app.nominations import hooks as nominations_hooks

    for feature in (nominations_hooks, judging_hooks, awards_hooks, certificates_hooks):
        feature.register()


def _subscribe() -> None:
    """Receivers of the domain events (awards_app.core.events), listed like the blueprints."""
    from awards_app.audit.services import subscribe as audit_log
    from awards_app.nominations.services import subscribe as nominations_follow_activities
    from awards_app.notifications.services import subscribe as notifications

    audit_log()
    nominations_follow_activities()
    notifications()


def _import_models() -> None:
    """Import every model so that metadata (and Alembic) see all tables."""
    import awards_app.accounts.models  # noqa: F401
    import awards_app.activities.models  # noqa: F401
    import awards_app.audit.models  # noqa: F401
    import awards_app.awards.models  # noqa: F401
    import awards_app.certificates.models  # noqa: F401
    import awards_app.cycles.models  # noqa: F401
    import awards_app.judging.models  # noqa: F401
    import awards_app.nominations.models  # noqa: F401
    import awards_app.notifications.models  # noqa: F401
    import awards_app.sites.models  # noqa: F401


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """Make SQLite behave: enforce foreign keys, and let SQLAlchemy own transactions so that
    SAVEPOINTs work (pysqlite's own transaction handling breaks them)."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn):
    """On SQLite a request that may write (POST and the like) takes the write lock when its
    transaction begins (``BEGIN IMMEDIATE``), waiting up to busy_timeout for another writer.
    With a plain ``BEGIN`` a transaction that has read and then writes after another writer
    committed fails at once with "database is locked" (SQLITE_BUSY_SNAPSHOT): a 500 for
    concurrent uploads. Reading requests, and code outside a request, keep a plain ``BEGIN``;
    readers are never blocked (WAL)."""
    if conn.dialect.name == "sqlite":
        writing = has_request_context() and request.method not in ("GET", "HEAD", "OPTIONS")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")
