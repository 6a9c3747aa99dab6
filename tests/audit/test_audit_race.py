"""Appends from transactions racing each other still form one unbroken chain."""

from __future__ import annotations

import threading

from flask import Flask
from sqlmodel import Session, select

from app.audit.models import AuditEvent
from app.audit.service import GENESIS, record, verify
from tests.factories import make_company

WRITERS = 6
EACH = 5


def test_racing_appends_chain_each_to_its_own_predecessor(app: Flask, session: Session) -> None:
    """Six sessions append at once, each transaction slow after its append: no fork, no gap."""
    from app.db import make_engine

    company = make_company(session)
    session.commit()
    engine = make_engine(app.config["DATABASE_URL"])
    barrier = threading.Barrier(WRITERS)
    failures: list[BaseException] = []

    def write(n: int) -> None:
        try:
            with app.app_context(), Session(engine, expire_on_commit=False) as own:
                barrier.wait()
                for i in range(EACH):
                    record(own, action="x", company_id=company.id, target=f"{n}.{i}")
                    own.exec(select(AuditEvent.id).limit(1)).all()  # more work before commit
                    own.commit()
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            failures.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not failures
    session.expire_all()
    events = session.exec(select(AuditEvent).order_by(AuditEvent.id)).all()  # type: ignore[arg-type]
    mine = [e for e in events if e.action == "x"]
    assert len(mine) == WRITERS * EACH
    prevs = [e.prev_hash for e in events]
    assert len(set(prevs)) == len(prevs), "two events chained to the same predecessor"
    assert prevs[0] == GENESIS or events[0].action != "x"
    report = verify(session)
    assert report.ok and report.checked == len(events), report
