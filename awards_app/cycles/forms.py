from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    DecimalField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from awards_app.core.enums import RankingMethod, Region
from awards_app.core.forms import IntegerField, no_control_characters, strip_filter
from awards_app.cycles import rules
from awards_app.cycles.services import REMINDER_DAYS_MESSAGE, RESULTS_FIELDS

FISCAL_YEAR_MIN = 2000
FISCAL_YEAR_MAX = 2100
# The database allows up to 100 levels; a rubric with text per level stops being usable far sooner.
SCALE_LOWEST = 0
SCALE_HIGHEST = 10
WEIGHT_MAX = Decimal("9999.99")  # Numeric(6, 2)
KEY_MAX = 40
NAME_MAX = 120
SIGNATORY_NAME_MAX = 120  # Cycle.signatory_name_*: String(120)
SIGNATORY_TITLE_MAX = 200  # Cycle.signatory_title_*: String(200)
GUIDANCE_MAX = 2000
RUBRIC_MAX = 1000

# The browser's datetime-local sends "2013-01-31T17:00"; the first format is also how we render.
DATETIME_LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


def _lower(value):
    return value.lower() if isinstance(value, str) else value


def _deadline_field(label):
    return DateTimeLocalField(
        label,
        format=DATETIME_LOCAL_FORMATS,
        validators=[InputRequired(message=_l("Enter a date and time."))],
        invalid_value_message=_l("Enter a date and time."),
    )


def positive_weight(form, field) -> None:
    """A weight is a finite number above zero with at most two decimals."""
    value = field.data
    if value is None:
        return
    if not value.is_finite() or value <= 0 or value > WEIGHT_MAX:
        raise ValidationError(_l("Enter a weight greater than 0 and at most %(max)s.", max=WEIGHT_MAX))
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError(_l("Use at most two decimal places."))


def _key_field():
    return StringField(
        _l("Key"),
        validators=[
            DataRequired(),
            Length(max=KEY_MAX),
            Regexp(
                r"^[a-z][a-z0-9_]*$",
                message=_l("Start with a letter; use lower-case letters, digits and _ only."),
            ),
        ],
        filters=[strip_filter, _lower],
    )


def _name_field(label):
    return StringField(
        label, validators=[DataRequired(), Length(max=NAME_MAX), no_control_characters], filters=[strip_filter]
    )


class CycleSettingsForm(FlaskForm):
    """Deadlines (typed in the admin's own time zone) and the scoring scale."""

    nomination_deadline = _deadline_field(_l("Nomination deadline"))
    judging_deadline = _deadline_field(_l("Judging deadline"))
    scale_min = IntegerField(
        _l("Lowest score"),
        default=1,
        validators=[InputRequired(), NumberRange(min=SCALE_LOWEST, max=SCALE_HIGHEST - 1)],
    )
    scale_max = IntegerField(
        _l("Highest score"),
        default=5,
        validators=[InputRequired(), NumberRange(min=SCALE_LOWEST + 1, max=SCALE_HIGHEST)],
    )

    judges_per_nomination = IntegerField(
        _l("Judges per nomination"),
        default=3,
        validators=[InputRequired(), NumberRange(min=1, max=20)],
    )
    disagreement_threshold = DecimalField(
        _l("Disagreement threshold"),
        default=Decimal("2"),
        places=2,
        validators=[InputRequired(), NumberRange(min=Decimal("0.01"), max=Decimal("100"))],
    )

    minimum_reviews = IntegerField(
        _l("Minimum reviews"),
        default=2,
        validators=[InputRequired(), NumberRange(min=1, max=20)],
    )
    ranking_method = SelectField(
        _l("The proposal follows"),
        choices=lambda: [(method.value, method.title) for method in RankingMethod],
        coerce=lambda value: value.value if isinstance(value, RankingMethod) else value,
        default=RankingMethod.ADJUSTED.value,
        # No DataRequired: its `required` attribute on a select without an empty first option is
        # invalid HTML, and the choices already refuse anything else.
    )

    def validate_minimum_reviews(self, field) -> None:
        judges = self.judges_per_nomination.data
        if judges is not None and field.data is not None and field.data > judges:
            raise ValidationError(_l("At most the number of judges per nomination (%(num)d).", num=judges))

    def validate_judging_deadline(self, field) -> None:
        nomination = self.nomination_deadline.data
        if nomination is not None and field.data is not None and field.data < nomination:
            raise ValidationError(_l("The judging deadline cannot be before the nomination deadline."))

    def validate_scale_max(self, field) -> None:
        low = self.scale_min.data if self.scale_min is not None else None
        if low is not None and field.data is not None and field.data <= low:
            raise ValidationError(_l("The highest score must be greater than the lowest score."))


def reminder_days(form, field) -> None:
    try:
        rules.parse_reminder_days(field.data)
    except ValueError:
        raise ValidationError(REMINDER_DAYS_MESSAGE) from None


def _signatory_field(label, max_length: int):
    return StringField(
        label,
        validators=[Optional(), Length(max=max_length), no_control_characters],
        filters=[strip_filter, lambda value: value or ""],
    )


class CycleEditForm(CycleSettingsForm):
    """The settings of an existing cycle, with those about publishing its results. Once the
    results are final, the view keeps only RESULTS_FIELDS."""

    share_comments_with_sites = BooleanField(_l("Share the judges' comments with the sites"), default=True)
    signatory_name_en = _signatory_field(_l("Signatory's name (English)"), SIGNATORY_NAME_MAX)
    signatory_name_ja = _signatory_field(_l("Signatory's name (Japanese)"), SIGNATORY_NAME_MAX)
    signatory_title_en = _signatory_field(_l("Signatory's title (English)"), SIGNATORY_TITLE_MAX)
    signatory_title_ja = _signatory_field(_l("Signatory's title (Japanese)"), SIGNATORY_TITLE_MAX)

    nomination_reminder_days = StringField(
        _l("Reminders before the nomination deadline (days)"),
        validators=[Length(max=40), reminder_days], filters=[strip_filter, lambda value: value or ""],
    )
    judging_reminder_days = StringField(
        _l("Reminders before the judging deadline (days)"),
        validators=[Length(max=40), reminder_days], filters=[strip_filter, lambda value: value or ""],
    )

    RESULTS_FIELDS = RESULTS_FIELDS
    JUDGING_FIELDS = (
        "nomination_deadline", "judging_deadline", "scale_min", "scale_max", "judges_per_nomination",
        "disagreement_threshold", "minimum_reviews", "ranking_method", "nomination_reminder_days",
        "judging_reminder_days",
    )

    def results_data(self) -> dict:
        return {name: self[name].data for name in self.RESULTS_FIELDS if name in self}


class CycleCreateForm(CycleSettingsForm):
    fiscal_year = IntegerField(
        _l("Fiscal year"),
        validators=[
            InputRequired(message=_l("Enter a fiscal year, e.g. 2013.")),
            NumberRange(
                min=FISCAL_YEAR_MIN,
                max=FISCAL_YEAR_MAX,
                message=_l("Enter a year from %(min)s to %(max)s.", min=FISCAL_YEAR_MIN, max=FISCAL_YEAR_MAX),
            ),
        ],
        invalid_value_message=_l("Enter a fiscal year as a number, e.g. 2013."),
    )


class CriterionForm(FlaskForm):
    """A criterion's key, names, guidance and weight. Rubric fields are added per scale level by
    criterion_form_class(), since the number of levels is the cycle's."""

    key = _key_field()
    name_en = _name_field(_l("Name (English)"))
    name_ja = _name_field(_l("Name (Japanese)"))
    guidance_en = TextAreaField(
        _l("Guidance for sites and judges (English)"),
        validators=[Optional(), Length(max=GUIDANCE_MAX), no_control_characters],
        filters=[strip_filter],
    )
    guidance_ja = TextAreaField(
        _l("Guidance for sites and judges (Japanese)"),
        validators=[Optional(), Length(max=GUIDANCE_MAX), no_control_characters],
        filters=[strip_filter],
    )
    weight = DecimalField(
        _l("Weight"),
        default=Decimal("1"),
        validators=[InputRequired(message=_l("Enter a weight, e.g. 1.")), positive_weight],
        invalid_value_message=_l("Enter a number, e.g. 1 or 1.5."),
    )

    levels: tuple[int, ...] = ()

    def rubric_fields(self):
        """(level, English field, Japanese field) for each level of the scale."""
        return [(level, self[f"rubric_{level}_en"], self[f"rubric_{level}_ja"]) for level in self.levels]

    def criterion_data(self) -> dict:
        """Plain values for the services: rubric as {level: (English, Japanese)}."""
        data = {
            name: self[name].data
            for name in ("key", "name_en", "name_ja", "guidance_en", "guidance_ja", "weight")
            if name in self
        }
        data["guidance_en"] = data.get("guidance_en") or ""
        data["guidance_ja"] = data.get("guidance_ja") or ""
        data["rubric"] = {level: (en.data or "", ja.data or "") for level, en, ja in self.rubric_fields()}
        return data

    def fill_rubric(self, criterion) -> None:
        for level in criterion.rubric_levels:
            if level.level in self.levels:
                self[f"rubric_{level.level}_en"].data = level.text_en
                self[f"rubric_{level.level}_ja"].data = level.text_ja


def criterion_form_class(scale: range) -> type[CriterionForm]:
    """A CriterionForm with an English and a Japanese rubric text field for each level."""

    class ScaledCriterionForm(CriterionForm):
        levels = tuple(scale)

    for level in scale:
        for language, label in (
            ("en", _l("Level %(level)s (English)", level=level)),
            ("ja", _l("Level %(level)s (Japanese)", level=level)),
        ):
            setattr(
                ScaledCriterionForm,
                f"rubric_{level}_{language}",
                TextAreaField(
                    label,
                    validators=[Optional(), Length(max=RUBRIC_MAX), no_control_characters],
                    filters=[strip_filter],
                    render_kw={"rows": 2},
                ),
            )
    return ScaledCriterionForm


def _region_value(value):
    # Region is a str-mixin enum, whose str() is "Region.JAPAN", not the value the choices use.
    return value.value if isinstance(value, Region) else value


def region_choices():
    return [(region.value, region.title) for region in Region]


class AwardCategoryForm(FlaskForm):
    key = _key_field()
    name_en = _name_field(_l("Name (English)"))
    name_ja = _name_field(_l("Name (Japanese)"))
    region = SelectField(
        _l("Eligible region"), choices=region_choices, coerce=_region_value, validators=[DataRequired()]
    )

    def category_data(self) -> dict:
        data = {name: self[name].data for name in ("key", "name_en", "name_ja") if name in self}
        data["region"] = Region(self.region.data)
        return data
