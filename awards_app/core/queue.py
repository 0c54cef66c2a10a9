"""The job queue: one Huey instance, its storage chosen from the environment when the app starts.

Background work (sending the outbox's mail, the reminders) runs as Huey tasks in a consumer
process (`flask worker`), never inside a web request. Tasks are declared at import time with
``@huey.task()`` / ``@huey.periodic_task(...)`` on the one instance below; ``init_app`` then gives
it the storage that HUEY_URL names:

* unset → a SQLite file under the instance folder (the embedded default: nothing to install);
* ``redis://…`` / ``rediss://…`` → Redis (Huey's RedisStorage);
* ``postgresql://…`` → PostgreSQL (Huey's own PostgresStorage on psycopg 3: ``FOR UPDATE SKIP
  LOCKED`` to dequeue, LISTEN/NOTIFY to wake the consumers; its tables are ``huey_*``);
* ``sqlite:///path`` → that SQLite file.

With HUEY_IMMEDIATE (the tests) a task runs at once in the caller, as Huey's immediate mode does.
A task runs in an app context: the caller's when it has one, else the app that configured the
queue (the consumer's).
"""
from __future__ import annotations

import functools
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app, has_app_context
from huey import Huey
from huey.storage import MemoryStorage, PostgresStorage, RedisStorage, SqliteStorage


_app = None


class AppHuey(Huey):
    """Huey whose storage and immediate mode are those of the app in use (its app context, else
    the app that configured the queue last: the consumer's). One process may hold several apps
    (the tests make one per scenario); each keeps its own queue in ``app.extensions["queue"]``."""

    def _settings(self):
        app = current_app._get_current_object() if has_app_context() else _app
        return app.extensions.get("queue") if app is not None else None

    @property
    def storage(self):
        settings = self._settings()
        return settings.storage if settings else self._fallback_storage

    @storage.setter
    def storage(self, value):
        self._fallback_storage = value

    @property
    def _immediate(self):
        settings = self._settings()
        return settings.immediate if settings else self._fallback_immediate

    @_immediate.setter
    def _immediate(self, value):
        self._fallback_immediate = value


# results=False: no task returns anything anyone waits for, and stored results would only grow.
huey = AppHuey("mdd-awards", results=False, utc=True, storage_class=MemoryStorage)


class QueueConfigError(ValueError):
    """HUEY_URL names a storage this application does not know."""


def storage_for(url: str, instance_path: str) -> tuple[type, dict]:
    """The Huey storage class and its arguments for HUEY_URL (`url`, maybe empty)."""
    # SQLite queue without fsync: a task lost in a crash is found again by the outbox's sweep (the
    # outbox row, in the application's database, is the durable record), and an fsync per enqueue
    # would be paid inside the request that caused the message.
    if not url:
        return SqliteStorage, {"filename": str(Path(instance_path) / "queue.sqlite3"), "fsync": False}
    scheme = urlsplit(url).scheme.lower()
    if scheme in ("redis", "rediss", "unix"):
        return RedisStorage, {"url": url}
    if scheme in ("postgresql", "postgres", "postgresql+psycopg"):
        return PostgresStorage, {"dsn": url.replace("postgresql+psycopg://", "postgresql://", 1)}
    if scheme == "sqlite":
        return SqliteStorage, {"filename": url.removeprefix("sqlite:///"), "fsync": False}
    raise QueueConfigError(f"HUEY_URL: unknown queue storage {scheme!r} (use redis://, postgresql:// or sqlite:///)")


def describe_storage() -> str:
    """What the queue is stored in, for `flask check` and the logs (without any password)."""
    storage = huey.storage
    if isinstance(storage, SqliteStorage):
        return f"SQLite {storage.filename}"
    if isinstance(storage, RedisStorage):
        kwargs = storage.conn.connection_pool.connection_kwargs
        return f"Redis {kwargs.get('host', kwargs.get('path', ''))}:{kwargs.get('port', '')}/{kwargs.get('db', 0)}"
    if isinstance(storage, PostgresStorage):
        parts = urlsplit(storage.dsn or "")
        return f"PostgreSQL {parts.hostname or ''}:{parts.port or 5432}{parts.path}"
    return type(storage).__name__


class AppQueue:
    """One app's queue: its storage, opened on first use (a `flask db upgrade` never opens it)."""

    def __init__(self, storage_class: type, kwargs: dict, immediate: bool):
        self.storage_class, self.kwargs, self.immediate = storage_class, kwargs, immediate
        self._storage = None

    @property
    def storage(self):
        if self._storage is None:
            self._storage = self.storage_class(huey.name, **self.kwargs)
        return self._storage

    def close(self) -> None:
        if self._storage is not None:
            self._storage.close()


def init_app(app) -> None:
    """Give this app its queue: the storage of its settings (HUEY_URL), or with HUEY_IMMEDIATE
    (the tests) tasks run at once in the caller."""
    global _app
    _app = app
    immediate = bool(app.config["HUEY_IMMEDIATE"])
    if immediate:
        app.extensions["queue"] = AppQueue(MemoryStorage, {}, True)
    else:
        app.extensions["queue"] = AppQueue(*storage_for(app.config["HUEY_URL"], app.instance_path), False)


def in_app_context(function):
    """Run a task's function inside an app context (Huey calls it bare in the consumer)."""

    @functools.wraps(function)
    def run(*args, **kwargs):
        if has_app_context():
            return function(*args, **kwargs)
        with _app.app_context():
            return function(*args, **kwargs)

    return run
