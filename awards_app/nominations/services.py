"""Nomination operations. They check the rules of the domain, change state and write the audit
log; the caller commits. Views check who may act (permissions.py) before calling them; the
services check *when* and *in what state* an action is allowed, whoever calls them.

Values arrive as plain data (``NominationEditForm.values()``)::

    {"language": Language, "title": str, "title_other": str, "theme": Theme | None,
     "biodiversity": bool, "summary": str, "description": str, "start_date": date | None,
     "end_date": date | None, "participants": int | None, "volunteer_hours": Decimal | None,
     "partners": str, "outcomes": str, "statements": {criterion_id: str}}
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from awards_app.core import events
from awards_app.core.enums import NominationStatus
from awards_app.core.exceptions import DomainError
from awards_app.core.models import utcnow
from awards_app.core.transactions import after_rollback
from awards_app.cycles.fiscal import in_fiscal_year, lazy_fiscal_year_label
from awards_app.extensions import db
from awards_app.nominations import storage
from awards_app.nominations.models import Attachment, Nomination, NominationStatement
from awards_app.nominations.permissions import closed_reason, correction_closed_reason

# Every field a site fills in, in the order of the form.
CONTENT_FIELDS = (
    "language", "title", "title_other", "theme", "biodiversity", "summary", "description",
    "start_date", "end_date", "participants", "volunteer_hours", "partners", "outcomes",
)
TEXT_FIELDS = ("title", "title_other", "summary", "description", "partners", "outcomes")
# What a submission needs besides one statement per criterion. A draft may lack any of them.
REQUIRED_FIELDS = (
    "title", "theme", "summary", "description", "start_date", "end_date", "participants",
    "volunteer_hours", "outcomes",
)


# What a nomination made from an activity reads from it (one source of truth: the activity).
ACTIVITY_FIELDS = ("start_date", "end_date", "participants", "volunteer_hours")


def with_activity_values(values: dict, activity) -> dict:
    """`values` with the activity's dates, participants and hours in place of any typed ones."""
    if activity is None:
        return values
    return {**values, **{name: getattr(activity, name) for name in ACTIVITY_FIELDS}}


def prefill_from_activity(activity) -> dict:
    """What a new nomination of `activity` starts with ("Nominate this activity")."""
    return {"title": activity.title, "title_other": activity.title_other, "theme": activity.theme,
            "biodiversity": activity.biodiversity, "partners": activity.partners,
            "description": activity.description, **{name: getattr(activity, name) for name in ACTIVITY_FIELDS}}


class NominationError(DomainError):
    """A rule refused the operation; the message is shown to the user (beside `field` if given)."""


class NominationClosed(NominationError):
    """The cycle (phase, deadline) or the nomination's status does not accept this change now."""


class NominationConflict(NominationError):
    """The nomination changed since the user loaded it (optimistic locking)."""


class NominationIncomplete(NominationError):
    """A submission lacks required fields."""

    def __init__(self, fields: list[str]):
        super().__init__(_l("Some information required to submit is missing."))
        self.fields = fields


def statement_key(criterion_id: int) -> str:
    """The name of a criterion's statement in forms and in `missing_fields`."""
    return f"statement_{criterion_id}"


def missing_fields(values: dict, criterion_ids) -> list[str]:
    """Names of the required fields that are empty (statements as ``statement_<id>``)."""
    missing = [name for name in REQUIRED_FIELDS if values.get(name) is None or values.get(name) == ""]
    statements = values.get("statements") or {}
    missing += [statement_key(cid) for cid in criterion_ids if not (statements.get(cid) or "").strip()]
    return missing


def nomination_values(nomination: Nomination) -> dict:
    """The stored values of a nomination, in the shape the services take."""
    values = {name: getattr(nomination, name) for name in CONTENT_FIELDS}
    values["statements"] = {s.criterion_id: s.text for s in nomination.statements}
    return values


def check_values(values: dict, cycle) -> None:
    """The rules the server holds whatever the caller (forms check the same, field by field)."""
    for name in ("start_date", "end_date"):
        day = values.get(name)
        if day is not None and not in_fiscal_year(day, cycle.fiscal_year):
            raise NominationError(_l("The date must lie in %(fy)s.", fy=lazy_fiscal_year_label(cycle.fiscal_year)), name)
    if values.get("start_date") and values.get("end_date") and values["start_date"] > values["end_date"]:
        raise NominationError(_l("The end date cannot be before the start date."), "end_date")
    if values.get("participants") is not None and values["participants"] < 0:
        raise NominationError(_l("The number cannot be negative."), "participants")
    hours = values.get("volunteer_hours")
    if hours is not None:
        hours = Decimal(hours)
        if not hours.is_finite() or hours < 0 or hours != hours.quantize(Decimal("0.1")):
            raise NominationError(_l("Use a non-negative number with at most one decimal place."), "volunteer_hours")


def _ensure_open(cycle, now: datetime, nomination: Nomination | None = None) -> None:
    """Refuse, with the reason the pages show, when the cycle (or the nomination's status) does
    not accept the change now."""
    reason = closed_reason(cycle, nomination, now=now)
    if reason is not None:
        raise NominationClosed(reason)


def _ensure_content_editable(actor, nomination: Nomination, now: datetime) -> None:
    """Content may change while the nomination is a draft or submitted and the window is open;
    admins may correct content until the cycle is finalised (see permissions.py)."""
    if getattr(actor, "is_admin", False):
        reason = correction_closed_reason(nomination)
        if reason is not None:
            raise NominationClosed(reason)
        return
    _ensure_open(nomination.cycle, now, nomination)


def _apply(nomination: Nomination, values: dict) -> list[str]:
    """Copy `values` onto the nomination and its statements; return the names that changed."""
    changed = []
    for name in CONTENT_FIELDS:
        if name not in values:
            continue
        value = "" if values[name] is None and name in TEXT_FIELDS else values[name]
        if getattr(nomination, name) != value:
            setattr(nomination, name, value)
            changed.append(name)
    existing = {statement.criterion_id: statement for statement in nomination.statements}
    for criterion in nomination.cycle.criteria:
        text = (values.get("statements") or {}).get(criterion.id)
        if text is None:
            continue
        statement = existing.get(criterion.id)
        if statement is None:
            nomination.statements.append(NominationStatement(criterion=criterion, criterion_id=criterion.id, text=text))
            if text:
                changed.append(statement_key(criterion.id))
        elif statement.text != text:
            statement.text = text
            changed.append(statement_key(criterion.id))
    return changed


def _check_complete(nomination: Nomination, values: dict | None = None) -> None:
    """Refuse a submission that lacks required fields: the nomination's values with `values`
    (changes about to be applied) laid over them."""
    merged = nomination_values(nomination)
    if values:
        merged.update({name: value for name, value in values.items() if name != "statements"})
        merged["statements"] = {**merged["statements"], **(values.get("statements") or {})}
    missing = missing_fields(merged, [c.id for c in nomination.cycle.criteria])
    if missing:
        raise NominationIncomplete(missing)


def _mark_submitted(actor, nomination: Nomination, now: datetime) -> None:
    nomination.status = NominationStatus.SUBMITTED
    nomination.submitted_at = now
    nomination.status_reason = ""
    events.announce(events.nomination_submitted, actor, nomination, cycle=nomination.cycle.label)


def create_nomination(actor, cycle, site, values: dict, *, submit: bool = False, now: datetime | None = None,
                      activity=None) -> Nomination:
    """Start a nomination of `site` in `cycle` as a draft (submitted at once if `submit`); of
    `activity` when given (its dates, participants and hours are the nomination's).

    Refused when the cycle does not accept nominations or the site may not nominate.
    """
    now = now or utcnow()
    _ensure_open(cycle, now)
    if not site.active:
        raise NominationError(_l("This site is inactive and cannot nominate."), "site_id")
    if activity is not None:
        if activity.site_id != site.id or activity.fiscal_year != cycle.fiscal_year:
            raise NominationError(_l("This activity is not one of %(site)s in %(fy)s.", site=site.code,
                                     fy=lazy_fiscal_year_label(cycle.fiscal_year)), "site_id")
        if db.session.scalar(select(Nomination.id).where(Nomination.activity_id == activity.id)) is not None:
            raise NominationError(_l("This activity has already been nominated."))
        values = with_activity_values(values, activity)
    check_values(values, cycle)
    nomination = Nomination(
        cycle=cycle, site=site, status=NominationStatus.DRAFT, created_by_id=getattr(actor, "id", None),
        created_at=now, updated_at=now, activity=activity,
    )
    nomination.statements = []
    _apply(nomination, values)
    if submit:
        _check_complete(nomination)
    db.session.add(nomination)
    db.session.flush()
    events.announce(events.nomination_created, actor, nomination, cycle=cycle.label, site=site.code)
    if submit:
        _mark_submitted(actor, nomination, now)
    return nomination


def update_nomination(
    actor, nomination: Nomination, values: dict, *, expected_version: int | None, submit: bool = False,
    now: datetime | None = None,
) -> list[str]:
    """Save changes to a nomination; return the names of the fields that changed.

    A submitted nomination stays submitted and is validated as a submission; a draft is
    submitted when `submit` is true. Refused when `expected_version` (the version the user
    started from) is not the current one: someone else saved in the meantime.
    """
    now = now or utcnow()
    _ensure_content_editable(actor, nomination, now)
    if submit and nomination.status == NominationStatus.DRAFT:
        _ensure_open(nomination.cycle, now)
    if expected_version != nomination.version:
        raise NominationConflict(_l("Someone else saved this nomination after you opened it."))
    values = with_activity_values(values, nomination.activity)
    check_values(values, nomination.cycle)
    submitting = submit and nomination.status == NominationStatus.DRAFT
    if submitting or nomination.status == NominationStatus.SUBMITTED:
        _check_complete(nomination, values)  # before changing anything: a refusal leaves no trace
    changed = _apply(nomination, values)
    if changed:
        # Touch the row even when only statements changed, so that its version moves on.
        nomination.updated_at = now
        events.announce(events.nomination_updated, actor, nomination, fields=changed)
    if submitting:
        _mark_submitted(actor, nomination, now)
    return changed


def submit_nomination(actor, nomination: Nomination, *, expected_version: int | None, now: datetime | None = None) -> None:
    """Submit a complete draft as it is."""
    now = now or utcnow()
    if nomination.status != NominationStatus.DRAFT:
        raise NominationError(_l("Only a draft can be submitted."))
    _ensure_open(nomination.cycle, now)
    if expected_version != nomination.version:
        raise NominationConflict(_l("Someone else saved this nomination after you opened it."))
    _check_complete(nomination)
    _mark_submitted(actor, nomination, now)


def withdraw_nomination(actor, nomination: Nomination, reason: str = "", *, now: datetime | None = None) -> None:
    """Withdraw a draft or submitted nomination, keeping an optional reason."""
    now = now or utcnow()
    _ensure_open(nomination.cycle, now, nomination)
    previous = nomination.status
    nomination.status = NominationStatus.WITHDRAWN
    nomination.withdrawn_at = now
    nomination.status_reason = reason or ""
    events.announce(events.nomination_withdrawn, actor, nomination, previous_status=previous.value, reason=reason or "")


def add_attachment(
    actor, nomination: Nomination, checked: storage.CheckedFile, filename: str | None, *,
    folder: str | Path, max_attachments: int, now: datetime | None = None,
) -> Attachment:
    """Attach a checked file, and store it (and its thumbnail) under a random name.

    The limit holds when uploads arrive at once: the attachments are counted under a row lock of
    the nomination, so a second upload waits for the first to commit and then counts it. The
    file is written only once the database has accepted its row, and removed if the transaction
    rolls back (``after_rollback``): no file is left on disk that no row refers to.
    """
    now = now or utcnow()
    _ensure_content_editable(actor, nomination, now)
    db.session.execute(select(Nomination.id).where(Nomination.id == nomination.id).with_for_update())
    count = db.session.scalar(select(func.count(Attachment.id)).where(Attachment.nomination_id == nomination.id))
    if count >= max_attachments:
        raise NominationError(
            _l("A nomination can have at most %(num)d files. Delete one to add another.", num=max_attachments),
            "file",
        )
    attachment = Attachment(
        stored_name=storage.new_stored_name(),
        original_name=storage.clean_original_name(filename, checked),
        content_type=checked.content_type,
        size_bytes=len(checked.data),
        width=checked.width,
        height=checked.height,
        uploaded_by_id=getattr(actor, "id", None),
        created_at=now,
    )
    nomination.attachments.append(attachment)
    db.session.flush()
    stored_name = attachment.stored_name
    after_rollback(lambda: storage.remove_files(folder, [stored_name]))
    storage.save_file(folder, checked, stored_name)
    events.announce(
        events.attachment_added, actor, attachment, nomination_id=nomination.id, name=attachment.original_name,
        content_type=attachment.content_type, size_bytes=attachment.size_bytes,
    )
    return attachment


def delete_attachment(actor, attachment: Attachment, *, now: datetime | None = None) -> str:
    """Remove an attachment; return its stored name so that the caller deletes the files after
    the commit (a rolled-back delete must not lose the file)."""
    now = now or utcnow()
    nomination = attachment.nomination
    _ensure_content_editable(actor, nomination, now)
    events.announce(events.attachment_deleted, actor, attachment, nomination_id=nomination.id, name=attachment.original_name,
    )
    nomination.attachments.remove(attachment)
    db.session.flush()
    return attachment.stored_name


def follow_activity(actor, *, object_type: str, object_id: int | None, **details) -> None:
    """An activity changed: the nomination made from it takes its dates, participants and hours
    (a receiver of events.activity_updated, in the same transaction)."""
    nomination = db.session.scalar(select(Nomination).where(Nomination.activity_id == object_id))
    if nomination is None:
        return
    changed = [name for name in ACTIVITY_FIELDS if getattr(nomination, name) != getattr(nomination.activity, name)]
    for name in changed:
        setattr(nomination, name, getattr(nomination.activity, name))
    if changed:
        events.announce(events.nomination_updated, actor, nomination, fields=changed, from_activity=object_id)


def subscribe() -> None:
    """Nominations follow the activities they were made from (called by create_app)."""
    events.activity_updated.connect(follow_activity, weak=False)
