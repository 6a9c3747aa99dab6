"""gunicorn's settings for Kassabok: an access log that never writes a one-time secret.

gunicorn reads ./gunicorn.conf.py from the directory it starts in (`make run` starts it in the
repository); elsewhere pass `-c /path/to/gunicorn.conf.py`. Redacted in every field of the access
log (request line, path, query, referer, headers): the token of a Fortnox authorization link
(/fortnox/authorize/<token>) and of a password-reset link (/account/reset/<token>), and the
values of OAuth's code= and state= and of any *token= parameter.
"""

from __future__ import annotations

import re
from typing import Any

from gunicorn.glogging import Logger

REDACTED = "[redacted]"
_SLASH = r"(?:/|%2f)"  # a client may spell the slashes %2F; the route matches all the same
_SECRET_PATHS = re.compile(
    rf"({_SLASH}(?:fortnox{_SLASH}authorize|account{_SLASH}reset){_SLASH})(?:(?!%2f)[^/?#\s\"])+",
    re.IGNORECASE,
)
_SECRET_PARAMS = re.compile(r"((?:^|[?&;])(?:code|state|[a-z_]*token)=)[^&#\s\"]*", re.IGNORECASE)


def redact(text: str) -> str:
    """text with the secrets of one-time links and OAuth parameters replaced."""
    text = _SECRET_PATHS.sub(rf"\g<1>{REDACTED}", text)
    return _SECRET_PARAMS.sub(rf"\g<1>{REDACTED}", text)


class RedactingLogger(Logger):
    """gunicorn's logger whose access-log atoms pass through redact."""

    def atoms(self, resp: Any, req: Any, environ: dict, request_time: Any) -> dict:
        """The access-log fields, each string redacted."""
        found = super().atoms(resp, req, environ, request_time)
        return {k: redact(v) if isinstance(v, str) else v for k, v in found.items()}


logger_class = RedactingLogger
