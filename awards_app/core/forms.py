"""Form pieces shared by every feature."""
from __future__ import annotations

import wtforms
from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField, widgets
from wtforms.validators import ValidationError

from awards_app.core.models import DB_INT_MAX


# WTForms' own message for what is not a whole number: translated by WTForms' catalogues (as a
# variable, so that our catalogue does not extract it again).
NOT_AN_INTEGER = "Not a valid integer value."


class IntegerField(wtforms.IntegerField):
    """WTForms' IntegerField, refusing a number too large for the database like any other invalid
    number. (NumberRange cannot do it: it calls math.isnan(), which overflows on huge integers.)"""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and not -DB_INT_MAX <= self.data <= DB_INT_MAX:
            self.data = None
            raise ValueError(self.invalid_value_message or self.gettext(NOT_AN_INTEGER))


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as checkboxes."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def no_control_characters(form, field) -> None:
    """Refuse NUL and other control characters (tabs and line breaks are fine)."""
    value = field.data
    if isinstance(value, str) and any(ord(ch) < 32 and ch not in "\t\r\n" for ch in value):
        raise ValidationError(_l("This field contains characters that are not allowed."))


def strip_filter(value):
    return value.strip() if isinstance(value, str) else value
