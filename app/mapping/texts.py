"""Translation that also works on the command line, where no request picks a language."""

from __future__ import annotations

from typing import Any

from flask import has_request_context
from flask_babel import gettext


def _(text: str, **variables: Any) -> str:
    """text translated for the request's user; outside a request, the source text."""
    if has_request_context():
        return gettext(text, **variables)
    return text % variables if variables else text
