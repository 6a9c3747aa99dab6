"""Which redirect targets are this site's own: the one check sign-in and error pages share."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit


def _sneaky(text: str) -> bool:
    """True when text holds a character browsers drop or read as "/" (WHATWG URL parsing)."""
    return any(c < " " or c in "\\\x7f" for c in text)


def same_site(target: str) -> bool:
    """True for a path on this site that no browser could read as another host or scheme."""
    decoded = target
    for _round in range(3):  # undo double encoding such as /%252F%252Fevil
        decoded = unquote(decoded)
    path = re.split(r"[?#]", decoded, maxsplit=1)[0]
    if _sneaky(target) or _sneaky(path) or not path.startswith("/") or path[1:2] == "/":
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc
