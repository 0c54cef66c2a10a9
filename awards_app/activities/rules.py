"""When a fiscal year's activities can still change: plain functions on plain values."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from awards_app.cycles.fiscal import fiscal_year_bounds

# Sites report a fiscal year's activities until the end of the April after it closes, in Japan
# (the group's head office), unless an admin sets another deadline for that year.
DEFAULT_DEADLINE_MONTH_DAY = (4, 30)
HEAD_OFFICE_UTC_OFFSET = timedelta(hours=9)


def default_reporting_deadline(fiscal_year: int) -> datetime:
    """The end of 30 April (Japan time) after `fiscal_year` closes, as a UTC instant."""
    last_day = fiscal_year_bounds(fiscal_year)[1]
    month, day = DEFAULT_DEADLINE_MONTH_DAY
    local_midnight = datetime(last_day.year, month, day) + timedelta(days=1)
    return (local_midnight - HEAD_OFFICE_UTC_OFFSET).replace(tzinfo=timezone.utc)


def reporting_open_for_sites(deadline: datetime, locked: bool, now: datetime) -> bool:
    return not locked and now < deadline
