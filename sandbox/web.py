"""Read-only pages: what an accountant sees of each company inside Fortnox."""

from __future__ import annotations

import hashlib
from decimal import Decimal

from flask import Blueprint, abort, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from sandbox import ledger, registers
from sandbox.store import current_store

bp = Blueprint("web", __name__)
TABS = ("vouchers", "invoices", "orders", "accounts")


@bp.app_template_global()
def workspace(tenant_id: int) -> str:
    """The tenant's id in web app paths: 32 hex digits like Fortnox's, the same on every run."""
    return hashlib.md5(f"fortnox-sandbox:{tenant_id}".encode(), usedforsecurity=False).hexdigest()


def _tenant_of(space: str) -> int:
    """The tenant whose workspace id this is, else 404."""
    for row in current_store().tenants():
        if workspace(row["id"]) == space.lower():
            return int(row["id"])
    abort(404)


@bp.get("/")
def index() -> str:
    """The companies of this sandbox."""
    return render_template("index.html", tenants=current_store().tenants())


@bp.get("/tenants/<int:tenant_id>")
@bp.get("/tenants/<int:tenant_id>/<tab>")
def tenant(tenant_id: int, tab: str = "vouchers") -> str:
    """A company's vouchers, invoices, orders or chart of accounts."""
    row = current_store().tenant(tenant_id)
    if row is None or tab not in TABS:
        abort(404)
    years = registers.financial_years(current_store(), tenant_id)
    chosen = request.args.get("year", type=int)
    year = next((y for y in years if y["Id"] == chosen), None) or registers.current_year(
        current_store(), tenant_id
    )
    context: dict = {"tenant": row, "tab": tab, "tabs": TABS, "years": years, "year": year}
    if tab == "vouchers":
        series = request.args.get("series") or None
        found = (
            ledger.vouchers(current_store(), tenant_id, year["Id"], series=series) if year else []
        )
        context.update(
            vouchers=found, series=current_store().docs(tenant_id, "series"), chosen=series
        )
    elif tab == "accounts":
        context["accounts"] = current_store().docs(tenant_id, "account")
    else:
        context["documents"] = current_store().docs(tenant_id, tab[:-1])
    return render_template(f"{tab}.html", **context)


@bp.get("/tenants/<int:tenant_id>/vouchers/<int:year_id>/<series>/<int:number>")
def voucher(tenant_id: int, year_id: int, series: str, number: int) -> str:
    """One voucher with its rows and totals."""
    row = current_store().tenant(tenant_id)
    found = current_store().get(tenant_id, "voucher", ledger.voucher_key(year_id, series, number))
    if row is None or found is None:
        abort(404)
    debit = sum(r["Debit"] for r in found["VoucherRows"])
    credit = sum(r["Credit"] for r in found["VoucherRows"])
    return render_template(
        "voucher.html",
        tenant=row,
        voucher=found,
        debit=debit,
        credit=credit,
        tab="vouchers",
        tabs=TABS,
    )


@bp.get("/tenants/<int:tenant_id>/<kind>/<number>")
def document(tenant_id: int, kind: str, number: str) -> str:
    """One invoice or order with its rows."""
    row = current_store().tenant(tenant_id)
    if row is None or kind not in ("invoices", "orders"):
        abort(404)
    found = current_store().get(tenant_id, kind[:-1], number)
    if found is None:
        abort(404)
    return render_template("document.html", tenant=row, doc=found, kind=kind, tab=kind, tabs=TABS)


@bp.app_template_filter("kr")
def kr(value: Decimal | int | None) -> str:
    """An amount the Swedish way: 12 890,03."""
    if value is None:
        return ""
    text = f"{Decimal(value):,.2f}"
    return text.replace(",", "\u00a0").replace(".", ",")


# Fortnox's own web app addresses, as Kassabok links to them (app/fortnox/weblinks.py).
@bp.get("/app/<space>/")
def lobby(space: str) -> Response:
    """A company's start page in the web app: its vouchers here."""
    return redirect(url_for("web.tenant", tenant_id=_tenant_of(space)))


@bp.get("/app/<space>/bf/voucher/<series>-<int:number>")
def app_voucher(space: str, series: str, number: int) -> str:
    """A voucher by series and number, in the current financial year as Fortnox preselects it."""
    tenant_id = _tenant_of(space)
    years = registers.financial_years(current_store(), tenant_id)
    current = registers.current_year(current_store(), tenant_id)
    # Fortnox shows the voucher of the chosen year; the sandbox tries the current year first.
    order = sorted(years, key=lambda y: (y != current, -y["Id"]))
    for year in order:
        key = ledger.voucher_key(year["Id"], series, number)
        if current_store().get(tenant_id, "voucher", key) is not None:
            return voucher(tenant_id, year["Id"], series, number)
    abort(404)


@bp.get("/app/<space>/kf/invoice/<number>")
def app_invoice(space: str, number: str) -> str:
    """An invoice by its document number."""
    return document(_tenant_of(space), "invoices", number)
