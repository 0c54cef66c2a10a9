"""Recording, changing and importing activities; a fiscal year's reporting settings.

Every change is announced as a domain event (core/events.py), so the audit log records it in the
same transaction. The rules of who may change what, and when, are those of permissions.py: the
services refuse with the same messages the pages show.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from awards_app.activities import permissions, queries
from awards_app.activities.models import (
    HOURS_MAX,
    PARTICIPANTS_MAX,
    Activity,
    ActivityImport,
    ActivitySource,
    ReportingYear,
)
from awards_app.core import events, hooks
from awards_app.core.exceptions import DomainError
from awards_app.core.models import utcnow
from awards_app.cycles.fiscal import in_fiscal_year, lazy_fiscal_year_label, lazy_fiscal_year_period
from awards_app.extensions import db

# What a user (the form or a spreadsheet row) gives of an activity.
FIELDS = ("reference", "title", "title_other", "theme", "biodiversity", "start_date", "end_date", "participants",
          "volunteer_hours", "partners", "description")


class ActivityError(DomainError):
    pass


def _plain(value):
    """A value as the audit log's JSON holds it."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "value"):  # an enum
        return value.value
    return value


def decimal_places(value: Decimal) -> int:
    """The decimal places a finite `value` needs (12.50 needs one), read from its digits:
    quantize() raises InvalidOperation on a number longer than the context's 28 digits."""
    _sign, digits, exponent = value.as_tuple()
    significant = "".join(map(str, digits)).rstrip("0")
    if not significant:
        return 0
    return max(0, -exponent - (len(digits) - len(significant)))


def normalise(data: dict) -> dict:
    """The fields of an activity from `data`, with an empty reference as none."""
    values = {name: data.get(name) for name in FIELDS}
    values["reference"] = (values["reference"] or "").strip() or None
    for name in ("title", "title_other", "partners", "description"):
        values[name] = (values[name] or "").strip()
    values["biodiversity"] = bool(values["biodiversity"])
    hours = values["volunteer_hours"]
    if hours is not None and hours.is_finite() and decimal_places(hours) <= 1 and abs(hours) <= HOURS_MAX:
        values["volunteer_hours"] = hours.quantize(Decimal("0.1"))
    return values


def activity_problems(values: dict, fiscal_year: int) -> list[tuple[str, object]]:
    """What is wrong with the (typed) `values` of an activity of `fiscal_year`: (field, message)
    pairs, empty when nothing is. The form and the import both ask this."""
    problems: list[tuple[str, object]] = []
    if not values["title"]:
        problems.append(("title", _l("Enter the title of the activity.")))
    if values["theme"] is None:
        problems.append(("theme", _l("Choose the MDD theme.")))
    start, end = values["start_date"], values["end_date"]
    for name, day in (("start_date", start), ("end_date", end)):
        if day is None:
            problems.append((name, _l("Enter a date.")))
        elif not in_fiscal_year(day, fiscal_year):
            problems.append((name, _l("The date must lie in %(fy)s: %(period)s.",
                                      fy=lazy_fiscal_year_label(fiscal_year),
                                      period=lazy_fiscal_year_period(fiscal_year))))
    if start is not None and end is not None and start > end:
        problems.append(("end_date", _l("The end date cannot be before the start date.")))
    participants = values["participants"]
    if participants is None:
        problems.append(("participants", _l("Enter the number of participants.")))
    elif not 0 <= participants <= PARTICIPANTS_MAX:
        problems.append(("participants", _l("Enter a whole number from 0 to %(max)s.", max=f"{PARTICIPANTS_MAX:,}")))
    hours = values["volunteer_hours"]
    if hours is None:
        problems.append(("volunteer_hours", _l("Enter the volunteer hours.")))
    elif not hours.is_finite() or not Decimal(0) <= hours <= HOURS_MAX:
        problems.append(("volunteer_hours", _l("Enter a number of hours from 0 to %(max)s.", max=f"{HOURS_MAX:,}")))
    return problems


def _refuse_problems(values: dict, fiscal_year: int) -> None:
    problems = activity_problems(values, fiscal_year)
    if problems:
        _field, message = problems[0]
        raise ActivityError(message, fields=tuple(dict.fromkeys(name for name, _m in problems)))


def _check_allowed(actor, site_id: int, year, now) -> None:
    if not permissions.can_view_site(actor, site_id):
        raise ActivityError(_l("You cannot record activities for this site."))
    reason = permissions.closed_reason(actor, year, now=now)
    if reason is not None:
        raise ActivityError(reason)


def _check_reference_free(site_id: int, fiscal_year: int, reference: str | None, activity_id: int | None) -> None:
    if reference is None:
        return
    other = db.session.scalar(select(Activity.id).where(
        Activity.site_id == site_id, Activity.fiscal_year == fiscal_year, Activity.reference == reference))
    if other is not None and other != activity_id:
        raise ActivityError(_l("Another activity of this site in %(fy)s already has this reference.",
                               fy=lazy_fiscal_year_label(fiscal_year)), field="reference")


def _add(actor, site_id: int, fiscal_year: int, values: dict, *, site_code: str) -> Activity:
    activity = Activity(site_id=site_id, fiscal_year=fiscal_year, created_by_id=getattr(actor, "id", None),
                        source=ActivitySource.FORM, **values)
    db.session.add(activity)
    db.session.flush()
    events.announce(events.activity_created, actor, activity, site=site_code, fiscal_year=fiscal_year,
                    reference=activity.reference, source=activity.source.value, import_id=None)
    return activity


def _changes(activity: Activity, values: dict) -> dict:
    return {name: [_plain(getattr(activity, name)), _plain(value)]
            for name, value in values.items() if getattr(activity, name) != value}


def _apply(actor, activity: Activity, values: dict, *, batch: ActivityImport | None) -> bool:
    changes = _changes(activity, values)
    if not changes:
        return False
    for name, value in values.items():
        setattr(activity, name, value)
    if batch is not None:
        activity.source, activity.import_id = ActivitySource.IMPORT, batch.id
    events.announce(events.activity_updated, actor, activity, changes=changes,
                    import_id=batch.id if batch else None)
    return True


def create_activity(actor, site, fiscal_year: int, data: dict, *, now: datetime | None = None) -> Activity:
    """Record an activity of `site` in `fiscal_year`, typed in by `actor`."""
    _check_allowed(actor, site.id, queries.reporting_year(fiscal_year), now)
    values = normalise(data)
    _refuse_problems(values, fiscal_year)
    _check_reference_free(site.id, fiscal_year, values["reference"], None)
    return _add(actor, site.id, fiscal_year, values, site_code=site.code)


def update_activity(actor, activity: Activity, data: dict, *, now: datetime | None = None) -> None:
    """Change an activity's fields (its site and fiscal year stay)."""
    _check_allowed(actor, activity.site_id, queries.reporting_year(activity.fiscal_year), now)
    values = normalise(data)
    _refuse_problems(values, activity.fiscal_year)
    _check_reference_free(activity.site_id, activity.fiscal_year, values["reference"], activity.id)
    _apply(actor, activity, values, batch=None)


def delete_activity(actor, activity: Activity, *, now: datetime | None = None) -> None:
    _check_allowed(actor, activity.site_id, queries.reporting_year(activity.fiscal_year), now)
    if hooks.activity_nomination(activity.id) is not None:
        raise ActivityError(_l("This activity has been nominated; it cannot be deleted."))
    events.announce(events.activity_deleted, actor, activity, site=activity.site.code,
                    fiscal_year=activity.fiscal_year, reference=activity.reference, title=activity.title)
    db.session.delete(activity)
    db.session.flush()


def update_reporting_year(actor, fiscal_year: int, data: dict, *, now: datetime | None = None) -> ReportingYear:
    """Set `fiscal_year`'s reporting deadline and lock (admins)."""
    if not permissions.can_manage_reporting(actor):
        raise ActivityError(_l("Only administrators set the reporting deadline."))
    year = queries.reporting_year(fiscal_year)
    before = {"reporting_deadline": _plain(year.reporting_deadline), "locked": year.locked}
    if year.id is None:
        db.session.add(year)
    year.reporting_deadline = data["reporting_deadline"]
    if data["locked"] and not year.locked:
        year.locked_at = now or utcnow()
    year.locked = bool(data["locked"])
    db.session.flush()
    after = {"reporting_deadline": _plain(year.reporting_deadline), "locked": year.locked}
    changes = {name: [before[name], after[name]] for name in before if before[name] != after[name]}
    if changes:
        events.announce(events.reporting_year_updated, actor, year, fiscal_year=fiscal_year, changes=changes)
    return year


# --- imports -------------------------------------------------------------------------------------


@dataclass
class PlannedRow:
    """One valid row of a spreadsheet: where it goes and what it holds."""

    row: int
    site_id: int
    site_code: str
    fiscal_year: int
    values: dict


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    import_id: int | None = None


def classify(rows: list[PlannedRow]) -> ImportResult:
    """How many of `rows` would be new, changed and unchanged (the preview), without writing."""
    existing = queries.existing_by_key({r.site_id for r in rows}, {r.fiscal_year for r in rows})
    result = ImportResult()
    for row in rows:
        activity = existing.get((row.site_id, row.fiscal_year, row.values["reference"]))
        if activity is None:
            result.created += 1
        elif _changes(activity, row.values):
            result.updated += 1
        else:
            result.unchanged += 1
    return result


def import_activities(actor, rows: list[PlannedRow], *, filename: str, site=None,
                      now: datetime | None = None) -> ImportResult:
    """Write the valid `rows` of a spreadsheet: new references are added, known ones (same site,
    fiscal year and reference) updated, identical ones left alone — so importing the same file
    again changes nothing. All or nothing: the caller's transaction holds every row.

    `site`: the site of a site's own upload; every row must be that site's. The rows were checked
    by the reader (activities/importing.py); the rules are checked again here."""
    for site_id, fiscal_year in {(r.site_id, r.fiscal_year) for r in rows}:
        if site is not None and site_id != site.id:
            raise ActivityError(_l("A site can only import its own activities."))
        _check_allowed(actor, site_id, queries.reporting_year(fiscal_year), now)
    for row in rows:
        if row.values["reference"] is None or activity_problems(row.values, row.fiscal_year):
            raise ActivityError(_l("Row %(row)s is not valid.", row=row.row))
    existing = queries.existing_by_key({r.site_id for r in rows}, {r.fiscal_year for r in rows})
    batch = ActivityImport(created_by_id=getattr(actor, "id", None), site_id=site.id if site else None,
                           filename=filename[:255])
    db.session.add(batch)
    db.session.flush()
    result = ImportResult(import_id=batch.id)
    added: list[tuple[PlannedRow, Activity]] = []
    for row in rows:
        activity = existing.get((row.site_id, row.fiscal_year, row.values["reference"]))
        if activity is None:
            activity = Activity(site_id=row.site_id, fiscal_year=row.fiscal_year, source=ActivitySource.IMPORT,
                                import_id=batch.id, created_by_id=getattr(actor, "id", None), **row.values)
            added.append((row, activity))
            result.created += 1
        elif _apply(actor, activity, row.values, batch=batch):
            result.updated += 1
        else:
            result.unchanged += 1
    # One flush for every new row (not one per row): a 20,000-row file stays a few seconds.
    db.session.add_all([activity for _row, activity in added])
    db.session.flush()
    for row, activity in added:
        events.announce(events.activity_created, actor, activity, site=row.site_code, fiscal_year=row.fiscal_year,
                        reference=activity.reference, source=ActivitySource.IMPORT.value, import_id=batch.id)
    batch.created_count, batch.updated_count, batch.unchanged_count = result.created, result.updated, result.unchanged
    db.session.flush()
    events.announce(events.activities_imported, actor, batch, filename=batch.filename,
                    site=site.code if site else None, created=result.created, updated=result.updated,
                    unchanged=result.unchanged)
    return result
