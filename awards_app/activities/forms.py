"""Activity forms: one activity, the import upload and its confirmation, a year's reporting settings."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, DateTimeLocalField, DecimalField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import NumberInput

from awards_app.activities.models import (
    DESCRIPTION_MAX,
    HOURS_MAX,
    PARTICIPANTS_MAX,
    PARTNERS_MAX,
    REFERENCE_MAX,
    TITLE_MAX,
)
from awards_app.activities.services import activity_problems, decimal_places, normalise
from awards_app.core.enums import Theme
from awards_app.core.forms import IntegerField, no_control_characters, strip_filter

# One label per field, shared by the form, the list and the spreadsheet's English headers.
LABELS = {
    "site_code": _l("Site code"),
    "reference": _l("Your reference"),
    "title": _l("Title of the activity"),
    "title_other": _l("Title in the other language"),
    "theme": _l("MDD theme"),
    "biodiversity": _l("Biodiversity preservation"),
    "start_date": _l("Start date"),
    "end_date": _l("End date"),
    "participants": _l("Number of participants"),
    "volunteer_hours": _l("Volunteer hours (total)"),
    "partners": _l("Partner organisations (NPOs, local governments, …)"),
    "description": _l("Short description"),
}
DATETIME_LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


def one_decimal_at_most(form, field) -> None:
    value = field.data
    if value is not None and value.is_finite() and decimal_places(value) > 1:
        raise ValidationError(_l("Use at most one decimal place, such as 12.5."))


def theme_choices():
    return [("", _l("Choose a theme"))] + [(theme.value, theme.title) for theme in Theme]


def _theme(value):
    if isinstance(value, Theme):
        return value
    return Theme(value) if value in {t.value for t in Theme} else None


def _text(label, max_length: int, area: bool = False):
    return (TextAreaField if area else StringField)(
        label, validators=[Optional(), Length(max=max_length), no_control_characters], filters=[strip_filter])


class ActivityForm(FlaskForm):
    reference = _text(LABELS["reference"], REFERENCE_MAX)
    title = StringField(LABELS["title"], validators=[InputRequired(message=_l("Enter the title of the activity.")),
                                                     Length(max=TITLE_MAX), no_control_characters],
                        filters=[strip_filter])
    title_other = _text(LABELS["title_other"], TITLE_MAX)
    theme = SelectField(LABELS["theme"], choices=theme_choices, coerce=_theme,
                        validators=[InputRequired(message=_l("Choose the MDD theme."))])
    biodiversity = BooleanField(_l("This activity preserves biodiversity"))
    start_date = DateField(LABELS["start_date"], validators=[InputRequired(message=_l("Enter a date."))])
    end_date = DateField(LABELS["end_date"], validators=[InputRequired(message=_l("Enter a date."))])
    participants = IntegerField(
        LABELS["participants"],
        validators=[InputRequired(message=_l("Enter the number of participants.")),
                    NumberRange(min=0, max=PARTICIPANTS_MAX, message=_l("Enter a whole number from 0 to %(max)s."))],
        invalid_value_message=_l("Enter a whole number, such as 25."),
        widget=NumberInput(min=0, step=1),
    )
    volunteer_hours = DecimalField(
        LABELS["volunteer_hours"], places=None,
        validators=[InputRequired(message=_l("Enter the volunteer hours.")),
                    NumberRange(min=0, max=HOURS_MAX, message=_l("Enter a number of hours from 0 to %(max)s.")),
                    one_decimal_at_most],
        invalid_value_message=_l("Enter a number, such as 12.5."),
        widget=NumberInput(min=0, step="0.1"),
    )
    partners = _text(LABELS["partners"], PARTNERS_MAX, area=True)
    description = _text(LABELS["description"], DESCRIPTION_MAX, area=True)

    def __init__(self, *args, fiscal_year: int, **kwargs):
        self.fiscal_year = fiscal_year
        super().__init__(*args, **kwargs)

    def validate(self, extra_validators=None) -> bool:
        """The fields' own checks, then the activity's rules (dates in the fiscal year, …)
        beside each field that has no message yet."""
        valid = super().validate(extra_validators)
        for name, message in activity_problems(normalise(self.data), self.fiscal_year):
            if not self[name].errors:
                self[name].errors = list(self[name].errors) + [message]
                valid = False
        return valid

    def values(self) -> dict:
        return {name: self[name].data for name in LABELS if name != "site_code"}


class ActivityDeleteForm(FlaskForm):
    pass


class ActivityImportForm(FlaskForm):
    file = FileField(_l("Spreadsheet (XLSX or CSV)"), validators=[FileRequired(message=_l("Choose a file."))])


class ImportConfirmForm(FlaskForm):
    pass


class ReportingYearForm(FlaskForm):
    reporting_deadline = DateTimeLocalField(_l("Reporting deadline for sites"), format=DATETIME_LOCAL_FORMATS,
                                            validators=[InputRequired(message=_l("Enter a date and time."))],
                                            invalid_value_message=_l("Enter a date and time."))
    locked = BooleanField(_l("Locked: nobody may change this year's activities"))
