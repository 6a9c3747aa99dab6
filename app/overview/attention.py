"""What needs someone, across the user's companies: the actions and where each count leads."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l

# The overview's count columns, worst first, as the month legend names them.
COLUMNS = ("missing", "duplicate", "mismatch", "failed", "held", "superseded")
# What to do about a store-day of each status.
ACTIONS = {
    "missing": _l("Find the voucher Fortnox no longer returns, or post it again"),
    "duplicate": _l("Remove the extra voucher in Fortnox"),
    "mismatch": _l("Compare the rows, fix or mark reviewed"),
    "failed": _l("Fix what the error names, then retry"),
    "held": _l("Fix the hold; it then posts by itself"),
    "superseded": _l("Post the correction"),
    "awaiting_approval": _l("Approve it (an accountant or admin); it then posts"),
    # A2: the Z-chain (app/reconcile/zchain.py): the day's panel links the break on the chain page.
    "chain_break": _l("Find the missing Z-report, or explain the break on the Z-chain page"),
}


def oldest_month(row: Any, status: str | None = None) -> str | None:
    """YYYY-MM of the oldest store-day of row needing someone (of status, when given)."""
    days = [a.day for a in row.attention if status is None or a.status == status]
    return min(days).strftime("%Y-%m") if days else None


def grid_url(row: Any, status: str | None = None) -> str:
    """The company's month grid at its oldest month with something to do (filtered to status)."""
    args: dict[str, str] = {}
    month = oldest_month(row, status)
    if month:
        args["month"] = month
    if status:
        args["status"] = status
    return url_for("dashboard.index", company_id=row.company.id, **args)


def attention_list(rows: list[Any]) -> list[tuple[Any, Any]]:
    """(row, store-day) for every store-day needing someone across companies, oldest first."""
    items = [(row, a) for row in rows for a in row.attention]
    return sorted(items, key=lambda pair: (pair[1].day, pair[0].company.name, pair[1].store_code))
