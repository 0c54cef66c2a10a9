"""Nomination forms.

The nomination form has one statement field per criterion of the cycle, so its class is built
per cycle (``nomination_form_class``). Saving a draft validates only what was typed (types,
lengths, ranges, dates); submitting additionally requires every required field
(``require_complete``), with the message beside each missing field.
"""
from __future__ import annotations

from decimal import Decimal

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired, MultipleFileField
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import HiddenInput, NumberInput

from awards_app.core.enums import Language, Theme
from awards_app.core.forms import IntegerField, no_control_characters, strip_filter
from awards_app.core.i18n import localized
from awards_app.cycles.fiscal import in_fiscal_year, lazy_fiscal_year_label, lazy_fiscal_year_period
from awards_app.nominations import storage
from awards_app.nominations.models import (
    DESCRIPTION_MAX,
    OUTCOMES_MAX,
    PARTNERS_MAX,
    STATEMENT_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
)
from awards_app.nominations.services import TEXT_FIELDS, missing_fields, statement_key

# Generous upper bounds: a whole year of the programme is about 127,000 participations.
PARTICIPANTS_MAX = 1_000_000
HOURS_MAX = Decimal("10000000")
WITHDRAW_REASON_MAX = 1000

# One label per field, shared by the form and the read-only nomination page.
LABELS = {
    "site_id": _l("Site"),
    "language": _l("Primary language of this entry"),
    "title": _l("Title of the activity"),
    "title_other": _l("Title in the other language"),
    "theme": _l("MDD theme"),
    "biodiversity": _l("This activity preserves biodiversity"),
    "summary": _l("Summary"),
    "description": _l("Full description"),
    "start_date": _l("Start date"),
    "end_date": _l("End date"),
    "participants": _l("Number of participants"),
    "volunteer_hours": _l("Volunteer hours (total)"),
    "partners": _l("Partner organisations (NPOs, local governments, …)"),
    "outcomes": _l("Outcomes and impact"),
}


# Choices as callables, not lists: WTForms 3.3 warns about tuple choices given at class
# definition, and a callable works the same on every WTForms 3 release (as in accounts/forms.py).
def language_choices():
    return [(language.value, language.title) for language in (Language.JA, Language.EN)]


def theme_choices():
    return [(theme.value, theme.title) for theme in Theme]


def _text(label, max_length: int, description: str = "", area: bool = False):
    field_class = TextAreaField if area else StringField
    return field_class(
        label,
        description=description,
        validators=[Optional(), Length(max=max_length), no_control_characters],
        filters=[strip_filter],
    )


def decimal_places(value: Decimal) -> int:
    """The decimal places a finite `value` needs (12.50 needs one). Read from its digits:
    quantize() raises InvalidOperation on a number longer than the context's 28 digits."""
    _sign, digits, exponent = value.as_tuple()
    trailing_zeros = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    if trailing_zeros == len(digits):  # zero
        return 0
    return max(0, -exponent - trailing_zeros)


def one_decimal_at_most(form, field) -> None:
    value = field.data
    if value is None:
        return
    if not value.is_finite():
        raise ValidationError(_l("Enter a number, such as 12.5."))
    if decimal_places(value) > 1:
        raise ValidationError(_l("Use at most one decimal place, such as 12.5."))


class NominationEditForm(FlaskForm):
    """Every field of a nomination except its statements, which are added per cycle."""

    language = RadioField(
        LABELS["language"],
        choices=language_choices,
        validators=[InputRequired(message=_l("Choose the language you write this entry in."))],
    )
    title = _text(LABELS["title"], TITLE_MAX)
    title_other = _text(LABELS["title_other"], TITLE_MAX)
    theme = RadioField(
        LABELS["theme"],
        choices=theme_choices,
        validators=[Optional()],
    )
    biodiversity = BooleanField(LABELS["biodiversity"])
    summary = _text(LABELS["summary"], SUMMARY_MAX, area=True)
    description = _text(LABELS["description"], DESCRIPTION_MAX, area=True)
    start_date = DateField(
        LABELS["start_date"], validators=[Optional()], render_kw={"autocomplete": "off"}
    )
    end_date = DateField(LABELS["end_date"], validators=[Optional()], render_kw={"autocomplete": "off"})
    participants = IntegerField(
        LABELS["participants"],
        validators=[
            Optional(),
            NumberRange(min=0, max=PARTICIPANTS_MAX, message=_l("Enter a whole number from 0 to %(max)s.")),
        ],
        invalid_value_message=_l("Enter a whole number, such as 25."),
        widget=NumberInput(min=0, step=1),
    )
    volunteer_hours = DecimalField(
        LABELS["volunteer_hours"],
        places=None,
        validators=[
            Optional(),
            one_decimal_at_most,
            NumberRange(min=0, max=HOURS_MAX, message=_l("Enter a number of hours from 0 to %(max)s.")),
        ],
        invalid_value_message=_l("Enter a number, such as 12.5."),
        widget=NumberInput(min=0, step="0.1"),
    )
    partners = _text(LABELS["partners"], PARTNERS_MAX, area=True)
    outcomes = _text(LABELS["outcomes"], OUTCOMES_MAX, area=True)
    # Optimistic locking: the version the user started from travels with the form.
    version = IntegerField(widget=HiddenInput(), validators=[Optional()])
    save_draft = SubmitField(_l("Save draft"))
    submit = SubmitField(_l("Submit"))

    def __init__(self, *args, cycle, criteria=(), **kwargs):
        self.cycle = cycle
        self.criteria = list(criteria)
        super().__init__(*args, **kwargs)

    # --- cross-field and cycle rules ---

    def _in_fiscal_year(self, field) -> None:
        day = field.data
        if day is not None and not in_fiscal_year(day, self.cycle.fiscal_year):
            raise ValidationError(
                _l(
                    "The date must lie in %(fy)s: %(period)s.",
                    fy=lazy_fiscal_year_label(self.cycle.fiscal_year),
                    period=lazy_fiscal_year_period(self.cycle.fiscal_year),
                )
            )

    def validate_start_date(self, field) -> None:
        self._in_fiscal_year(field)

    def validate_end_date(self, field) -> None:
        self._in_fiscal_year(field)
        start = self.start_date.data
        if field.data is not None and start is not None and start > field.data:
            raise ValidationError(_l("The end date cannot be before the start date."))

    # --- helpers for the view ---

    def statement_fields(self):
        """(criterion, field) pairs in the criteria's order."""
        return [(criterion, self[statement_key(criterion.id)]) for criterion in self.criteria]

    def values(self) -> dict:
        """The nomination's values as plain Python data, for the services."""
        values = {name: self[name].data for name in (
            "start_date", "end_date", "participants", "volunteer_hours",
        )}
        # A text field left out of the request is empty text, never NULL.
        values.update({name: self[name].data or "" for name in TEXT_FIELDS})
        values["language"] = Language(self.language.data)
        # (a choice that is not one is refused beside its field; here it is no choice)
        values["theme"] = Theme(self.theme.data) if self.theme.data in {t.value for t in Theme} else None
        values["biodiversity"] = bool(self.biodiversity.data)
        values["statements"] = {criterion.id: field.data or "" for criterion, field in self.statement_fields()}
        return values

    def require_complete(self) -> bool:
        """Add "required to submit" beside every missing field; True when nothing is missing."""
        missing = missing_fields(self.values(), [criterion.id for criterion in self.criteria])
        for name in missing:
            if not self[name].errors:
                self[name].errors = list(self[name].errors) + [_l("This is required to submit the nomination.")]
        self._errors = None  # WTForms caches form.errors; the fields' lists just changed
        return not missing

    @property
    def wants_submit(self) -> bool:
        return bool(self.submit.data)


class NominationCreateForm(NominationEditForm):
    site_id = SelectField(LABELS["site_id"], coerce=int, validators=[InputRequired(message=_l("Choose a site."))])
    # Photos and documents chosen with the new nomination; later ones are added on its page.
    files = MultipleFileField(_l("Photos (JPEG, PNG) and documents (PDF)"),
                              render_kw={"accept": "image/jpeg,image/png,application/pdf"})

    checked_files: list[tuple[storage.CheckedFile, str]]

    def validate_files(self, field) -> None:
        """Check each file by its content, as the upload on the nomination page does; those that
        pass are kept (`checked_files`) and the others named beside the field."""
        self.checked_files = []
        chosen = [upload for upload in field.data or [] if upload and upload.filename]
        limit = current_app.config["MAX_ATTACHMENTS"]
        if len(chosen) > limit:
            raise ValidationError(_l("A nomination can have at most %(num)d files.", num=limit))
        max_bytes = current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024
        refused = []
        for upload in chosen:
            try:
                self.checked_files.append((storage.check_upload(upload.stream, max_bytes), upload.filename))
            except storage.UploadRejected as error:
                refused.append(_l("%(name)s was not added: %(reason)s", name=upload.filename, reason=str(error)))
        if refused:
            raise ValidationError(" ".join(str(message) for message in refused))


def nomination_form_class(criteria, base=NominationEditForm):
    """A form class with one statement field per criterion (label: its name, help: its guidance)."""
    fields = {
        statement_key(criterion.id): TextAreaField(
            localized(criterion, "name"),
            description=localized(criterion, "guidance"),
            validators=[Optional(), Length(max=STATEMENT_MAX), no_control_characters],
            filters=[strip_filter],
        )
        for criterion in criteria
    }
    return type(base.__name__, (base,), fields)


class NominationSubmitForm(FlaskForm):
    """The "Submit" button on the nomination page (for a complete draft)."""

    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class NominationWithdrawForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason (optional)"),
        validators=[Optional(), Length(max=WITHDRAW_REASON_MAX), no_control_characters],
        filters=[strip_filter],
    )


class AttachmentUploadForm(FlaskForm):
    file = FileField(
        _l("Photo (JPEG, PNG) or document (PDF)"),
        validators=[FileRequired(message=_l("Choose a file to upload."))],
    )

    checked: storage.CheckedFile | None = None

    def validate_file(self, field) -> None:
        """Decide by content what the file is (never by its name)."""
        max_bytes = current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024
        try:
            self.checked = storage.check_upload(field.data.stream, max_bytes)
        except storage.UploadRejected as error:
            raise ValidationError(str(error)) from None

