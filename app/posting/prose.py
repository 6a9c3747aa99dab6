"""Reasons stored as English prose before they were codes, read back into code and details."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from app.posting.texts import EARLIER, TEXTS

_DOCUMENT = re.compile(r"(invoice|order) (\S+)(?: \((.*)\))?")


def pattern(english: str) -> str:
    """A regular expression of an English template; each {name} (or {0}) gives back its value."""
    seen: set[str] = set()
    parts = []
    for literal, name in re.findall(r"([^{]*)(?:\{(\w+)\})?", english):
        parts.append(re.escape(literal))
        if name.isdigit():
            parts.append("(.+?)")  # positional: read back by position
        elif name:
            parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>.+?)")
            seen.add(name)
    return "".join(parts)


@cache
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    """Each template's English, message and fix or message alone, longest first."""
    out = []
    for code, (message, fix) in [*TEXTS.items(), *EARLIER.items()]:
        for english in (f"{message} {fix}", message) if fix else (message,):
            if english.startswith("{") and english.endswith("}"):
                continue  # a bare placeholder matches anything: such text stays as it is
            out.append((code, re.compile(pattern(english), re.S)))
    return sorted(out, key=lambda p: -len(p[1].pattern))


def read(line: str) -> tuple[str, dict[str, Any]] | None:
    """The code and details of one line of old prose, or None when no template says it."""
    for code, compiled in _patterns():
        found = compiled.fullmatch(line.strip())
        if found:
            detail: dict[str, Any] = found.groupdict()
            if "documents" in detail:
                detail["documents"] = _documents(detail["documents"])
            return code, detail
    return None


def _documents(words: str) -> str | list[dict[str, str]]:
    """'invoice 12 (bookkept), order 7' as documents, so their words translate; else as it was."""
    found = [_DOCUMENT.fullmatch(part) for part in words.split(", ")]
    groups = [m.groups() for m in found if m]
    if len(groups) != len(found):
        return words
    return [{"kind": kind, "number": number, "why": why or ""} for kind, number, why in groups]
