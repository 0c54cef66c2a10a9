from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from awards_app.core.forms import no_control_characters, strip_filter

SUBJECT_MAX = 150
BODY_MAX = 5000

GROUPS = {
    "judges_unfinished": _l("Judges with unfinished sheets"),
    "submitters_without_submission": _l("Submitters of sites with no submission"),
    "winners": _l("Submitters of the winning sites"),
    "all_judges": _l("All judges"),
}


def group_choices():
    return [(key, str(title)) for key, title in GROUPS.items()]


def _text(label, max_length: int, area: bool = False):
    field = TextAreaField if area else StringField
    return field(label, validators=[DataRequired(), Length(max=max_length), no_control_characters],
                 filters=[strip_filter])


class AdminMessageForm(FlaskForm):
    cycle = SelectField(_l("Cycle"), coerce=int, choices=[])
    group = SelectField(_l("Recipients"), choices=group_choices)
    subject_en = _text(_l("Subject (English)"), SUBJECT_MAX)
    subject_ja = _text(_l("Subject (Japanese)"), SUBJECT_MAX)
    body_en = _text(_l("Message (English)"), BODY_MAX, area=True)
    body_ja = _text(_l("Message (Japanese)"), BODY_MAX, area=True)
