"""The one password policy, for creation (CLI, invite, seed), change and reset."""

from __future__ import annotations

from flask_babel import gettext as _
from zxcvbn import zxcvbn

MIN_PASSWORD = 10
MAX_PASSWORD = 200  # the sign-in form takes no more
MIN_SCORE = 3  # zxcvbn: 3 is "safely unguessable", about 10^8 guesses and more
_ZXCVBN_MAX = 72  # zxcvbn refuses longer input; the first 72 characters decide


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """Why password may not be used by the person with email and name, or None when it may."""
    if not password.strip():
        return _("The password cannot be only spaces.")
    if len(password) < MIN_PASSWORD:
        return _("The password needs at least %(n)d characters.", n=MIN_PASSWORD)
    if len(password) > MAX_PASSWORD:
        return _("The password may have at most %(n)d characters.", n=MAX_PASSWORD)
    email = email.strip().lower()
    if email and email in password.lower():
        return _("The password must not contain your email address.")
    hints = [email, email.split("@")[0], name, *name.split()]
    estimate = zxcvbn(password[:_ZXCVBN_MAX], user_inputs=[h for h in hints if h])
    if estimate["score"] < MIN_SCORE:
        return _(
            "This password is too easy to guess: it is common, or a pattern such as repeats, "
            "sequences, dates or your name. A few unrelated words make a strong one."
        )
    return None
