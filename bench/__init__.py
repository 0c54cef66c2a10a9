"""Benchmarks and data generators (not part of the application).

* `bench.generate` fills an empty database with a judging cycle of realistic size.
* `bench.judging` measures the judge queue, the scoring screen and the ranking page against a
  trivial route of the same app: `.venv/bin/python -m bench.judging`.
"""
