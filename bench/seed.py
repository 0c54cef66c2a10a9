"""Benchmark of `flask seed-demo`: the demo built through the services, against a baseline.

Each run uses a fresh SQLite database in a temporary folder and a fresh process per step, as a
newcomer's `make run` does:

* baseline: `flask db upgrade` on the empty database (the same fixed work in every run);
* first: `flask seed-demo` on the migrated, empty database (everything is added);
* again: `flask seed-demo` a second time (nothing is missing: it only looks).

Wall and CPU time (user + system of the child) are reported, and the ratio of each step's wall
time to the baseline of the same run, so that a busy machine weighs on both alike.

    .venv/bin/python -m bench.seed [--runs 3]
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FLASK = str(Path(sys.executable).with_name("flask"))


def _timed(args: list[str], env: dict) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([FLASK, "--app", "awards_app", *args], env=env, check=True, capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def run_once() -> dict[str, tuple[float, float]]:
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "INSTANCE_PATH": folder, "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3"}
        return {
            "baseline": _timed(["db", "upgrade"], env),
            "first": _timed(["seed-demo"], env),
            "again": _timed(["seed-demo"], env),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = [run_once() for _ in range(parser.parse_args().runs)]
    print(f"seed-demo, {len(runs)} runs (median; load average {os.getloadavg()[0]:.1f})")
    print(f"{'step':<10}{'wall s':>9}{'CPU s':>9}{'× baseline':>12}")
    for step in ("baseline", "first", "again"):
        wall = statistics.median(run[step][0] for run in runs)
        cpu = statistics.median(run[step][1] for run in runs)
        ratio = statistics.median(run[step][0] / run["baseline"][0] for run in runs)
        print(f"{step:<10}{wall:>9.2f}{cpu:>9.2f}{ratio:>12.1f}")


if __name__ == "__main__":
    main()
