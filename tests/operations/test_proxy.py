"""PROXY_FIX trusts that many proxies' X-Forwarded-* headers, and none by default."""
from flask import request
from werkzeug.middleware.proxy_fix import ProxyFix

from awards_app import create_app
from awards_app.extensions import db

FORWARDED = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "awards.example.com"}


def _app(tmp_path, monkeypatch, proxies):
    if proxies is None:
        monkeypatch.delenv("PROXY_FIX", raising=False)
    else:
        monkeypatch.setenv("PROXY_FIX", str(proxies))
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.sqlite3'}",
                      "UPLOAD_FOLDER": str(tmp_path / "uploads")})

    @app.get("/_test/where")
    def where():
        return {"addr": request.remote_addr, "scheme": request.scheme, "host": request.host}

    return app


def _seen(app):
    try:
        return app.test_client().get("/_test/where", headers=FORWARDED).get_json()
    finally:
        with app.app_context():
            db.engine.dispose()


def test_forwarded_headers_are_ignored_by_default(tmp_path, monkeypatch):
    app = _app(tmp_path, monkeypatch, None)
    assert app.config["PROXY_FIX"] == 0 and not isinstance(app.wsgi_app, ProxyFix)
    assert _seen(app) == {"addr": "127.0.0.1", "scheme": "http", "host": "localhost"}


def test_one_trusted_proxy(tmp_path, monkeypatch):
    app = _app(tmp_path, monkeypatch, 1)
    assert isinstance(app.wsgi_app, ProxyFix)
    assert _seen(app) == {"addr": "203.0.113.7", "scheme": "https", "host": "awards.example.com"}
