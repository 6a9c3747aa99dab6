"""CSV exports of the month grid and its exceptions: comma, dot decimals, UTF-8 with a BOM."""

from __future__ import annotations

from datetime import date

from flask import Response, abort, request
from flask_login import current_user, login_required
from sqlmodel import Session, select

from app.auth.scoping import company_for, visible_store_ids
from app.companies.models import Company, Store
from app.csvsafe import to_csv
from app.db import get_session
from app.reconcile.board import parse_month, shift
from app.reconcile.grid import month_grid
from app.reconcile.report import QUIET, closure_rows, day_rows
from app.reconcile.views import BASE, bp


def _codes(session: Session, company: Company, visible: set[int] | None) -> set[str] | None:
    """POS store ids of the visible stores (None: all)."""
    if visible is None:
        return None
    stores = session.exec(select(Store).where(Store.company_id == company.id)).all()
    return {s.store_id for s in stores if s.id in visible}


def _attachment(text: str, name: str) -> Response:
    response = Response(text, mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.get(BASE + "/export/<what>.csv")
@login_required
def export(company_id: int, what: str) -> Response:
    """The month's grid (one row per store-day) or its exceptions (one row per closure)."""
    session = get_session()
    company = company_for(session, current_user, company_id)
    visible = visible_store_ids(session, current_user, company)
    month = parse_month(request.args.get("month"))
    last = date.fromordinal(shift(month, 1).toordinal() - 1)
    stamp = f"{company.orgnr}-{month:%Y-%m}"
    if what == "grid":
        grid = month_grid(session, company, visible, month)
        rows = [
            [
                code,
                name,
                day.isoformat(),
                cell.status,
                cell.closures,
                f"{cell.pos_total:.2f}",
                f"{cell.fortnox_total:.2f}",
                "yes" if cell.reviewed else "",
            ]
            for code, name, _pk in grid.stores
            for day in grid.days
            if (cell := grid.cell(code, day)).closures
        ]
        header = ["store", "name", "date", "status", "closures", "pos_total", "fortnox_total"]
        return _attachment(to_csv([*header, "reviewed"], rows), f"grid-{stamp}.csv")
    if what != "exceptions":
        abort(404)
    rows = []
    for r in closure_rows(session, company.id or 0, month, last, visible):
        if r["status"] in QUIET:
            continue
        accounts = "; ".join(
            f"{d['account']} {d['expected_debit']}/{d['expected_credit']}"
            f" -> {d['actual_debit']}/{d['actual_credit']}"
            for d in r["differences"]
        )
        rows.append(
            [
                r["store"],
                r["date"],
                r["closure_id"],
                r["revision"],
                r["z_number"],
                r["status"],
                r["reason"],
                r["voucher"],
                " ".join(r["duplicates"]),
                accounts,
            ]
        )
    for d in day_rows(session, company.id or 0, month, last, _codes(session, company, visible)):
        listed = {(r[0], r[1]) for r in rows}
        if d["differences"] and (d["store"], d["date"]) not in listed:
            accounts = "; ".join(
                f"{x['account']} {x['expected']} -> {x['actual']}" for x in d["differences"]
            )
            reason = d["reason"] or "Fortnox holds other amounts on the store's cost center."
            reason = f"store-day: {reason}"
            rows.append([d["store"], d["date"], "", "", "", "mismatch", reason, "", "", accounts])
    rows.sort(key=lambda r: (r[1], r[0]))
    header = ["store", "date", "closure_id", "revision", "z_number", "status", "reason"]
    header += ["voucher", "duplicates", "differences (debit/credit expected -> actual)"]
    return _attachment(to_csv(header, rows), f"exceptions-{stamp}.csv")
