"""The closures list's filters, read from the query string (so a filtered list is a bookmark)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _

from app.converters import id_arg

SEARCH_MAX = 100


@dataclass(frozen=True)
class ListFilters:
    """What the list is narrowed to; an unset filter is None or empty."""

    store_pk: int | None = None
    state: str | None = None  # the posting state, as older links ask with ?state=
    status: str | None = None  # the status the board shows (app/closures/statuses.py)
    q: str = ""
    start: date | None = None
    end: date | None = None
    errors: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def any(self) -> bool:
        """True when the list is narrowed at all."""
        return any((self.store_pk, self.state, self.status, self.q, self.start, self.end))

    def args(self, **extra: object) -> dict[str, object]:
        """The filters as query-string arguments for url_for (unset ones left out)."""
        args: dict[str, object] = {
            "q": self.q,
            "store": self.store_pk,
            "status": self.status,
            "state": self.state,
            "from": self.start.isoformat() if self.start else None,
            "to": self.end.isoformat() if self.end else None,
            **extra,
        }
        return {k: v for k, v in args.items() if v not in (None, "")}


def _day(text: str | None) -> tuple[date | None, bool]:
    """A YYYY-MM-DD date (None when empty) and whether the text was one."""
    if not text or not text.strip():
        return None, True
    try:
        return date.fromisoformat(text.strip()), True
    except ValueError:
        return None, False


def parse(args: Mapping[str, str], statuses: tuple[str, ...]) -> ListFilters:
    """The filters the query string asks for, with a message per field that cannot be read."""
    errors: dict[str, str] = {}
    start, ok = _day(args.get("from"))
    if not ok:
        errors["from"] = _("Write the first day as YYYY-MM-DD, e.g. 2026-11-01.")
    end, ok = _day(args.get("to"))
    if not ok:
        errors["to"] = _("Write the last day as YYYY-MM-DD, e.g. 2026-11-30.")
    if start and end and end < start:
        errors["to"] = _("The last day is before the first day: choose one on or after the first.")
        end = None
    status = args.get("status") or None
    return ListFilters(
        store_pk=id_arg(args.get("store")),
        state=args.get("state") or None,
        status=status if status in statuses else None,
        q=" ".join((args.get("q") or "").split())[:SEARCH_MAX],
        start=start,
        end=end,
        errors=errors,
    )
