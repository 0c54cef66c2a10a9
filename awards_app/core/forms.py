"""Form pieces shared by every feature."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField, widgets
from wtforms.validators import ValidationError


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
