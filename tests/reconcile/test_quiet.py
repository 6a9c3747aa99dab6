"""The board's shortcut never hides a break: a register it calls quiet has none in app/evidence's
reading, and the board's breaks are exactly the chain's, over random registers."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from sqlmodel import Session, col, select

from app.closures.models import Closure
from app.evidence import breaks
from app.reconcile.quiet import quiet
from app.reconcile.zchain import read
from tests.factories import make_company

LO, HI = date(2026, 3, 1), date(2026, 3, 31)


def rand() -> str:
    """A fresh closure id's tail: the same Z under two ids is a repeat (of one content or two)."""
    return f"{random.random():.12f}"


def _closure(
    company_id: int, store: str, z: int, day: date, content: str, gt: Decimal | None
) -> Closure:
    sales = [{"gross": "100.00"}]
    return Closure(
        company_id=company_id, closure_id=f"{store}:R1:{z}:{rand()}", store_code=store,
        register_id="R1", z_number=z, business_date=day, payload={"sales": sales},
        payload_hash=content, grand_total_sales=gt, grand_total_returns=None if gt is None else 0,
    )  # fmt: skip


def _register(rng: random.Random, company_id: int, store: str) -> list[Closure]:
    """A register's Z-reports from mid-February to March's end, broken now and then."""
    z, day, total, out = rng.randint(1, 500), LO - timedelta(days=rng.choice((3, 15, 40))), 0, []
    with_totals = rng.random() < 0.25
    while day <= HI:
        roll = rng.random()
        z += 1 + (rng.random() < 0.012) * rng.randint(1, 3)  # now and then a gap
        total += 100 + (roll < 0.01) * 7  # now and then a jump
        gt = Decimal(total) if with_totals else None
        out.append(_closure(company_id, store, z, day, "a", gt))
        if roll > 0.99:  # the same Z again, the same or other content
            out.append(_closure(company_id, store, z, day, rng.choice("ab"), gt))
        day += timedelta(days=1 + (rng.random() < 0.05))
    return out


def test_a_quiet_register_has_no_break_and_the_board_finds_every_break(session: Session) -> None:
    rng = random.Random(16)
    company = make_company(session)
    stores = [f"S{n:02d}" for n in range(60)]
    for store in stores:
        session.add_all(_register(rng, company.id, store))
    session.commit()
    summed = quiet(session, company.id, LO, HI)
    everything = breaks.findings(session, company.id, LO, HI)
    broken = {f.brk.store for f in everything}
    calm = {store for (store, _r), z in summed.items() if z is not None}
    assert len(calm) >= 15 and len(broken) >= 10 and len(set(stores) - calm - broken) > 0
    assert not calm & broken  # quiet means no break
    for (store, _r), z in summed.items():
        during = [c.z_number for c in _zs(session, company.id, store)]
        assert z is None or z == (min(during), max(during))
    calm_read, _links, found = read(session, company.id, LO, HI, None)
    assert [f.brk for f in found] == [f.brk for f in everything]
    assert set(calm_read) <= {k for k, z in summed.items() if z is not None}
    assert quiet(session, company.id, LO, HI, {"S01"}).keys() <= {("S01", "R1")}


def _zs(session: Session, company_id: int, store: str) -> list[Closure]:
    query = select(Closure).where(
        Closure.company_id == company_id,
        Closure.store_code == store,
        col(Closure.business_date).between(LO, HI),
    )
    return list(session.exec(query))
