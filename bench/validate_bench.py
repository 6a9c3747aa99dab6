"""The worst closures under the body limit, each answered by POST /api/v1/closures: under 100 ms?

    .venv/bin/python bench/validate_bench.py [--repeat 5]

Hostile and maximal bodies, each grown to the limits (2 MiB, the value budget, the schema's array
caps) are sent through the app in this process on a scratch SQLite database and a private Redis:
the whole answer (token, parse, validation, keeping the refusal or storing the closure, commit).
Prints the median wall time and CPU time of each and the worst. Target: worst median < 100 ms.
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from _rig import ROOT

LIMIT = 2 * 1024 * 1024
TARGET_MS = 100.0


def bodies() -> dict[str, bytes]:
    """Name → body: every shape that used to cost time, as big as the limits let it be."""
    from app.closures.body import MAX_VALUES

    example: dict[str, Any] = json.loads(
        (ROOT / "tests" / "fixtures" / "closures" / "cafe-full-day.json").read_text()
    )
    line = example["invoice_sales"][0]["lines"][0]
    sale = example["invoice_sales"][0]

    def closure(**changes: Any) -> dict[str, Any]:
        payload = copy.deepcopy(example)
        payload.update(changes)
        return payload

    def dump(payload: object) -> bytes:
        return json.dumps(payload, ensure_ascii=False).encode()

    room = MAX_VALUES - 300  # what the example itself uses, with margin
    wrong = {key: 1 for key in line}  # every field of a line the wrong type
    made = {
        "empty payment lines (issue)": dump(closure(payments=[{}] * (room // 2))),
        "empty invoice lines, 500 a sale": dump(
            closure(invoice_sales=[dict(sale, lines=[{}] * 500)] * (room // 1010))
        ),
        "invoice lines all wrong": dump(
            closure(invoice_sales=[dict(sale, lines=[wrong] * 500)] * (room // 4010))
        ),
        "unknown fields": dump(closure(**{f"field{i}": 0 for i in range(room)})),
        "sales lines out of balance": dump(
            closure(sales=[dict(example["sales"][0], gross="1.00")] * 1000)
        ),
        "distinct payment methods": dump(
            closure(payments=[{"method": f"M{i}", "amount": "1.00"} for i in range(room // 2)])
        ),
        "valid, as many invoice lines as fit": dump(_valid(example, sale, line, room)),
        "long strings everywhere": dump(
            closure(sales=[{k: "9" * 4000 for k in example["sales"][0]}] * 100)
        ),
        "one 2 MiB closure_id": dump(closure(closure_id="x" * (LIMIT - 2000))),
        "deep nesting": b"[" * (LIMIT // 2 - 1) + b"]" * (LIMIT // 2 - 1),
        "a million values": b"[" + b"0," * (LIMIT // 2 - 2) + b"0]",
        "padding after a closure": dump(example) + b" " * (LIMIT - 2000),
        "huge integer": b'{"z_number": ' + b"9" * (LIMIT - 100) + b"}",
    }
    for name, raw in made.items():
        assert len(raw) <= LIMIT, (name, len(raw))
    return made


def _valid(example: dict, sale: dict, line: dict, room: int) -> dict:
    """A valid closure with as many invoice lines as the value budget lets in."""
    from decimal import Decimal

    per_sale = 100
    count = (room // 8 - 100) // per_sale * per_sale  # a line is 7 values and its object
    sales = [
        dict(sale, reference=f"R{n}", lines=[line] * per_sale) for n in range(count // per_sale)
    ]
    for s in sales:
        s.pop("tip", None)
    net = Decimal(line["net"]) * count
    vat = Decimal(line["vat"]) * count
    payload = copy.deepcopy(example)
    payload.update(
        sales=[{"product_group": "FOOD", "vat_rate": "12", "net": str(net), "vat": str(vat),
                "gross": str(net + vat)}],
        payments=[{"method": "INVOICE", "amount": str(net + vat)}],
        invoice_sales=sales,
    )  # fmt: skip
    for key in ("tips", "gift_cards_sold", "cash_count", "rounding"):
        payload.pop(key, None)
    return payload


def measure(repeat: int) -> list[tuple[str, int, int, float, float]]:
    """Each body sent `repeat` times: name, size, status, median wall ms, median CPU ms."""
    from sqlmodel import Session

    from app import create_app
    from app.db import make_engine
    from tests import dbs
    from tests.closures.ingest_support import make_token
    from tests.factories import make_company, make_store
    from tests.services import redis_server

    redis_url, stop = redis_server()
    rows = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{Path(tmp) / 'bench.db'}"
            dbs.migrate(url)
            app = create_app(
                {"ENV_NAME": "testing", "DATABASE_URL": url, "REDIS_URL": redis_url,
                 "REPORTS_DIR": tmp, "SYNC_SALES": False}
            )  # fmt: skip
            with Session(make_engine(url)) as s:
                company = make_company(s, "Bench AB", "556000-9998", sync_sales=False)
                make_store(s, company, "S12")
                token = make_token(s, company)
            client = app.test_client()
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
            for name, raw in bodies().items():
                walls, cpus, status = [], [], 0
                for n in range(repeat):
                    sent = raw.replace(b'"opn-7731', f'"{name[:8]}{n}'.encode(), 1)
                    wall, cpu = time.perf_counter(), time.process_time()
                    status = client.post("/api/v1/closures", data=sent, headers=headers).status_code
                    walls.append(1000 * (time.perf_counter() - wall))
                    cpus.append(1000 * (time.process_time() - cpu))
                median = statistics.median
                rows.append((name, len(raw), status, median(walls), median(cpus)))
    finally:
        stop()
    return rows


def main() -> int:
    """Send every body and print the figures; exit 1 when the worst misses the target."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rows = measure(args.repeat)
    for name, size, status, wall, cpu in rows:
        print(f"{name:34} {size / 1024:7.0f} KiB  {status}  wall {wall:6.1f} ms  CPU {cpu:6.1f} ms")
    name, _size, _status, wall, cpu = max(rows, key=lambda row: row[3])
    verdict = "OK" if wall < TARGET_MS else "MISSED"
    print(f"worst body under the limit: {name}, median {wall:.1f} ms wall, {cpu:.1f} ms CPU "
          f"({verdict} {TARGET_MS:.0f} ms)")  # fmt: skip
    return 0 if verdict == "OK" else 1


if __name__ == "__main__":
    raise SystemExit(main())
