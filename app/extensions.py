"""Every Flask extension, unbound; the factory binds them with init_app."""

from __future__ import annotations

from flask_babel import Babel
from flask_htmx import HTMX
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

login_manager = LoginManager()
htmx = HTMX()
csrf = CSRFProtect()
babel = Babel()
