"""The account page's digest switch."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import AnyOf


class DigestForm(FlaskForm):
    """Turn the daily digest on or off."""

    enabled = HiddenField(
        validators=[
            AnyOf(("on", "off"), message=_l("Choose whether the daily e-mail is on or off."))
        ]
    )
