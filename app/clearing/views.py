"""The "money arrived" page: per store and day what reached the bank, each account's month."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import Response, abort, redirect, request, url_for
from flask_login import current_user, login_required
from sqlmodel import Session, col, select

from app.auth.scoping import EDITORS, company_for, role_in, visible_stores
from app.bank.models import BankEntry, SettlementLine
from app.clearing.blueprint import bp
from app.clearing.facts import CASH, DayStatus
from app.clearing.holidays import swedish_today
from app.clearing.models import ClearingDay, ClearingPayout
from app.clearing.read import as_of, day_rows, roll_forwards, stored, unmatched_credits
from app.clearing.service import DecisionRefused, decide, refresh_if_stale
from app.companies.models import Company
from app.db import get_session
from app.render import render

PAGE = "/c/<int:company_id>/clearing"


def _month(text: str | None) -> tuple[date, date]:
    """The month asked for as YYYY-MM (this month when absent or unreadable): first, last day."""
    try:
        first = date.fromisoformat(f"{text}-01") if text else swedish_today().replace(day=1)
    except ValueError:
        first = swedish_today().replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return first, last


def _grid(rows: list[ClearingDay]) -> tuple[list[str], list[dict[str, Any]]]:
    """The methods (columns) and one row per store-day with each method's day."""
    methods = sorted({r.method for r in rows}, key=lambda m: (m == CASH, m))
    cells: dict[tuple[str, date], dict[str, ClearingDay]] = {}
    for r in rows:
        cells.setdefault((r.store_code, r.business_date), {})[r.method] = r
    return methods, [{"store": s, "day": d, "cells": c} for (s, d), c in cells.items()]


def _context(session: Session, company: Company, lo: date, hi: date) -> dict[str, Any]:
    """What the page shows to the user's role: everything, or a store manager's cash."""
    role = role_in(session, current_user, company)
    today = swedish_today()
    stores = visible_stores(session, current_user, company)
    codes = {s.store_id for s in stores}
    manager = role not in (*EDITORS, "auditor")
    chosen = request.args.get("store", "")
    asked = {chosen} & codes if chosen else codes
    if manager:
        rows = [
            r
            for r in day_rows(session, company.id or 0, lo, hi, asked, {CASH})
            if r.status != DayStatus.SETTLED
        ]
        accounts, credits = [], []
    else:
        rows = day_rows(session, company.id or 0, lo, hi, asked)
        days, payouts = stored(session, company.id or 0)
        accounts = roll_forwards(days, payouts, lo, hi, today)
        credits = unmatched_credits(session, company.id or 0, lo, hi)
    methods, grid = _grid(rows)
    return {
        "company": company,
        "lo": lo,
        "hi": hi,
        "as_of": as_of(hi, today),
        "future": lo > today,
        "stores": stores,
        "store": chosen,
        "manager": manager,
        "can_match": role in EDITORS,
        "methods": methods,
        "grid": grid,
        "accounts": accounts,
        "credits": credits,
        "prev": (lo - timedelta(days=1)).strftime("%Y-%m"),
        "next": (hi + timedelta(days=1)).strftime("%Y-%m"),
        "open_payouts": _open_payouts(session, company.id or 0) if not manager else [],
    }


def _open_payouts(session: Session, company_id: int) -> list[ClearingPayout]:
    """Payouts the bank has not shown (what an accountant may match a credit to)."""
    query = select(ClearingPayout).where(
        ClearingPayout.company_id == company_id,
        ClearingPayout.kind == "payout",
        ClearingPayout.how == "",
    )
    return list(session.exec(query.order_by(ClearingPayout.reference)))


@bp.get(PAGE)
@login_required
def index(company_id: int) -> Response:
    """Money arrived: per store and day each method's status, and the month's roll-forwards."""
    session = get_session()
    company = company_for(session, current_user, company_id)
    refresh_if_stale(session, company.id or 0, swedish_today())
    lo, hi = _month(request.args.get("month"))
    return render(
        "clearing/index.html", "clearing/_month.html", **_context(session, company, lo, hi)
    )


@bp.get(f"{PAGE}/day/<store>/<day>/<method>")
@login_required
def day_detail(company_id: int, store: str, day: str, method: str) -> Response:
    """One store-day-method: its closures, settlement lines, payouts and bank entries."""
    session = get_session()
    company = company_for(session, current_user, company_id)
    codes = {s.store_id for s in visible_stores(session, current_user, company)}
    role = role_in(session, current_user, company)
    if store not in codes or (role not in (*EDITORS, "auditor") and method != CASH):
        abort(404)
    try:
        when = date.fromisoformat(day)
    except ValueError:
        abort(404)
    row = session.exec(
        select(ClearingDay).where(
            ClearingDay.company_id == company_id,
            ClearingDay.store_code == store,
            ClearingDay.business_date == when,
            ClearingDay.method == method,
        )
    ).first()
    if row is None:
        abort(404)
    lines = session.exec(select(SettlementLine).where(col(SettlementLine.id).in_(row.line_ids)))
    entries = session.exec(select(BankEntry).where(col(BankEntry.id).in_(row.entry_ids)))
    refs = [ref for ref, _g in row.payouts if ref]
    payouts = session.exec(
        select(ClearingPayout).where(
            ClearingPayout.company_id == company_id, col(ClearingPayout.reference).in_(refs)
        )
    )
    return render(
        "clearing/day.html",
        "clearing/_day.html",
        company=company,
        row=row,
        lines=list(lines),
        entries=list(entries),
        payouts=list(payouts),
    )


@bp.post(f"{PAGE}/entries/<int:entry_id>")
@login_required
def match_entry(company_id: int, entry_id: int) -> Response:
    """An accountant matches a bank credit to a payout or a store's deposit, or unmatches it."""
    session = get_session()
    company = company_for(session, current_user, company_id, *EDITORS)
    target = request.form.get("target", "")
    kind, _sep, reference = target.partition(":")
    action = request.form.get("action", "match")
    try:
        decide(
            session,
            company_id=company.id or 0,
            entry_id=entry_id,
            action=action,
            user=current_user,
            kind=kind,
            reference=reference,
            note=request.form.get("note", ""),
        )
    except DecisionRefused as refused:
        session.rollback()
        lo, hi = _month(request.form.get("month"))
        ctx = _context(session, company, lo, hi)
        return render(
            "clearing/index.html", "clearing/_month.html", status=422, error=str(refused), **ctx
        )
    session.commit()
    month = request.form.get("month", "")
    return redirect(url_for("clearing.index", company_id=company.id, month=month or None), 303)
