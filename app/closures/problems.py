"""What is wrong with something sent to us: a JSON pointer and a message that says what to fix.

Problems are written in English, as the API answers them (machines read them); a page shows each
in the reader's language through `said`, which reads the message back through its template.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from flask import Flask, has_request_context
from flask_babel import get_locale, get_translations, gettext


def _(text: str) -> str:
    """Mark a problem's English for translation: it is translated where a page shows it."""
    return text


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a closure: where (an RFC 6901 pointer) and what to fix."""

    pointer: str
    message: str


def pointer(*parts: str | int) -> str:
    """Build an RFC 6901 JSON pointer from path parts."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


MAX_PROBLEMS = 100


class Problems(list[Problem]):
    """The first MAX_PROBLEMS problems (and a line saying how many more), with the total."""

    total: int = 0


def capped(problems: list[Problem], total: int | None = None) -> Problems:
    """At most MAX_PROBLEMS problems, then one that tells how many there are in all."""
    total = len(problems) if total is None else total
    kept = Problems(problems[:MAX_PROBLEMS])
    kept.total = total
    if total > len(kept):
        msg = _(
            "… and {0} more problems ({1} in all); fix the ones above and send the closure again."
        )
        kept.append(Problem("", msg.format(total - len(kept), total)))
    return kept


def init_app(app: Flask) -> None:
    """Register the filter `problem`: a refusal's message in the reader's language."""
    app.jinja_env.filters["problem"] = said


def said(message: str) -> str:
    """A problem's English message in the reader's language; as it is when no template says it."""
    if not message or not has_request_context():
        return message
    direct = gettext(message)
    if direct != message:
        return direct
    for english, names, compiled in _templates(str(get_locale())):
        found = compiled.fullmatch(message)
        if found:
            return _refill(gettext(english), english, names, found.groups()) or message
    return message


@cache
def _templates(locale: str) -> tuple[tuple[str, tuple[str, ...], re.Pattern[str]], ...]:
    """Each translated message with {placeholders}, its placeholders, and a pattern reading them."""
    catalog = getattr(get_translations(), "_catalog", {})
    out = []
    for english in catalog:
        if not isinstance(english, str) or "{" not in english or english == catalog[english]:
            continue
        pieces = re.split(r"\{(\w+)\}", english)
        literals, names = pieces[0::2], tuple(pieces[1::2])
        if not names or len("".join(literals).strip()) < 12:
            continue  # (almost) nothing but placeholders: it would read any text
        body = "(.+?)".join(re.escape(literal) for literal in literals)
        out.append((english, names, re.compile(body, re.S)))
    return tuple(sorted(out, key=lambda t: -len(t[0])))


def _refill(template: str, english: str, names: tuple[str, ...], values: tuple[str, ...]) -> str:
    """The translated template with the values the English held; '' if they do not fit it."""
    named = dict(zip(names, values, strict=True))
    positional = [named[str(i)] for i in range(len(named)) if str(i) in named]
    try:
        return template.format(*positional, **named)
    except (IndexError, KeyError, ValueError):
        return ""
