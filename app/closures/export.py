"""The closures list as a table to export: its columns, and every row the filters keep."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _

from app.closures.figures import totals
from app.closures.models import Closure
from app.closures.statuses import status_words
from app.companies.models import Store
from app.exports import Column


def columns() -> list[Column]:
    """The export's columns, headed in the reader's language."""
    return [
        Column(_("Business day"), "date"),
        Column(_("Store")),
        Column(_("Store name")),
        Column(_("Register")),
        Column(_("Z number"), "integer"),
        Column(_("Closure id")),
        Column(_("Revision"), "integer"),
        Column(_("Status")),
        Column(_("Gross sales (SEK)"), "amount"),
        Column(_("VAT (SEK)"), "amount"),
        Column(_("Cash difference (SEK)"), "amount"),
        Column(_("Voucher")),
        Column(_("Received"), "datetime"),
    ]


def row(closure: Closure, store: Store | None, status: str, words: dict) -> list[object]:
    """One closure as the export's cells."""
    sums = totals(closure.payload)
    voucher = ""
    if closure.voucher_number is not None:
        voucher = f"{closure.voucher_series or ''} {closure.voucher_number}".strip()
    return [
        closure.business_date,
        closure.store_code,
        store.name if store else "",
        closure.register_id,
        closure.z_number,
        closure.closure_id,
        closure.revision,
        words.get(status, (status, ""))[0],
        sums.gross,
        sums.vat,
        sums.cash_difference,
        voucher,
        closure.received_at,
    ]


def table(
    rows: Sequence[tuple[Closure, Store | None, str]],
) -> tuple[list[Column], list[list[object]]]:
    """The columns and the rows of an export of the list."""
    words = status_words()
    return columns(), [row(c, s, status, words) for c, s, status in rows]
