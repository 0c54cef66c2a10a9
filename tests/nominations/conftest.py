"""Fixtures for the nomination tests: two sites and one user per role, an open cycle."""
from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest

from awards_app.core.models import utcnow
from awards_app.extensions import db


@pytest.fixture
def world(make_site, make_user, make_cycle, upload_folder):
    """site A (Japan) and site B (overseas), a submitter of each, a judge, an admin, an open cycle."""
    site_a = make_site("SITE-A", country="JP", name_en="Tokyo Works", name_ja="東京事業所")
    site_b = make_site("SITE-B", country="DE", name_en="Berlin Office", name_ja="ベルリン事業所")
    cycle = make_cycle()
    people = SimpleNamespace(
        site_a=site_a,
        site_b=site_b,
        cycle=cycle,
        submitter_a=make_user("submitter", sites=[site_a], name="Aiko A"),
        submitter_b=make_user("submitter", sites=[site_b], name="Bernd B"),
        judge=make_user("judge", name="Jun Judge"),
        admin=make_user("admin", name="Ada Admin"),
    )
    # Committed like real data (a SAVEPOINT inside the test's transaction): an error handler's
    # rollback during a request must not take the fixtures with it.
    db.session.commit()
    return people


def close_deadline(cycle) -> None:
    """Move the cycle's nomination deadline into the past (phase stays open)."""
    cycle.nomination_deadline = utcnow() - timedelta(minutes=1)
    db.session.flush()


@pytest.fixture
def nomination_a(world, make_nomination):
    """A complete draft of site A in the open cycle."""
    nomination = make_nomination(world.cycle, world.site_a, title="Tokyo bay clean-up")
    db.session.commit()
    return nomination


@pytest.fixture
def attachment_a(world, nomination_a, make_attachment):
    """A PNG attached to nomination_a, stored on disk like an upload."""
    return make_attachment(nomination_a, world.submitter_a, "bay.png")
