"""The conditions pre-flight checks, one function per group of lines."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from sqlmodel import Session, select

from app.companies.models import Company, Store
from app.fortnox import api, chart, orgnr
from app.fortnox.checks import Check
from app.fortnox.client import FortnoxClient
from app.fortnox.errors import AuthLost, FortnoxError, NeedsAction
from app.fortnox.models import FortnoxConnection
from app.mapping.models import MappingVersion

LICENCE_CODES = {2001101, 2001103}


def guard(checks: list[Check], key: str, step: Callable[[], list[Check]]) -> set[str]:
    """Run one group of checks; Fortnox's refusal becomes a red line; the scopes it lacked."""
    try:
        checks.extend(step())
    except AuthLost:
        raise
    except NeedsAction as err:
        if err.code in LICENCE_CODES or err.status == 403:
            return {key}
        checks.append(Check(f"unavailable:{key}", False, "unavailable", {"m": err.message}))
    except FortnoxError as err:
        checks.append(Check(f"unavailable:{key}", False, "unavailable", {"m": err.message}))
    return set()


def mapped_accounts(data: dict[str, Any]) -> dict[str, list[str]]:
    """Every account the mapping names, with the codes that use it."""
    uses: dict[str, list[str]] = {}
    for section in ("payment_methods", "sales", "vat", "other"):
        for code, number in sorted((data.get(section) or {}).items()):
            if number:
                label = f"{'VAT ' if section == 'vat' else ''}{code}"
                uses.setdefault(str(number), []).append(label)
    return dict(sorted(uses.items()))


def connection(
    client: FortnoxClient, company: Company, conn: FortnoxConnection | None
) -> list[Check]:
    """The token opens a Fortnox company: which one, and whether it has this company's orgnr."""
    info = api.company_information(client)
    params = {
        "name": info.get("CompanyName", ""),
        "orgnr": info.get("OrganizationNumber", ""),
        "database": str(info.get("DatabaseNumber") or ""),
    }
    return [Check("connection", True, "connection", params), orgnr.line(info, company, conn)]


def probe(client: FortnoxClient, path: str) -> list[Check]:
    """Touch a resource so a missing licence shows (it adds no line of its own)."""
    client.get(path, limit=1)
    return []


def stores(session: Session, company: Company, client: FortnoxClient) -> list[Check]:
    """Cost centers are usable and every store's exists and is active."""
    known = {str(c.get("Code")): c for c in api.list_cost_centers(client)}
    out = [Check("cost_centers", True, "cost_centers")]
    stores = session.exec(select(Store).where(Store.company_id == company.id)).all()
    for store in sorted(stores, key=lambda s: s.store_id):
        found = known.get(store.cost_center)
        problem = (
            "empty"
            if not store.cost_center
            else "missing"
            if found is None
            else ""
            if found.get("Active", True)
            else "inactive"
        )
        params = {"store": store.store_id, "code": store.cost_center, "problem": problem}
        out.append(Check(f"cost_center:{store.store_id}", not problem, "cost_center", params))
    return out


def accounts(session: Session, company: Company, client: FortnoxClient) -> list[Check]:
    """The mapping exists and every account it names is usable with a cost center."""
    latest = session.exec(
        select(MappingVersion)
        .where(MappingVersion.company_id == company.id)
        .order_by(MappingVersion.version.desc())  # type: ignore[attr-defined]
    ).first()
    if latest is None:
        return [Check("mapping", False, "mapping", {"problem": "none"})]
    out = [Check("mapping", True, "mapping", {"version": latest.version})]
    by_number = {a.number: a for a in chart.fetch(client, company.id or 0)}
    for number, uses in mapped_accounts(latest.data).items():
        account = by_number.get(number)
        problem = (
            "missing"
            if account is None
            else "inactive"
            if not account.active
            else "notallowed"
            if account.cost_center_settings == "NOTALLOWED"
            else ""
        )
        params = {"number": number, "uses": uses, "problem": problem}
        out.append(Check(f"account:{number}", not problem, "account", params))
    return out


def years(company: Company, client: FortnoxClient, dates: Iterable[date]) -> list[Check]:
    """A financial year for each date, and the series Manual in every open year."""
    years = api.financial_years(client)
    out = []
    for day in sorted(set(dates)):
        year = next((y for y in years if y["FromDate"] <= day.isoformat() <= y["ToDate"]), None)
        params = {"date": day.isoformat()}
        if year:
            params.update({"from": year["FromDate"], "to": year["ToDate"]})
        out.append(Check(f"year:{day.isoformat()}", year is not None, "year", params))
    first = min(dates).isoformat()
    open_years = [y for y in years if y["ToDate"] >= first]
    missing, manual_off = [], []
    for year in open_years:
        found = api.get_voucher_series(client, company.voucher_series, int(year["Id"]))
        label = f"{year['FromDate'][:4]}/{year['ToDate'][:4]}"
        if found is None:
            missing.append(label)
        elif not found.get("Manual"):
            manual_off.append(label)
    problem = "missing" if missing else "not_manual" if manual_off else ""
    params = {"code": company.voucher_series, "years": missing or manual_off, "problem": problem}
    out.append(Check("series", not problem, "series", params))
    return out


def locked(company: Company, client: FortnoxClient, dates: Iterable[date]) -> list[Check]:
    """Every date to post falls after the locked period."""
    end = api.locked_until(client)
    first = min(dates)
    ok = end is None or first > end
    params = {"end": end.isoformat() if end else None, "first": first.isoformat()}
    return [Check("locked", ok, "locked", params)]
