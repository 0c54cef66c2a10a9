from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from awards_app.awards.services import REASON_MAX
from awards_app.core.forms import IntegerField, no_control_characters, strip_filter


def decision_prefix(category_id: int) -> str:
    """Each award category's form has its own prefix: the page holds one form per category."""
    return f"award-{category_id}"


class AwardDecisionForm(FlaskForm):
    """The nomination chosen for one award (radio buttons in the candidates' table, or the
    proposal's one-click button) and the reason, which the service requires unless the choice is
    the single top of the ranking."""

    nomination_id = IntegerField(
        _l("Nomination"),
        validators=[InputRequired(message=_l("Choose a nomination from the list."))],
        invalid_value_message=_l("Choose a nomination from the list."),
    )
    # The winner shown when the page was drawn (empty: none). Written by the template from the
    # page's own state, so that a refused form shown again carries the current winner.
    seen_winner_id = IntegerField(validators=[Optional()])
    reason = TextAreaField(
        _l("Reason for this choice"),
        validators=[Optional(), Length(max=REASON_MAX), no_control_characters],
        filters=[strip_filter],
        render_kw={"rows": 3},
    )


class FinaliseForm(FlaskForm):
    confirm = BooleanField(
        _l(
            "I have checked the decisions. Lock the scores, nominations, assignments and awards of this cycle "
            "for good."
        ),
        validators=[DataRequired(message=_l("Tick this box to confirm that the results are final."))],
        render_kw={"data-needed": ""},  # the final confirmation dialog only once it is ticked
    )
