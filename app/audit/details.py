"""An audit event's details as people read them: known keys labelled, reasons worded anew.

What only a higher area can word (posting's reasons, amounts and documents) it answers to
events.DETAIL_WORDS; the trail knows nothing of posting.
"""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any

from flask import has_app_context
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l

from app import events

LIMIT = 300
# What the areas record (app/*: record(..., detail=...)), in words.
LABELS = {
    "reason": _l("Reason"),
    "holds": _l("Holds"),
    "error": _l("Error"),
    "kind": _l("Kind"),
    "number": _l("Number"),
    "why": _l("Why"),
    "key": _l("Key"),
    "answer": _l("Fortnox's answer"),
    "adopted": _l("Adopted"),
    "revision": _l("Revision"),
    "source": _l("Source"),
    "store": _l("Store"),
    "voucher": _l("Voucher"),
    "note": _l("Note"),
    "comment": _l("Comment"),
    "role": _l("Role"),
    "stores": _l("Stores"),
    "new_user": _l("New user"),
    "name": _l("Name"),
    "cost_center": _l("Cost center"),
    "status": _l("Status"),
    "problems": _l("Problems"),
    "items": _l("Items"),
    "version": _l("Version"),
    "previous": _l("Previous version"),
    "report": _l("Report"),
    "file": _l("File"),
    "fingerprint": _l("Fingerprint"),
    "revoked": _l("Revoked"),
    "created": _l("Created"),
    "expires_at": _l("Expires"),
    "database_number": _l("Database number"),
    "fortnox_name": _l("Fortnox company"),
    "fortnox_orgnr": _l("Organisation number"),
    "company_orgnr": _l("This company's organisation number"),
    "amount": _l("Amount"),
    "changed": _l("Changed"),
    "orgnr_differs": _l("Organisation number differs"),
    "previous_database_number": _l("Previous database number"),
    "rejected_id": _l("Refused payload"),
    "scope": _l("Permissions"),
    "token_id": _l("API token"),
    "via_link": _l("Through an authorization link"),
    "workspace": _l("Fortnox workspace"),
    "confirmed_not_in_chart": _l("Saved with accounts missing from the chart"),
    "daily_digest": _l("Daily e-mail"),
    "require_totp": _l("Two-factor sign-in required"),
}
SKIP = {"state", "attempt", "unknown"}  # bookkeeping, not what happened


def event_details(detail: dict[str, Any] | None, language: str | None = None) -> list[tuple]:
    """(label, words) per detail worth showing, in the reader's language (or language)."""
    with force_locale(language) if language and has_app_context() else nullcontext():
        detail = detail or {}
        out = []
        for key, value in detail.items():
            if key in SKIP or value in (None, "", [], {}):
                continue
            if key == "holds" and detail.get("reason"):
                continue  # the reason says each hold in words
            label = str(LABELS[key]) if key in LABELS else key.replace("_", " ").capitalize()
            words = _words(key, value)
            out.append((label, words if len(words) <= LIMIT else words[: LIMIT - 1] + "…"))
        return out


def _words(key: str, value: Any) -> str:
    """One value in words: as the area that recorded it words it, else as plain text."""
    worded = _worded(key, value)
    if worded is not None:
        return worded
    if key == "answer" and isinstance(value, dict) and {"series", "number", "year"} <= set(value):
        value = [value["series"], value["number"], value["year"]]
    if key == "answer" and isinstance(value, list) and len(value) == 3:  # a voucher's reference
        return "{} {} ({})".format(*value)
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    return words(value)


def _worded(key: str, value: Any) -> str | None:
    """The first answer of an area that words this detail (reasons, amounts), else None."""
    for answer in events.announce(events.DETAIL_WORDS, key, value):
        if answer is not None:
            return str(answer)
    return None


def words(value: Any) -> str:
    """A detail value as short text, reasons and Fortnox's errors in the reader's language."""
    worded = _worded("", value)
    if worded is not None:
        return worded
    if isinstance(value, dict):
        return ", ".join(f"{k}={words(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(words(v) for v in value)
    return str(value)
