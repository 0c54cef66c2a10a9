"""Real servers for the tests that need them: Redis (Debian's redis-server) and the app under
gunicorn, each on a free loopback port, stopped when the `with` block ends."""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait(ready, server: subprocess.Popen, log: Path, what: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"{what} stopped at startup:\n{log.read_text()}")
        try:
            if ready():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not answer within 30 s:\n{log.read_text()}")


@contextlib.contextmanager
def redis_server(folder: Path):
    """A throw-away Redis (no persistence) → its redis:// URL. Debian's redis-server is one of the
    packages `make test` installs (.ci/apt-packages.txt)."""
    executable = shutil.which("redis-server")
    assert executable, "redis-server is missing: run `make test` as root, or apt-get install redis-server"
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = folder / "redis.log"
    server = subprocess.Popen(
        [executable, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(folder), "--logfile", str(log)],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )

    def ready() -> bool:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")

    try:
        log.touch()
        _wait(ready, server, log, "redis-server")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=30)


@contextlib.contextmanager
def gunicorn(env: dict, log: Path):
    """The app as in production (`gunicorn -c gunicorn.conf.py`) with `env` (which sets PORT,
    DATABASE_URL …) → its base URL. Fails the test if the server logged a traceback."""
    port = env["PORT"]
    with log.open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "awards_app:create_app()"],
            env={**os.environ, "FLASK_APP": "awards_app", **env}, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"

    def ready() -> bool:
        with urllib.request.urlopen(f"{base_url}/healthz", timeout=2) as response:
            return response.status == 200

    try:
        _wait(ready, server, log, "gunicorn")
        yield base_url
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert "Traceback" not in log.read_text(), f"the server logged an error:\n{log.read_text()}"


@contextlib.contextmanager
def flask_workers(envs: list[dict], folder: Path):
    """A `flask worker` (the job queue's consumer, two threads) per env, as on that many machines;
    stopped with SIGINT, as Ctrl-C, at the end."""
    processes = []
    for number, env in enumerate(envs):
        log = open(folder / f"worker-{number}.log", "wb")
        processes.append((subprocess.Popen(
            [sys.executable, "-m", "flask", "worker", "--workers", "2"], cwd=ROOT, stdout=log,
            stderr=subprocess.STDOUT, env={**os.environ, "FLASK_APP": "awards_app", **env},
        ), log))
    try:
        yield
    finally:
        for process, _log in processes:
            process.send_signal(signal.SIGINT)
        for process, log in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()


def flask(env: dict, *args: str) -> None:
    """Run a `flask` command (db upgrade, seed-demo …) with `env`, as `make run` does."""
    done = subprocess.run([sys.executable, "-m", "flask", *args], env={**os.environ, "FLASK_APP": "awards_app", **env},
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, f"flask {' '.join(args)} failed:\n{done.stdout}{done.stderr}"
