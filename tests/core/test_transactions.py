"""The one transaction path of the views: perform() commits, or rolls back and says why."""
from __future__ import annotations

import pytest
from flask import get_flashed_messages
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError
from wtforms import StringField

from awards_app.core.exceptions import DomainError
from awards_app.core.transactions import Conflict, after_commit, after_rollback, perform
from awards_app.extensions import db
from awards_app.sites.models import Site


class NameForm(FlaskForm):
    name = StringField()


def _add_site(code: str) -> Site:
    site = Site(code=code, name_en=code, name_ja=code, country="JP")
    db.session.add(site)
    db.session.flush()
    return site


def _stored(code: str) -> bool:
    return db.session.scalar(select(Site).where(Site.code == code)) is not None


@pytest.fixture
def request_context(app):
    with app.test_request_context("/", method="POST"):
        yield


def test_success_commits_runs_after_commit_work_and_flashes(request_context):
    ran = []

    def service():
        site = _add_site("DONE")
        after_commit(lambda: ran.append(_stored("DONE")))
        return site

    done = perform(service, success="Saved.")
    assert done and done.value.code == "DONE" and done.error is None
    assert ran == [True]  # after the commit, and it saw the committed row
    db.session.rollback()  # a new transaction: the row survives because it was committed
    assert _stored("DONE")
    assert get_flashed_messages(with_categories=True) == [("success", "Saved.")]


def test_a_refusal_rolls_back_and_stands_beside_its_field(request_context):
    ran = []
    form = NameForm(meta={"csrf": False})

    def service():
        _add_site("GONE")
        after_commit(lambda: ran.append("mail"))
        raise DomainError("That name is taken.", field="name")

    done = perform(service, form=form, success="Saved.")
    assert not done and done.value is None
    assert str(done.error) == "That name is taken."
    assert form.name.errors == ["That name is taken."]
    assert not _stored("GONE")
    assert ran == []  # the work of a rolled-back change never runs
    assert get_flashed_messages() == []  # beside the field, not at the top as well
    perform(lambda: None)
    assert ran == []  # ...nor with a later commit


def test_a_refusal_without_a_field_on_the_form_is_flashed(request_context):
    class Closed(DomainError):
        category = "info"

    done = perform(lambda: (_ for _ in ()).throw(Closed("Closed for FY2026.", field="other")), form=NameForm(
        meta={"csrf": False}))
    assert isinstance(done.error, Closed)
    assert get_flashed_messages(with_categories=True) == [("info", "Closed for FY2026.")]


def test_show_error_false_leaves_the_answer_to_the_view(request_context):
    done = perform(lambda: (_ for _ in ()).throw(DomainError("No.")), show_error=False)
    assert not done and get_flashed_messages() == []


def test_a_concurrent_change_is_a_conflict(request_context):
    def service():
        _add_site("RACE")
        raise StaleDataError("version mismatch")

    done = perform(service)
    assert isinstance(done.error, Conflict)
    assert str(done.error) == "Someone else changed this in the meantime."
    assert not _stored("RACE")


def test_other_errors_propagate(request_context):
    with pytest.raises(ZeroDivisionError):
        perform(lambda: 1 / 0)


def test_after_rollback_work_runs_on_a_refusal_and_not_on_success(request_context):
    undone = []

    def refused():
        _add_site("UNDO")
        after_rollback(lambda: undone.append("refused"))
        after_commit(lambda: undone.append("committed?"))
        raise DomainError("No.")

    assert not perform(refused, show_error=False)
    assert undone == ["refused"]

    def accepted():
        after_rollback(lambda: undone.append("accepted"))
        return _add_site("KEEP")

    assert perform(accepted)
    db.session.rollback()  # a later rollback does not undo what was committed
    assert undone == ["refused"] and _stored("KEEP")


def test_after_rollback_work_runs_when_an_error_rolls_back_and_not_for_a_savepoint(request_context):
    undone = []
    after_rollback(lambda: undone.append("outer"))
    with db.session.begin_nested():
        _add_site("INNER")
    assert undone == []  # releasing a savepoint is not the end of the transaction
    savepoint = db.session.begin_nested()
    savepoint.rollback()
    assert undone == []  # nor is rolling one back
    db.session.rollback()
    assert undone == ["outer"]
    db.session.rollback()
    assert undone == ["outer"]  # once


def test_after_rollback_work_is_discarded_by_a_direct_commit(request_context):
    undone = []
    after_rollback(lambda: undone.append("gone"))
    _add_site("DIRECT")
    db.session.commit()
    db.session.rollback()
    assert undone == []
