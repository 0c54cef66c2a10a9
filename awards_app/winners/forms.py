from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice
from wtforms.validators import InputRequired

from awards_app.core.forms import IntegerField

NO_PHOTO = 0  # the "no photo" choice's value


def photo_prefix(decision_id: int) -> str:
    """Each award's photo form has its own prefix: the page holds one per award."""
    return f"photo-{decision_id}"


class WinnerPhotoForm(FlaskForm):
    """The photo the winners' page shows for one award: one of the winning nomination's photos
    (radio buttons with their thumbnails), or none (0)."""

    photo_id = IntegerField(
        _l("Photo shown"),
        validators=[InputRequired(message=_l("Choose one of the photos of the winning nomination."))],
        invalid_value_message=_l("Choose one of the photos of the winning nomination."),
    )


class WinnersVisibilityForm(FlaskForm):
    visibility = RadioField(
        _l("Who can see this page"),
        choices=[
            SelectChoice(value="members", label=_l("Logged-in users only")),
            SelectChoice(value="public", label=_l("Anyone, without logging in")),
        ],
        validators=[InputRequired(message=_l("Choose who can see this page."))],
    )
