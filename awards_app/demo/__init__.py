"""The demo data that `flask seed-demo` loads: `data.py` holds what the demo says (sites, people,
nominations, the published figures of past years), `build.py` turns it into the demo by calling
the same services as the pages do."""
from awards_app.demo.build import allocate, seed_demo
from awards_app.demo.data import DEMO_PASSWORD

__all__ = ["DEMO_PASSWORD", "allocate", "seed_demo"]
