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


# Bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): nobody types them, and
# they can make a title read differently on a page, in an export or on a certificate.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def is_control_character(char: str) -> bool:
    """C0 controls other than tab and line breaks, DEL, C1 controls and the bidi controls."""
    code = ord(char)
    return (code < 32 and char not in "\t\r\n") or 127 <= code <= 159 or char in BIDI_CONTROLS


def no_control_characters(form, field) -> None:
    """Refuse NUL and other control characters (tabs and line breaks are fine)."""
    value = field.data
    if isinstance(value, str) and any(map(is_control_character, value)):
        raise ValidationError(_l("This field contains characters that are not allowed."))


def strip_filter(value):
    return value.strip() if isinstance(value, str) else value
