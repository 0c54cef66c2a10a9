from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from awards_app.certificates.services import REASON_MAX
from awards_app.core.forms import no_control_characters, strip_filter


class CertificateRevokeForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for revoking"),
        validators=[
            DataRequired(message=_l("Give the reason for revoking the certificate.")),
            Length(max=REASON_MAX),
            no_control_characters,
        ],
        filters=[strip_filter],
    )
