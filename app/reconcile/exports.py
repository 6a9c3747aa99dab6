"""The month grid and its exceptions as CSV or XLSX, in the reader's language (app/exports.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from flask import Response, abort, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlmodel import Session, col, select

from app.auth.scoping import company_for, visible_store_ids
from app.companies.models import Company, Store
from app.db import get_session
from app.exports import Column, attachment
from app.i18n import number
from app.posting import reasons
from app.reconcile.blueprint import BASE, bp
from app.reconcile.board import parse_month, shift
from app.reconcile.grid import month_grid
from app.reconcile.load import latest_closures
from app.reconcile.models import StoreDayCheck
from app.reconcile.report import QUIET, closure_rows, closure_statuses, day_rows
from app.reconcile.texts import STATUS_TEXT

Rows = list[list[Any]]


def _codes(session: Session, company: Company, visible: set[int] | None) -> set[str] | None:
    """POS store ids of the visible stores (None: all)."""
    if visible is None:
        return None
    stores = session.exec(select(Store).where(Store.company_id == company.id)).all()
    return {s.store_id for s in stores if s.id in visible}


def status_label(status: str) -> str:
    """A status in the reader's words, as the grid's legend names it."""
    return str(STATUS_TEXT[status][0]) if status in STATUS_TEXT else status


def said(stored: str) -> str:
    """A stored reason in the reader's language, on one line."""
    return " ".join(str(s) for s in reasons.render(stored or ""))


def _net(debit: Any, credit: Any = "0") -> str:
    return number(Decimal(str(debit or 0)) - Decimal(str(credit or 0)))


def _difference(account: str, expected: str, booked: str) -> str:
    return _(
        "%(account)s: expected %(expected)s, booked %(booked)s",
        account=account,
        expected=expected,
        booked=booked,
    )


@bp.get(BASE + "/export/<what>.csv", defaults={"fmt": "csv"})
@bp.get(BASE + "/export/<what>.<any(xlsx):fmt>")
@login_required
def export(company_id: int, what: str, fmt: str) -> Response:
    """The month's grid (one row per store-day) or its exceptions (one row per closure)."""
    session = get_session()
    company = company_for(session, current_user, company_id)
    visible = visible_store_ids(session, current_user, company)
    month = parse_month(request.args.get("month"))
    stamp = f"{company.orgnr}-{month:%Y-%m}"
    if what == "grid":
        columns, rows = _grid(session, company, visible, month)
    elif what == "exceptions":
        columns, rows = _exceptions(session, company, visible, month)
    else:
        abort(404)
    return attachment(columns, rows, f"{what}-{stamp}", fmt)


def _grid(
    session: Session, company: Company, visible: set[int] | None, month: date
) -> tuple[list[Column], Rows]:
    """One row per store-day with closures: status, counts and both totals."""
    grid = month_grid(session, company, visible, month)
    columns = [Column(_("Store")), Column(_("Name")), Column(_("Date"), "date")]
    columns += [Column(_("Status")), Column(_("Closures"), "integer")]
    columns += [Column(_("POS total"), "amount"), Column(_("Fortnox total"), "amount")]
    columns += [Column(_("Reviewed"))]
    rows = [
        [code, name, day, status_label(cell.status), cell.closures, cell.pos_total]
        + [cell.fortnox_total, _("yes") if cell.reviewed else ""]
        for code, name, _pk in grid.stores
        for day in grid.days
        if (cell := grid.cell(code, day)).closures
    ]
    return columns, rows


def _exceptions(
    session: Session, company: Company, visible: set[int] | None, month: date
) -> tuple[list[Column], Rows]:
    """Every closure that is not matched, and every store-day Fortnox disagrees with."""
    last = date.fromordinal(shift(month, 1).toordinal() - 1)
    cid = company.id or 0
    stored = _closure_reasons(session, cid, month, last, visible)
    rows: Rows = []
    for r in closure_rows(session, cid, month, last, visible):
        if r["status"] in QUIET:
            continue
        accounts = "; ".join(
            _difference(
                d["account"],
                _net(d["expected_debit"], d["expected_credit"]),
                _net(d["actual_debit"], d["actual_credit"]),
            )
            for d in r["differences"]
        )
        reason = said(stored.get((r["closure_id"], r["revision"]), ""))
        rows.append(
            [r["store"], r["date"], r["closure_id"], r["revision"], r["z_number"]]
            + [status_label(r["status"]), reason, r["voucher"], " ".join(r["duplicates"])]
            + [accounts]
        )
    listed = {(row[0], row[1]) for row in rows}
    days = _day_reasons(session, cid, month, last)
    for d in day_rows(session, cid, month, last, _codes(session, company, visible)):
        if d["differences"] and (d["store"], d["date"]) not in listed:
            accounts = "; ".join(
                _difference(x["account"], _net(x["expected"]), _net(x["actual"]))
                for x in d["differences"]
            )
            why = said(days.get((d["store"], d["date"]), "")) or _(
                "Fortnox holds other amounts on the store's cost center."
            )
            reason = _("Store-day: %(reason)s", reason=why)
            rows.append([d["store"], d["date"], "", None, "", status_label(d["status"]), reason])
            rows[-1] += ["", "", accounts]
    rows.sort(key=lambda row: (row[1], row[0]))
    columns = [Column(_("Store")), Column(_("Date"), "date"), Column(_("Closure"))]
    columns += [Column(_("Revision"), "integer"), Column(_("Z number")), Column(_("Status"))]
    columns += [Column(_("Reason")), Column(_("Voucher")), Column(_("Duplicates"))]
    columns += [Column(_("Differences per account (debit − credit)"))]
    return columns, rows


def _closure_reasons(
    session: Session, company_id: int, lo: date, hi: date, visible: set[int] | None
) -> dict[tuple[str, int], str]:
    """Each latest closure's stored reason (codes and details), by closure id and revision."""
    closures = latest_closures(session, company_id, lo, hi, visible)
    statuses = closure_statuses(session, closures)
    return {(c.closure_id, c.revision): statuses[c.id or 0][1] for c in closures}


def _day_reasons(session: Session, company_id: int, lo: date, hi: date) -> dict[tuple, str]:
    """Each checked store-day's stored reason, by store and ISO date."""
    checks = session.exec(
        select(StoreDayCheck).where(
            StoreDayCheck.company_id == company_id,
            col(StoreDayCheck.business_date).between(lo, hi),
        )
    ).all()
    return {
        (d.store_code, d.business_date.isoformat()): d.detail.get("reason") or "" for d in checks
    }
