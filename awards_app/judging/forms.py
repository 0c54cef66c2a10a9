from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    DecimalField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from awards_app.core.enums import Deliberation, RankingMethod
from awards_app.core.forms import (
    IntegerField,
    MultiCheckboxField,
    no_control_characters,
    strip_filter,
)
from awards_app.core.i18n import localized
from awards_app.cycles.forms import DATETIME_LOCAL_FORMATS, positive_weight

COMMENT_MAX = 3000
REASON_MAX = 1000
MESSAGE_MAX = 4000  # services.MESSAGE_MAX
REVISION_REASON_MAX = 2000  # services.REVISION_REASON_MAX
ROUND_NAME_MAX = 120  # JudgingRound.name: String(120)


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


def round_form_class(cycle):
    """The settings of a new round: its name, deadline, judges per nomination, minimum of reviews,
    method and a weight per criterion of the cycle (each empty field: the cycle's setting)."""

    class RoundForm(FlaskForm):
        name = StringField(_l("Name"), filters=[strip_filter],
                           validators=[Optional(), Length(max=ROUND_NAME_MAX), no_control_characters],
                           description=_l("Empty: “Round 2”, and so on."))
        judging_deadline = DateTimeLocalField(
            _l("Judging deadline"), format=DATETIME_LOCAL_FORMATS,
            validators=[InputRequired(message=_l("Enter a date and time."))],
            invalid_value_message=_l("Enter a date and time."))
        judges_per_nomination = IntegerField(_l("Judges per nomination"), validators=[Optional(), NumberRange(min=1, max=20)])
        minimum_reviews = IntegerField(_l("Minimum reviews"), validators=[Optional(), NumberRange(min=1, max=20)])
        ranking_method = SelectField(
            _l("The proposal follows"),
            choices=lambda: [("", _l("The cycle's method"))] + [(m.value, m.title) for m in RankingMethod],
            validators=[Optional()],
        )
        blind = BooleanField(
            _l("Blind review: hide the nominating site from the judges"),
            description=_l("Judges of this round do not see the site's name, its country, the names of the people "
                           "who entered the nomination, or the attachments' original file names (they see "
                           "“Photo 1.jpg”, “Attachment 2.pdf”). They still see the region. Administrators see "
                           "everything."))
        deliberation = SelectField(
            _l("Deliberation"), choices=lambda: [(d.value, d.title) for d in Deliberation],
            default=Deliberation.OFF.value, validators=[Optional()],
            description=_l("Once a judge has submitted, they see the panel's other submitted sheets, discuss them and "
                           "may revise their own scores with a reason."))
        hide_judge_names = BooleanField(_l("Judges see each other as “Judge A”, “Judge B”… in deliberation"))

        def validate_minimum_reviews(self, field) -> None:
            judges = self.judges_per_nomination.data or cycle.judges_per_nomination
            if field.data is not None and field.data > judges:
                raise ValidationError(_l("At most the number of judges per nomination (%(num)d).", num=judges))

        def weights(self) -> dict[int, Decimal]:
            """criterion id → the weight entered (criteria left empty keep the cycle's)."""
            return {c.id: self[weight_key(c.id)].data for c in cycle.criteria if self[weight_key(c.id)].data is not None}

    for criterion in cycle.criteria:
        setattr(RoundForm, weight_key(criterion.id),
                DecimalField(localized(criterion, "name"), places=2, validators=[Optional(), positive_weight],
                             description=_l("Empty: the cycle's weight (%(weight)s).", weight=criterion.weight)))
    return RoundForm


def weight_key(criterion_id: int) -> str:
    return f"weight_{criterion_id}"


class ShortlistPromoteForm(FlaskForm):
    per_region = IntegerField(_l("Nominations per region"), default=5,
                              validators=[InputRequired(), NumberRange(min=1, max=1000)],
                              description=_l("The top of each region's ranking in the previous round; nominations "
                                             "tied with the last one come too."))


class ShortlistEntryForm(FlaskForm):
    nomination_id = SelectField(_l("Nomination"), coerce=int, choices=[], validators=[DataRequired()])
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=REASON_MAX), no_control_characters],
                           render_kw={"data-needed": ""})


class DiscussionForm(FlaskForm):
    body = TextAreaField(_l("Your message to the panel"),
                         validators=[DataRequired(message=_l("Write a message first.")), Length(max=MESSAGE_MAX),
                                     no_control_characters],
                         render_kw={"data-needed": "", "rows": 3})


def revision_form_class(cycle):
    """The scoring form with a required reason: a judge revising their submitted scores in
    deliberation (the scores and comments per criterion, as on the sheet)."""

    class RevisionForm(sheet_form_class(cycle)):
        reason = TextAreaField(_l("Why do you revise your scores?"),
                               validators=[DataRequired(message=_l("Please say why you revise your scores.")),
                                           Length(max=REVISION_REASON_MAX), no_control_characters],
                               render_kw={"data-needed": ""})

    return RevisionForm
