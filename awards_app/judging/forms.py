from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from awards_app.core.forms import (
    IntegerField,
    MultiCheckboxField,
    no_control_characters,
)
from awards_app.core.i18n import localized

COMMENT_MAX = 3000
REASON_MAX = 1000


def score_key(criterion_id: int) -> str:
    return f"score_{criterion_id}"


def comment_key(criterion_id: int) -> str:
    return f"comment_{criterion_id}"


class ScoreSheetFormBase(FlaskForm):
    version = IntegerField(widget=HiddenField.widget, validators=[InputRequired()])
    overall_comment = TextAreaField(_l("Overall comment"), validators=[Optional(), Length(max=COMMENT_MAX), no_control_characters])
    abstain = BooleanField(_l("I abstain from scoring this nomination"))
    # data-needed / data-if: the page asks to confirm a submission only once the input can go through.
    abstain_reason = TextAreaField(_l("Reason for abstaining"), validators=[Optional(), Length(max=REASON_MAX), no_control_characters],
                                   render_kw={"data-needed": "", "data-if": "abstain"})

    def scores(self, criteria) -> dict[int, tuple[int | None, str]]:
        """Plain data for the service: criterion id → (score or None, comment)."""
        return {
            c.id: (self[score_key(c.id)].data, (self[comment_key(c.id)].data or "").strip()) for c in criteria
        }


def sheet_form_class(cycle):
    """A form with a score (radio buttons on the cycle's scale) and a comment per criterion.

    Built per request (the criteria belong to the cycle), so labels are in the user's language.
    Choices are SelectChoice objects: WTForms 3.3 deprecates (value, label) tuples."""

    class ScoreSheetForm(ScoreSheetFormBase):
        pass

    choices = [SelectChoice(value=value, label=str(value)) for value in cycle.scale]
    for criterion in cycle.criteria:
        setattr(ScoreSheetForm, score_key(criterion.id),
                RadioField(localized(criterion, "name"), choices=choices, coerce=int, validators=[Optional()]))
        setattr(ScoreSheetForm, comment_key(criterion.id),
                TextAreaField(_l("Comment"), validators=[Optional(), Length(max=COMMENT_MAX), no_control_characters]))
    return ScoreSheetForm


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=REASON_MAX), no_control_characters],
                           render_kw={"data-needed": ""})


class PanelForm(FlaskForm):
    judges = MultiCheckboxField(_l("Judges"), coerce=int, choices=[])


class AssignmentAddForm(FlaskForm):
    judge_id = SelectField(_l("Judge"), coerce=int, choices=[], validators=[DataRequired()])
