"""A closure's reason as stored (codes and details) and as read (in the reader's language)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from flask import has_app_context
from flask_babel import force_locale
from flask_babel import gettext as babel_gettext

from app.fortnox.checks import Check
from app.fortnox.errors import NeedsAction
from app.i18n import money
from app.posting import faults, prose
from app.posting.texts import DOCUMENT_KINDS, DOCUMENT_WHY, TEXTS
from app.words import code_label

LIMIT = 2000  # the width of Closure.state_reason
Gettext = Callable[[str], str]
# Details that are amounts: stored as plain "-340.00", written as the reader's locale writes
# money where the reason is read ("−340,00 kr", "-SEK 340.00").
AMOUNTS = frozenset(
    {"difference", "threshold", "tip", "debit", "credit", "actual", "expected", "off"}
)
CODES = frozenset({"method", "category"})  # POS codes: read in words (CASH_DIFFERENCE, CARD)


@dataclass(frozen=True)
class Reason:
    """One stored reason: its code, which texts say it (when not the code's) and the detail."""

    code: str
    detail: dict[str, Any] = field(default_factory=dict)
    texts: str = ""
    raw: str = ""  # an old free-text reason no template matches, shown as it is

    def to_json(self) -> dict[str, Any]:
        """The stored form."""
        out: dict[str, Any] = {"code": self.code, "detail": self.detail}
        if self.texts and self.texts != self.code:
            out["texts"] = self.texts
        return out


@dataclass(frozen=True)
class Said:
    """A reason in words: what is wrong and what to do about it."""

    code: str
    message: str
    fix: str = ""

    def __str__(self) -> str:
        return f"{self.message} {self.fix}".strip()


def encode(reasons: Iterable[Reason]) -> str:
    """The text stored in Closure.state_reason: JSON codes and details, cut to fit the column."""
    items = json.loads(_dump([r.to_json() for r in reasons]))  # a copy: shortening cuts it
    text = _dump(items)
    while len(text) > LIMIT and _shorten(items):
        text = _dump(items)
    return text[:LIMIT]


def _dump(items: list[dict[str, Any]]) -> str:
    return json.dumps(items, ensure_ascii=False, separators=(",", ":"), default=str)


def _shorten(items: list[dict[str, Any]]) -> bool:
    """Halve the longest text in any detail; False when nothing is left to cut."""
    longest: tuple[int, Any, Any] = (0, None, None)
    stack: list[Any] = [item["detail"] for item in items]
    while stack:
        node = stack.pop()
        pairs = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in pairs:
            if isinstance(value, str) and len(value) > longest[0]:
                longest = (len(value), node, key)
            elif isinstance(value, dict | list):
                stack.append(value)
    size, node, key = longest
    if size < 8:
        return False
    node[key] = node[key][: size // 2] + "…"
    return True


def decode(stored: str | list[Any]) -> list[Reason]:
    """The reasons in a stored text (JSON as encode writes it, or older English prose) or list."""
    if isinstance(stored, list):  # already parsed, e.g. from a JSON column: reasons or old lines
        return [_parsed(i) if _is_reason(i) else _from_prose(str(i)) for i in stored if i]
    stored = (stored or "").strip()
    if stored.startswith("[{"):
        try:
            items = json.loads(stored)
        except ValueError:
            items = None
        if isinstance(items, list) and all(isinstance(i, dict) and "code" in i for i in items):
            return [_parsed(i) for i in items]
    return [_from_prose(line) for line in stored.splitlines() if line.strip()]


def _is_reason(value: Any) -> bool:
    """True for a reason in its stored form (a detail may hold reasons of its own)."""
    return isinstance(value, dict) and "code" in value and set(value) <= {"code", "detail", "texts"}


def _parsed(item: dict[str, Any]) -> Reason:
    return Reason(str(item["code"]), dict(item.get("detail") or {}), str(item.get("texts") or ""))


def _from_prose(line: str) -> Reason:
    """A line written before reasons were stored as codes: its template's code, else as it is."""
    found = prose.read(line)
    return Reason(found[0], found[1]) if found else Reason("", raw=line.strip())


def render(
    stored: str | list[Any], language: str | None = None, gettext: Gettext | None = None
) -> list[Said]:
    """Every reason of a stored text, in the current language (or language, or through gettext)."""
    with force_locale(language) if language and has_app_context() else nullcontext():
        return [say(reason, gettext) for reason in decode(stored)]


def say(reason: Reason, gettext: Gettext | None = None) -> Said:
    """One reason in words, in the current language (or through gettext, amounts as stored)."""
    tr = gettext or _gettext
    message, fix = TEXTS.get(reason.texts or reason.code, ("", ""))
    if reason.raw or not message:
        return Said(reason.code, reason.raw or reason.code)
    local = tr is _gettext
    values = {k: _detail(k, v, tr, local) for k, v in reason.detail.items()}
    return Said(reason.code, _fill(tr(message), message, values), _fill(tr(fix), fix, values))


def text(stored: str, language: str | None = None) -> str:
    """The reasons on one line each, message then fix."""
    return "\n".join(str(said) for said in render(stored, language))


def english(stored: str) -> str:
    """The reasons in the source language, for the API, the CLI and logs."""
    return text(stored, "en")


def words(value: Any) -> str:
    """One detail value in words, in the current language (reasons, Fortnox's errors, documents)."""
    return _value(value, _gettext)


def why(text: str) -> str:
    """Why a document stands (undo's English), in the current language."""
    return _why(text, _gettext)


def detail_words(key: str, value: Any) -> str | None:
    """An audit event's detail in words where posting's words say it (events.DETAIL_WORDS)."""
    if key in ("reason", "error") and isinstance(value, str | list):
        return " ".join(str(said) for said in render(value))
    if key in AMOUNTS or key == "amount":  # any area's "amount": money as the reader writes it
        return amount(value)
    if key == "kind" and isinstance(value, str) and value in DOCUMENT_KINDS:
        return _gettext(DOCUMENT_KINDS[value])
    if key == "why" and isinstance(value, str):
        return why(value)
    return words(value) if is_worded(value) else None


def is_worded(value: Any) -> bool:
    """True when words() has a reading of its own for value (not just its text)."""
    if isinstance(value, dict):
        return "said" in value or "retry" in value or _is_reason(value)
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _gettext(message: str) -> str:
    return babel_gettext(message) if message and has_app_context() else message


def _fill(template: str, source: str, values: dict[str, str]) -> str:
    """The template with its details in; the English source if a translation lost one."""
    if not template:
        return ""
    for candidate in (template, source):
        try:
            return candidate.format(**values)
        except (KeyError, IndexError, ValueError):
            continue
    return source


def _detail(key: str, value: Any, tr: Gettext, local: bool) -> str:
    """One detail as its reason says it: amounts and codes in the reader's words when local."""
    if local and key in AMOUNTS:
        return amount(value)
    if local and key in CODES and isinstance(value, str):
        return code_label(value)
    return _value(faults.older(key, value), tr)


def amount(value: Any) -> str:
    """An amount of a detail as the current locale writes money; other text as it is."""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return money(amount) if has_app_context() else f"{amount:.2f}"


def _value(value: Any, tr: Gettext) -> str:
    """One detail as words: Fortnox's refusal, pre-flight lines and documents are read anew."""
    if isinstance(value, dict) and "said" in value:
        return _refusal(value)
    if isinstance(value, dict) and "retry" in value:
        return faults.words(value)
    if _is_reason(value):
        return say(_parsed(value), tr).message
    if isinstance(value, list) and value and all(_is_reason(v) for v in value):
        return "; ".join(say(_parsed(v), tr).message for v in value)
    if isinstance(value, list) and all(isinstance(v, dict) for v in value):
        if all("kind" in v and "ok" in v for v in value):
            return _checks(value)
        return ", ".join(_document(v, tr) for v in value)
    return str(value)


retryable = faults.retryable  # what to store of a passing error, beside refusal for a refused one


def refusal(err: Any) -> dict[str, Any]:
    """What to store of Fortnox's refusal so it can be explained in any language later."""
    return {"said": err.message, "status": err.status, "code": err.code, "fix": err.fix}


def _refusal(value: dict[str, Any]) -> str:
    status, code = value.get("status"), value.get("code")
    err = NeedsAction(str(value.get("said") or ""), status=status, code=code)
    err.fix = str(value.get("fix") or "")
    return err.human() if has_app_context() else str(err)


def _checks(value: list[dict[str, Any]]) -> str:
    lines = [Check.from_dict(v) for v in value]
    return "; ".join(f"{c.title}: {c.detail}" for c in lines)


def document(kind: str, number: Any, why: str = "") -> dict[str, str]:
    """A document of Fortnox's in a reason's detail (its kind and why it stands are words)."""
    return {"kind": kind, "number": str(number or ""), "why": why or ""}


def _document(value: dict[str, Any], tr: Gettext) -> str:
    kind = str(value.get("kind", ""))
    word = tr(DOCUMENT_KINDS[kind]) if kind in DOCUMENT_KINDS else kind
    out = f"{word} {value.get('number', '')}"
    why = str(value.get("why") or "")
    if why:
        out += f" ({_why(why, tr)})"
    return out.strip()


def _why(why: str, tr: Gettext) -> str:
    """Why a document stands, in words: its English from undo matched to a known text."""
    for english in DOCUMENT_WHY:
        found = re.fullmatch(prose.pattern(english), why)
        if found:
            return _fill(tr(english), english, found.groupdict())
    return why
