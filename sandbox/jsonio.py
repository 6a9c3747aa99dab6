"""JSON in and out with exact decimals: money never passes through a float."""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from flask import Response

CENT = Decimal("0.01")


def loads(text: str | bytes) -> Any:
    """Parse JSON, reading every non-integer number as a Decimal."""
    return json.loads(text, parse_float=Decimal)


def _encode(obj: Any, out: list[str]) -> None:
    """Append the JSON text of obj to out."""
    if isinstance(obj, dict):
        out.append("{")
        for i, (key, value) in enumerate(obj.items()):
            out.append(("," if i else "") + json.dumps(str(key), ensure_ascii=False) + ":")
            _encode(value, out)
        out.append("}")
    elif isinstance(obj, list | tuple):
        out.append("[")
        for i, value in enumerate(obj):
            if i:
                out.append(",")
            _encode(value, out)
        out.append("]")
    elif isinstance(obj, Decimal):
        out.append(format(obj, "f"))
    else:
        out.append(json.dumps(obj, ensure_ascii=False))


def dumps(obj: Any) -> str:
    """JSON text of obj; Decimals become plain JSON numbers."""
    out: list[str] = []
    _encode(obj, out)
    return "".join(out)


def respond(obj: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """A JSON response the way Fortnox sends it."""
    return Response(
        dumps(obj), status=status, headers=headers, content_type="application/json; charset=utf-8"
    )


def money(value: Any) -> Decimal | None:
    """A JSON number or numeric string as a Decimal, or None if it is not one."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, Decimal | int):
        return Decimal(value)
    if isinstance(value, str) and value.strip():
        try:
            return Decimal(value.strip())
        except InvalidOperation:
            return None
    return None


def cents(value: Decimal) -> Decimal:
    """Round to öre, halves up."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)
