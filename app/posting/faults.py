"""Passing errors (Fortnox's Retryable) kept as data in a reason, worded when shown."""

from __future__ import annotations

import re
from typing import Any

from flask import has_app_context


def retryable(err: Any) -> dict[str, Any]:
    """What to store of a passing error so it can be explained in any language later."""
    from app.fortnox.errors import Retryable

    if not isinstance(err, Retryable):  # unforeseen: its type and words are the evidence
        return {"retry": f"{type(err).__name__}: {err}", "kind": "other"}
    unknown = bool(err.outcome_unknown)
    return {"retry": err.message, "status": err.status, "code": err.code, "unknown": unknown}


_HTTP = re.compile(r"(?P<said>.*?)(?: \(code (?P<code>\d+)\))? \[HTTP (?P<status>\d+)\]")
_PASSING = ("Fortnox unreachable: ", "Fortnox did not answer: ", "Fortnox rate budget exhausted")
_NO_ANSWER = re.compile(r"[A-Z]+ \S+: no answer from Fortnox \(\w+\)")


def older(key: str, value: Any) -> Any:
    """An error stored as Retryable's English before errors were data, read back as data."""
    if key != "error" or not isinstance(value, str):
        return value
    found = _HTTP.fullmatch(value)
    if found:
        code = int(found["code"]) if found["code"] else None
        return {"retry": found["said"], "status": int(found["status"]), "code": code}
    if value.startswith(_PASSING) or _NO_ANSWER.fullmatch(value):
        return {"retry": value, "unknown": bool(_NO_ANSWER.fullmatch(value))}
    return value


def words(value: dict[str, Any]) -> str:
    """A passing error kept as data, in the current language (technical words after it)."""
    from app.fortnox.errors import Retryable

    said = str(value.get("retry") or "")
    if value.get("kind") == "other":
        return said
    err = Retryable(said, status=value.get("status"), code=value.get("code"))
    err.outcome_unknown = bool(value.get("unknown"))
    return err.human() if has_app_context() else str(err)
