"""One transaction path for every view: run a service, commit once, or roll back and say why.

The model is Indico's request handler (`RH.process`): the handler calls the business operation,
and the framework — not the handler — commits when it succeeded and rolls back when it failed.
Views never call ``commit()`` or ``rollback()``; they call ``perform`` and look at its outcome:

    done = perform(lambda: services.update_site(current_user, site, form.data), form=form,
                   success=_("The site has been saved."))
    if done:
        return redirect(...)
    return render_template(...)   # the refusal is beside its field, what was typed is kept

Work that must only happen once the change is stored for good (sending mail, deleting a file that
the change no longer refers to) is registered with ``after_commit``; a rollback discards it. Undoing
what cannot be rolled back with the database (removing a file written for a row that is not kept)
is registered with ``after_rollback``; a commit discards it. Code outside a request (the operator
commands) commits with ``commit()`` to the same effect.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import flash
from flask_babel import lazy_gettext as _l
from sqlalchemy import event
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from awards_app.core.exceptions import DomainError
from awards_app.extensions import db

_AFTER_COMMIT = "after_commit"
_AFTER_ROLLBACK = "after_rollback"


@dataclass(frozen=True)
class Outcome:
    """What ``perform`` did: the service's return value, or the refusal that rolled it back."""

    value: Any = None
    error: DomainError | None = None

    def __bool__(self) -> bool:
        return self.error is None


class Conflict(DomainError):
    """The rows changed under this request (a version check failed at commit)."""


def perform(action: Callable[[], Any], *, form=None, success: str | None = None, show_error: bool = True) -> Outcome:
    """Run `action` (one service call) as the request's transaction.

    Success: commit, run the after-commit work, flash `success` if given, return its value.
    A ``DomainError`` (or a concurrent change caught at commit, as ``Conflict``): roll back, and
    unless `show_error` is false put the message beside the error's fields of `form` — or flash
    it when the form has none of them — and return the error for the view to answer with.
    Anything else is a bug: it propagates to the error handlers, which roll back.
    """
    try:
        value = action()
        commit()
    except DomainError as error:
        db.session.rollback()
        refusal = error
    except StaleDataError as error:
        db.session.rollback()
        refusal = Conflict(_l("Someone else changed this in the meantime."))
        refusal.__cause__ = error
    else:
        if success:
            flash(str(success), "success")
        return Outcome(value=value)
    if show_error:
        show_refusal(refusal, form)
    return Outcome(error=refusal)


def show_refusal(error: DomainError, form=None) -> None:
    """A refusal beside the fields it concerns, or at the top of the page when the form has none."""
    fields = [name for name in error.fields if form is not None and name in form]
    for name in fields:
        form[name].errors = list(form[name].errors) + [str(error.message)]
    if not fields:
        flash(str(error.message), getattr(error, "category", "danger"))


def after_commit(work: Callable[[], None]) -> None:
    """Run `work` once the current transaction has committed; nothing if it is rolled back."""
    db.session.info.setdefault(_AFTER_COMMIT, []).append(work)


def after_rollback(work: Callable[[], None]) -> None:
    """Run `work` if the current transaction is rolled back; nothing once it has committed.

    It runs inside the rollback, so it must not use the database (removing a file is its use)."""
    db.session.info.setdefault(_AFTER_ROLLBACK, []).append(work)


def commit() -> None:
    """Commit, then run the work waiting for it (in a new transaction, so it may read and write).
    ``perform`` calls this; so do the operator commands, which run outside a request."""
    db.session.commit()
    for work in db.session.info.pop(_AFTER_COMMIT, []):
        work()


@event.listens_for(Session, "after_soft_rollback")
def _forget_after_commit(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:  # the whole transaction, not a savepoint
        session.info.pop(_AFTER_COMMIT, None)
        for work in session.info.pop(_AFTER_ROLLBACK, []):
            work()


@event.listens_for(Session, "after_commit")
def _forget_after_rollback(session: Session) -> None:
    # Also when the session is committed directly (tests, scripts): a later rollback of another
    # transaction must not undo what this one stored.
    if session.get_nested_transaction() is None:  # the whole transaction, not a savepoint
        session.info.pop(_AFTER_ROLLBACK, None)
