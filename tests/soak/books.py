"""Read a sandbox tenant's books back: vouchers counted by the Kassabok key in their text."""

from __future__ import annotations

from collections import Counter

import httpx


def vouchers_by_key(http: httpx.Client) -> dict[str, int]:
    """How many vouchers carry each [KB:...] key, over every page of /3/vouchers."""
    found: Counter = Counter()
    page = 1
    while True:
        answer = http.get("/3/vouchers", params={"limit": 500, "page": page})
        answer.raise_for_status()
        body = answer.json()
        for voucher in body.get("Vouchers") or []:
            text = voucher.get("Description") or ""
            if "[KB:" in text:
                found[text[text.index("[KB:") + 1 : text.rindex("]")]] += 1
        if page >= int(body["MetaInformation"]["@TotalPages"]):
            return dict(found)
        page += 1
