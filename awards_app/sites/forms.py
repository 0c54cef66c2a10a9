from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Regexp

from awards_app.core.forms import no_control_characters, strip_filter

class SiteForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[
            DataRequired(),
            Length(max=32),
            Regexp(r"^[A-Za-z0-9][A-Za-z0-9_-]*$", message=_l("Use letters, digits, - and _ only.")),
        ],
        filters=[strip_filter, lambda v: v.upper() if isinstance(v, str) else v],
    )
    name_en = StringField(
        _l("Name (English)"), validators=[DataRequired(), Length(max=200), no_control_characters], filters=[strip_filter]
    )
    name_ja = StringField(
        _l("Name (Japanese)"), validators=[DataRequired(), Length(max=200), no_control_characters], filters=[strip_filter]
    )
    country = SelectField(_l("Country"), validators=[DataRequired()])
    active = BooleanField(_l("Active (may nominate)"), default=True)
