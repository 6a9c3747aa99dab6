"""Closures for the evidence tests: one register's day, with its grand totals if given."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

CENT = Decimal("0.01")


def day(
    z: int,
    when: str,
    sales: str = "1000.00",
    returns: str = "0.00",
    gt: tuple[str, str] | None = None,
    *,
    store: str = "S12",
    register: str = "R1",
    closure_id: str | None = None,
) -> dict[str, Any]:
    """A balanced closure: FOOD at 12 % for sales (and a return line), paid by card."""
    gross, back = Decimal(sales), Decimal(returns)
    lines = [_line(gross)] + ([_line(-back)] if back else [])
    total = gross - back
    payload: dict[str, Any] = {
        "schema": "kassabok.closure/1",
        "closure_id": closure_id or f"pos:{store}:{register}:Z{z}",
        "store_id": store,
        "register_id": register,
        "z_number": z,
        "business_date": when,
        "closed_at": f"{when}T18:00:00+01:00",
        "currency": "SEK",
        "sales": lines,
        "payments": [{"method": "CARD", "amount": f"{total:.2f}"}],
    }
    if gt is not None:
        payload["grand_total"] = {"sales": gt[0], "returns": gt[1]}
    return payload


def _line(gross: Decimal) -> dict[str, str]:
    """A FOOD line at 12 % of gross, net and VAT to the öre."""
    net = (gross / Decimal("1.12")).quantize(CENT)
    return {
        "product_group": "FOOD",
        "vat_rate": "12",
        "net": f"{net:.2f}",
        "vat": f"{gross - net:.2f}",
        "gross": f"{gross:.2f}",
    }
