"""`flask seed closures`: a short demo against the sandbox shows every reconciliation status."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from flask import Flask
from sqlmodel import Session

from app import seed
from app.companies.models import Company
from app.evidence import breaks
from app.queue import get_queue
from app.reconcile.facts import STATUSES
from tests.sandbox_fixtures import point_app_at


def demo_company(app: Flask, session: Session, sandbox: Any) -> Company:
    """The demo company, seeded, with its tenant in a fresh sandbox (call in an app context)."""
    sandbox.reset()
    point_app_at(app, sandbox)
    seed.demo(session)
    company = seed.service.find_company(session, orgnr=seed.DEMO_ORGNR)
    assert company is not None
    sandbox.create_tenant(company.name, company.orgnr, seed="bas")
    return company


def test_seeded_closures_show_every_status(app: Flask, session: Session, sandbox: Any) -> None:
    with app.app_context():
        company = demo_company(app, session, sandbox)
        counts = seed.seed_closures(session, company, sandbox.url, days=12)
        # every status but reviewed: a review is a person's word (the accountant's journey gives it)
        assert set(counts) == set(STATUSES) - {"reviewed"}, counts
        assert counts["matched"] > counts["pending"]
        # the seed posted in-process: no job is left for a worker to spend its first minutes on
        waiting = [j for j in get_queue("sync").job_ids if j.startswith("post-")]
        assert waiting == [], waiting[:5]
        # the Z-chain breaks twice, one break of each kind the grid marks (issue 16.2)
        days = seed.demo_days(date.today(), 12)
        found = breaks.findings(session, company.id, days[0], days[-1])
        assert [(f.brk.store, f.brk.kind, f.brk.day, f.brk.amount) for f in found] == [
            ("S12", "grand_total_jump", days[-11], Decimal("1250.00")),
            ("S20", "z_gap", days[-10], Decimal("9875.00")),
        ]
        assert all(f.explained is None for f in found)
        # a second run leaves what is there alone
        assert seed.seed_closures(session, company, sandbox.url, days=12) == {}
