from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from awards_app.accounts.passwords import MAX_LENGTH, strong_password
from awards_app.core.enums import Role
from awards_app.core.forms import (
    MultiCheckboxField,
    no_control_characters,
    strip_filter,
)

LANGUAGE_CHOICES = [("ja", "日本語"), ("en", "English")]


def language_choices():
    # A callable, not the list itself: WTForms 3.3 deprecates (and warns about) choices given as
    # tuples at class definition, and callables work the same on every WTForms 3 release.
    return list(LANGUAGE_CHOICES)


def role_choices():
    return [(role.value, role.title) for role in Role]


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mail"), validators=[DataRequired(), Length(max=254), no_control_characters], filters=[strip_filter]
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=MAX_LENGTH)])
    remember = BooleanField(_l("Keep me logged in on this computer"))


class PasswordForgotForm(FlaskForm):
    email = EmailField(
        _l("E-mail"), validators=[DataRequired(), Length(max=254), no_control_characters], filters=[strip_filter]
    )


class PasswordSetForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), strong_password])
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords do not match."))],
    )


class PasswordChangeForm(PasswordSetForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=MAX_LENGTH)])


class ProfileEditForm(FlaskForm):
    name = StringField(
        _l("Name"), validators=[DataRequired(), Length(max=120), no_control_characters], filters=[strip_filter]
    )
    locale = SelectField(_l("Language"), choices=language_choices)
    timezone = SelectField(_l("Time zone"))
    region = SelectField(_l("Region"))
    receive_reminders = BooleanField(_l("E-mail me reminders before deadlines"))
    receive_digest = BooleanField(_l("E-mail me the daily judging progress (administrators)"))


class UserFormBase(FlaskForm):
    name = StringField(
        _l("Name"), validators=[DataRequired(), Length(max=120), no_control_characters], filters=[strip_filter]
    )
    roles = MultiCheckboxField(_l("Roles"), choices=role_choices)
    sites = MultiCheckboxField(_l("Sites"), coerce=int, choices=[])

    def validate_sites(self, field) -> None:
        # A submitter nominates for their sites; without one they could do nothing.
        if Role.SUBMITTER.value in (self.roles.data or []) and not field.data:
            raise ValidationError(_l("A site submitter needs at least one site."))


class UserInviteForm(UserFormBase):
    email = EmailField(
        _l("E-mail"),
        validators=[
            DataRequired(), Email(message=_l("Enter a valid e-mail address.")), Length(max=254), no_control_characters,
        ],
        filters=[strip_filter],
    )
    locale = SelectField(_l("Language"), choices=language_choices)


class UserEditForm(UserFormBase):
    pass
