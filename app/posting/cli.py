"""`flask posting ...`: operators' levers on the posting engine (`python -m worker --sweep` too)."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlmodel import Session, select

from app.closures.models import Closure, ClosureState
from app.companies.models import Company
from app.db import get_session
from app.posting import reasons

cli = AppGroup("posting", help="Post closures to Fortnox, retry, correct.")
S = ClosureState


def _company(session: Session, orgnr: str) -> Company:
    company = session.exec(select(Company).where(Company.orgnr == orgnr)).first()
    if company is None:
        raise click.UsageError(f"No company has organisation number {orgnr}.")
    return company


def _closures(session: Session, company: Company, pk: int | None, states: tuple) -> list[Closure]:
    query = select(Closure).where(Closure.company_id == company.id)
    if pk is not None:
        query = query.where(Closure.id == pk)
    else:
        query = query.where(Closure.state.in_(states), Closure.is_latest.is_(True))  # type: ignore[attr-defined]
    return list(session.exec(query.order_by(Closure.id)).all())  # type: ignore[arg-type]


def _report(closures: list[Closure]) -> None:
    for c in closures:
        voucher = f" {c.voucher_series} {c.voucher_number}" if c.voucher_number else ""
        click.echo(f"{c.id}\tZ{c.z_number} {c.store_code} {c.business_date}\t{c.state}{voucher}")
        if c.state_reason and c.state not in (S.POSTED, S.QUEUED):
            click.echo("\t" + reasons.english(c.state_reason).replace("\n", "\n\t"))


@cli.command("post")
@click.option("--company", "orgnr", required=True, help="Organisation number.")
@click.option("--closure", "pk", type=int, help="One closure (its id); default: all waiting.")
@click.option("--now", is_flag=True, help="Post in this process instead of via the worker.")
def post(orgnr: str, pk: int | None, now: bool) -> None:
    """Check and post waiting closures (received, held, awaiting approval): approves them."""
    from app.posting import engine, service

    session = get_session()
    company = _company(session, orgnr)
    closures = _closures(session, company, pk, (S.RECEIVED, S.HELD, S.AWAITING_APPROVAL))
    for closure in closures:
        service.admit(session, closure)
        if closure.state == S.AWAITING_APPROVAL:  # the command approves, on the audit trail
            service.approve(session, closure_pk=closure.id or 0, user=None)
    session.commit()
    if now:
        for closure in closures:
            while closure.state == S.QUEUED:  # a scheduled retry is done here at once
                engine.post_closure(session, closure.id or 0)
                session.refresh(closure)
    _report(closures)


@cli.command("retry")
@click.option("--company", "orgnr", required=True, help="Organisation number.")
@click.option("--closure", "pk", type=int, help="One closure (its id); default: all failed.")
def retry(orgnr: str, pk: int | None) -> None:
    """Queue failed (or the named held) closures again, as the Retry button does."""
    from app.posting import service

    session = get_session()
    company = _company(session, orgnr)
    closures = _closures(session, company, pk, (S.FAILED,))
    for closure in closures:
        service.retry(session, closure_pk=closure.id or 0, user=None)
    session.commit()
    _report(closures)


@cli.command("correct")
@click.option("--closure", "pk", type=int, required=True, help="The superseded or new revision.")
def correct(pk: int) -> None:
    """Reverse a superseded revision's voucher and post the new one (via the worker)."""
    from app.posting.revisions import request_correction

    session = get_session()
    outcome = request_correction(session, closure_pk=pk, user=None)
    session.commit()
    click.echo(outcome)
