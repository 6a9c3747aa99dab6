"""Evidence pages: each register's Z-chain with its breaks, the month's VAT tie-out, SIE 4."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Response, abort, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlmodel import select

from app.audit.service import record
from app.auth.scoping import EDITORS, READERS, company_for, visible_store_ids
from app.companies.models import Company, Store
from app.db import get_session
from app.evidence import breaks, sie, sie_export, texts, tieout
from app.evidence.strips import strips
from app.fortnox.errors import FortnoxError
from app.render import render

bp = Blueprint("evidence", __name__, url_prefix="/c/<int:company_id>/evidence")


def _month(text: str | None) -> tuple[date, str]:
    """The month asked for (this month when none), and what to fix when the text is no month."""
    if not text:
        return date.today().replace(day=1), ""
    month = tieout.parse_month(text)
    if month is None:
        return date.today().replace(day=1), _("“%(sent)s” is not a month; write it as YYYY-MM, "
                                              "e.g. 2026-11.", sent=text[:20])  # fmt: skip
    return month, ""


def _nav(month: date, error: str) -> dict[str, Any]:
    """The month, its neighbours and the tabs, as every evidence page shows them."""
    prev = (month.replace(day=1) - date.resolution).replace(day=1)
    nxt = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return {
        "month": month,
        "prev": prev.strftime("%Y-%m"),
        "next": nxt.strftime("%Y-%m"),
        "month_error": error,
        "can_read_books": g.membership.role in READERS,
        "texts": texts,
    }


def _stores(company: Company) -> set[str] | None:
    """The POS ids of the stores the user may see (None: all of them)."""
    session = get_session()
    visible = visible_store_ids(session, current_user, company)
    if visible is None:
        return None
    rows = session.exec(select(Store).where(Store.company_id == company.id)).all()
    return {s.store_id for s in rows if s.id in visible}


def _chain_page(company: Company, month: date, error: str = "", **extra: Any) -> Response:
    """The chain page (or, to htmx, its fragment) for month."""
    lo, hi = tieout.bounds(month)
    links, found = breaks.chain(get_session(), company.id or 0, lo, hi, _stores(company))
    return render(
        "evidence/chain.html",
        "evidence/_chain.html",
        status=extra.pop("status", 200),
        company=company,
        strips=strips(links, found, lo),
        findings=found,
        can_explain=g.membership.role in EDITORS,
        **_nav(month, error),
        **extra,
    )


@bp.get("/chain")
@login_required
def chain(company_id: int) -> Response:
    """Each register's Z-chain of the month, its breaks and their explanations."""
    company = company_for(get_session(), current_user, company_id)
    month, error = _month(request.args.get("month"))
    return _chain_page(company, month, error, status=422 if error else 200)


@bp.post("/chain/explain")
@login_required
def explain(company_id: int) -> Response:
    """An accountant marks a break explained, with a comment (audited)."""
    session = get_session()
    company = company_for(session, current_user, company_id, *EDITORS)
    month, error = _month(request.form.get("month"))
    if error:
        abort(404)
    lo, hi = tieout.bounds(month)
    key = request.form.get("key", "")
    found = {f.brk.key: f for f in breaks.findings(session, company.id or 0, lo, hi)}
    if key not in found:
        abort(404)
    comment = request.form.get("comment", "").strip()[:2000]
    if not comment:
        why = _("Write a comment: what you checked, and why the break is in order.")
        return _chain_page(company, month, refused={key: why}, status=422)
    breaks.explain(session, company_id=company.id or 0, brk=found[key].brk, comment=comment,
                   user=current_user)  # fmt: skip
    session.commit()
    at = url_for(".chain", company_id=company_id, month=month.strftime("%Y-%m"))
    return redirect(f"{at}#{texts.anchor(found[key].brk)}", code=303)


def _vat_page(company: Company, month: date, error: str = "", status: int = 200) -> Response:
    """The VAT page (or, to htmx, its fragment) for month, as last read from Fortnox."""
    kept = tieout.last(get_session(), company.id or 0, month)
    return render(
        "evidence/vat.html",
        "evidence/_vat.html",
        status=status,
        company=company,
        kept=kept,
        result=kept.result if kept else None,
        can_run=g.membership.role in EDITORS,
        **_nav(month, error),
    )


@bp.get("/vat")
@login_required
def vat(company_id: int) -> Response:
    """The month's VAT tie-out per rate, as last read from Fortnox."""
    company = company_for(get_session(), current_user, company_id, *READERS)
    month, error = _month(request.args.get("month"))
    return _vat_page(company, month, error, 422 if error else 200)


@bp.post("/vat")
@login_required
def vat_run(company_id: int) -> Response:
    """Read Fortnox for the month and tie its VAT out again."""
    session = get_session()
    company = company_for(session, current_user, company_id, *EDITORS)
    month, error = _month(request.form.get("month"))
    if error:
        return _vat_page(company, month, error, 422)
    try:
        tieout.run(session, company, month, current_user)
    except FortnoxError as err:
        session.rollback()
        why = _("Fortnox could not be read, so the tie-out was not run: %(why)s", why=str(err))
        return _vat_page(company, month, why, 503)
    session.commit()
    return redirect(url_for(".vat", company_id=company_id, month=month.strftime("%Y-%m")), 303)


@bp.get("/sie")
@login_required
def sie_file(company_id: int) -> Response:
    """The month's vouchers as Kassabok posted them, as an SIE 4 file (audited download)."""
    session = get_session()
    company = company_for(session, current_user, company_id, *READERS)
    month, error = _month(request.args.get("month"))
    if error:
        abort(404)
    lo, hi = tieout.bounds(month)
    body = sie.write(sie_export.book(session, company, lo, hi))
    name = f"kassabok-{company.orgnr}-{month.strftime('%Y-%m')}.se"
    record(session, action="evidence.sie_downloaded", company_id=company.id, user=current_user,
           target=f"sie:{month.strftime('%Y-%m')}", detail={"file": name})  # fmt: skip
    session.commit()
    response = Response(body, headers={"Content-Type": "text/plain; charset=IBM437"})
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
