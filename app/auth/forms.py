"""The sign-in, language, password and two-factor forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

_NEW = {"autocomplete": "new-password"}


class LoginForm(FlaskForm):
    """Email and password."""

    email = StringField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    next = HiddenField()


class LanguageForm(FlaskForm):
    """The language switch in the header."""

    locale = SelectField(
        _l("Language"), choices=[SelectChoice("sv", "Svenska"), SelectChoice("en", "English")]
    )
    next = HiddenField()


class ResetPasswordForm(FlaskForm):
    """A new password, typed twice (the reset link stands in for the current one)."""

    new = PasswordField(_l("New password"), validators=[DataRequired()], render_kw=_NEW)
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("new", message=_l("The two passwords differ."))],
        render_kw=_NEW,
    )


class ChangePasswordForm(ResetPasswordForm):
    """The current password and a new one, typed twice."""

    current = PasswordField(
        _l("Current password"),
        validators=[DataRequired(), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )


class ForgotForm(FlaskForm):
    """The email to send a reset link to."""

    email = StringField(_l("Email"), validators=[DataRequired(), Length(max=254)])


class CodeForm(FlaskForm):
    """A six-digit code from an authenticator app."""

    code = StringField(
        _l("Code from your authenticator app"),
        validators=[DataRequired(), Length(max=12)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


class TotpOffForm(FlaskForm):
    """The password, to turn two-factor sign-in off."""

    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


class RequireTotpForm(FlaskForm):
    """An admin's switch: everyone in the company signs in with two factors."""

    require = BooleanField(_l("Everyone in this company must sign in with a code as well"))
