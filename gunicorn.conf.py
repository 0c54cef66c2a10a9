"""gunicorn settings: `gunicorn -c gunicorn.conf.py "awards_app:create_app()"`.

Every value can be changed from the environment (or GUNICORN_CMD_ARGS); see docs/deploy.md.
"""
import gc
import os

from awards_app.config import web_workers


# Loopback by default: the reverse proxy in front terminates TLS and forwards here. Set
# GUNICORN_BIND (for example "0.0.0.0:8000" or "unix:/run/awards/gunicorn.sock") to change it.
bind = os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"
workers = web_workers()
worker_class = "sync"
# Long enough for the slowest legitimate request (a ZIP of several hundred certificates, ~10 s).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so that a slow leak (e.g. in the PDF stack) cannot grow forever.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200

# gunicorn's access log is off: the app writes its own one line per request when LOG_REQUESTS is
# set (awards_app.core.request_log), with the user and without query strings, which may hold
# invitation tokens. Set GUNICORN_ACCESS_LOG=- to get gunicorn's log as well.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# Load the app once in the master, before forking: workers start faster, a broken configuration
# fails at startup instead of in every worker, and the code and data loaded by create_app()
# (modules, templates, translations, SQLAlchemy metadata) sit in memory pages the workers share.
preload_app = True


def when_ready(server):
    # With preload_app the app is loaded by now, and no worker is forked yet. Compile every
    # template here, once: otherwise each worker compiles each template on its first use (about
    # 0.3 s for all of them), again after every recycle (max_requests), inside a user's request.
    app = server.app.wsgi()
    if hasattr(app, "jinja_env"):
        for name in app.jinja_env.list_templates():
            try:
                app.jinja_env.get_template(name)
            except Exception:  # a broken template fails on its own page, as it would without this
                server.log.exception("Template %s does not compile", name)
    # Freeze the objects created so far into the garbage collector's permanent generation:
    # otherwise each collection in a worker walks them and writes to their GC headers, and
    # copy-on-write then gives every worker its own copy of those pages.
    gc.freeze()


def post_fork(server, worker):
    # Connections must never be shared across a fork. create_app() opens none, but if the master
    # ever did, drop its pool in the child without closing the parent's sockets.
    app = server.app.wsgi()
    if hasattr(app, "app_context"):
        from awards_app.extensions import db

        with app.app_context():
            db.engine.dispose(close=False)
