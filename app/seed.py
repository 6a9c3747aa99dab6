"""`flask seed demo`: a demo chain with stores and a user of every role (safe to run again)."""

from __future__ import annotations

import dataclasses
import json
import random
from contextlib import closing
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlparse

import click
import httpx
from flask import current_app
from flask.cli import AppGroup
from sqlmodel import Session, select

from app.auth.models import Role
from app.auth.service import find_user
from app.closures.models import Closure
from app.companies import members, service, tokens
from app.companies.models import Company, StoreBase
from app.db import get_session

cli = AppGroup("seed", help="Demo data.")

DEMO_PASSWORD = "kassabok-demo"
COMPANIES = (
    ("Café Centrum AB", "556677-8899"),
    ("Bageriet Norr AB", "559012-3450"),
)
STORES = {
    "556677-8899": (
        ("S12", "Café Centrum", "S12"),
        ("S14", "Café Hamnen", "S14"),
        ("S20", "Restaurang Torget", "S20"),
    ),
    "559012-3450": (("B01", "Bageriet Norr", "B01"),),
}
# (email, name, role, company orgnr, stores, locale): every role, and an agency accountant.
PEOPLE = (
    ("admin@demo.kassabok.se", "Anna Admin", Role.ADMIN, "556677-8899", (), "sv"),
    ("accountant@demo.kassabok.se", "Erik Ekonom", Role.ACCOUNTANT, "556677-8899", (), "sv"),
    ("accountant@demo.kassabok.se", "Erik Ekonom", Role.ACCOUNTANT, "559012-3450", (), "sv"),
    ("manager@demo.kassabok.se", "Maja Butik", Role.STORE_MANAGER, "556677-8899", ("S12",), "sv"),
    ("auditor@demo.kassabok.se", "Ada Revisor", Role.AUDITOR, "556677-8899", (), "en"),
    ("admin@demo.kassabok.se", "Anna Admin", Role.ADMIN, "559012-3450", (), "sv"),
)


def seed_companies(session: Session) -> dict[str, Company]:
    """The demo companies, with their settings."""
    out = {}
    for name, orgnr in COMPANIES:
        company = service.find_company(session, orgnr=orgnr)
        if company is None:
            company = service.create_company(session, name=name, orgnr=orgnr, actor=None)
            company.voucher_series = "K"
            company.start_date = date(2026, 1, 1)
            company.cash_threshold = Decimal("50.00")
            session.add(company)
        out[orgnr] = company
    return out


def seed_stores(session: Session, companies: dict[str, Company]) -> None:
    """The demo stores with their cost centers."""
    for orgnr, stores in STORES.items():
        company = companies[orgnr]
        for code, name, cost_center in stores:
            if service.find_store(session, company=company, store_id=code) is None:
                data = StoreBase(store_id=code, name=name, cost_center=cost_center)
                service.create_store(session, company=company, data=data, user=None)


def seed_people(session: Session, companies: dict[str, Company]) -> None:
    """A user of every role (the accountant and admin in both companies)."""
    for email, name, role, orgnr, codes, locale in PEOPLE:
        company = companies[orgnr]
        known = {m.user.email for m in members.members_of(session, company=company)}
        if email in known:
            continue
        ids = [service.find_store(session, company=company, store_id=c).id for c in codes]  # type: ignore[union-attr]
        members.add_member(
            session,
            company=company,
            email=email,
            role=role,
            store_ids=ids,  # type: ignore[arg-type]
            password=DEMO_PASSWORD,
            name=name,
        )
        user = find_user(session, email=email)
        if user is not None:
            user.locale = locale


def seed_token(session: Session, company: Company) -> str | None:
    """An API token for the POS, made only when the company has none (printed once)."""
    if tokens.tokens_of(session, company=company):
        return None
    _token, plain = tokens.create_token(session, company=company, name="Demo POS", user=None)
    return plain


def demo(session: Session) -> str | None:
    """Create whatever of the demo is missing; return a new API token, if one was made."""
    companies = seed_companies(session)
    seed_stores(session, companies)
    seed_people(session, companies)
    plain = seed_token(session, companies["556677-8899"])
    session.commit()
    return plain


@cli.command("demo")
def demo_command() -> None:
    """Seed the demo companies, stores and users (idempotent)."""
    plain = demo(get_session())
    click.echo(f"Demo data ready. Sign in with (password: {DEMO_PASSWORD}):")
    for email in dict.fromkeys(p[0] for p in PEOPLE):
        click.echo(f"  {email}")
    if plain:
        click.echo(f"POS API token for Café Centrum AB (shown once): {plain}")


# --- `flask seed closures`: two months of closures, posted to the sandbox, every status on show.

CENT = Decimal("0.01")
DEMO_ORGNR = "556677-8899"
VAT = {"25": Decimal("0.25"), "12": Decimal("0.12"), "6": Decimal("0.06")}
# Store: (register, first Z number, how busy compared with S12).
REGISTERS = {"S12": ("R1", 4100, 1.0), "S14": ("R1", 2200, 0.7), "S20": ("R2", 880, 1.6)}
OFFLINE_SCOPE = "bookkeeping costcenter companyinformation settings"


def demo_days(today: date, days: int | None = None) -> list[date]:
    """The seeded business days, oldest first: last month and this one up to yesterday."""
    end = today - timedelta(days=1)
    if days is not None:
        start = end - timedelta(days=days - 1)
    else:
        start = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def _money(value: Decimal) -> str:
    return f"{value.quantize(CENT):.2f}"


def demo_closure(store: str, z: int, day: date, rng: random.Random) -> dict[str, Any]:
    """A valid, ordinary day of one café register (deterministic for a given rng)."""
    register, _first, busy = REGISTERS.get(store, ("R1", 1, 1.0))
    weekend = day.weekday() >= 5
    scale = busy * (1.35 if weekend else 1.0)
    sales, gross_total = [], Decimal(0)
    groups = [("FOOD", "12", 4000, 14000), ("DRINKS", "25", 1500, 6000)]
    if rng.random() < 0.4:
        groups.append(("BOOKS", "6", 100, 900))
    for group, rate, low, high in groups:
        gross = Decimal(int(rng.randint(low, high) * scale))
        net = (gross / (1 + VAT[rate])).quantize(CENT)
        sales.append(
            {
                "product_group": group,
                "vat_rate": rate,
                "net": _money(net),
                "vat": _money(gross - net),
                "gross": _money(gross),
            }
        )
        gross_total += gross
    if rng.random() < 0.25:  # a return
        gross = Decimal(-rng.randint(30, 120))
        net = (gross / Decimal("1.12")).quantize(CENT)
        sales.append(
            {
                "product_group": "FOOD",
                "vat_rate": "12",
                "net": _money(net),
                "vat": _money(gross - net),
                "gross": _money(gross),
            }
        )
        gross_total += gross
    tips = Decimal(rng.randint(0, 40) * 5)
    card = (gross_total * Decimal(rng.randint(55, 75)) / 100).quantize(Decimal(1)) + tips
    swish = (gross_total * Decimal(rng.randint(8, 20)) / 100).quantize(Decimal(1))
    gift = Decimal(rng.choice((0, 0, 0, 100, 200)))
    cash = gross_total + tips - card - swish - gift
    counted = cash + Decimal(rng.choice((0, 0, 0, 0, -1, 1, -10, 5)))
    payments = [
        {"method": "CASH", "amount": _money(cash)},
        {"method": "CARD", "amount": _money(card)},
        {"method": "SWISH", "amount": _money(swish)},
    ]
    if gift:
        payments.append({"method": "GIFT_CARD", "amount": _money(gift)})
    stamp = day.isoformat()
    closure: dict[str, Any] = {
        "schema": "kassabok.closure/1",
        "closure_id": f"demo:{store}:{register}:Z{z}",
        "revision": 1,
        "store_id": store,
        "register_id": register,
        "z_number": z,
        "business_date": stamp,
        "opened_at": f"{stamp}T{'09' if weekend else '07'}:{rng.randint(0, 59):02d}:00+01:00",
        "closed_at": f"{stamp}T{rng.randint(17, 20)}:{rng.randint(0, 59):02d}:00+01:00",
        "currency": "SEK",
        "sales": sales,
        "payments": payments,
        "cash_count": {"expected": _money(cash), "counted": _money(counted)},
    }
    if tips:
        closure["tips"] = [{"method": "CARD", "amount": _money(tips)}]
    return closure


# The Z-chain's breaks, counted from the end (1 is yesterday): S20 skips a Z whose sales its grand
# total still counts; S12's grand total jumps by sales no Z-report brought.
CHAIN_BREAKS = {("S20", 10): "gap", ("S12", 11): "jump"}
UNSENT_SALES = {"gap": Decimal("9875.00"), "jump": Decimal("1250.00")}


def _grand_total_before(first_z: int) -> list[Decimal]:
    """A register's grand totals (sales, returns) before its first demo Z: years of trade."""
    return [Decimal(first_z) * 8750, Decimal(first_z) * 35]


def _grand_total(totals: list[Decimal], closure: dict[str, Any]) -> dict[str, str]:
    """The register's grand totals after closure (totals move on), as certified registers print."""
    from app.evidence.chain import day_totals

    sales, returns = day_totals(closure["sales"])
    totals[0] += sales
    totals[1] += returns
    return {"sales": _money(totals[0]), "returns": _money(totals[1])}


def _with_amex(closure: dict[str, Any]) -> dict[str, Any]:
    """The same day with part of the card takings on AMEX, which the mapping lacks."""
    payments = closure["payments"]
    card = next(p for p in payments if p["method"] == "CARD")
    amex = Decimal("1240.00")
    card["amount"] = _money(Decimal(card["amount"]) - amex)
    payments.append({"method": "AMEX", "amount": _money(amex)})
    return closure


def _with_cash_gap(closure: dict[str, Any], gap: Decimal) -> dict[str, Any]:
    """The same day with the counted cash off by gap."""
    count = closure["cash_count"]
    count["counted"] = _money(Decimal(count["expected"]) + gap)
    return closure


def _sandbox_call(base: str, method: str, path: str, **kwargs: Any) -> Any:
    with httpx.Client(timeout=30) as http:
        response = http.request(method, f"{base}/_sandbox{path}", **kwargs)
        response.raise_for_status()
        return response.json() if response.content else None


def sandbox_tenant(base: str, orgnr: str) -> int:
    """The sandbox tenant of a company (scripts/sandbox_tenants.py made it)."""
    listed = _sandbox_call(base, "GET", "/tenants")
    tenants = listed.get("tenants", listed) if isinstance(listed, dict) else listed
    for tenant in tenants or []:
        if isinstance(tenant, dict) and tenant.get("orgnr") == orgnr:
            return int(tenant["id"])
    raise LookupError(f"no sandbox tenant for {orgnr}")


def issue_tokens(base: str, client_id: str, secret: str, tenant: int, scope: str) -> dict:
    """The sandbox's consent, code and token exchange, done over HTTP without a browser."""
    params = {
        "client_id": client_id,
        "response_type": "code",
        "scope": scope,
        "state": "kassabok-demo",
        "access_type": "offline",
    }
    with httpx.Client(timeout=30) as http:
        http.get(f"{base}/oauth-v1/auth", params=params).raise_for_status()
        answer = http.post(
            f"{base}/oauth-v1/auth",
            params=params,
            data={"tenant": str(tenant), "decision": "approve"},
        )
        query = parse_qs(urlparse(answer.headers.get("location", "")).query)
        if answer.status_code != 302 or "code" not in query:
            raise RuntimeError(f"sandbox consent failed: {answer.status_code}")
        form = {"grant_type": "authorization_code", "code": query["code"][0]}
        response = http.post(f"{base}/oauth-v1/token", data=form, auth=(client_id, secret))
        response.raise_for_status()
        return response.json()


def connect_demo(session: Session, company: Company, base: str) -> int:
    """Authorize Kassabok for the sandbox tenant; store the pair as the callback does."""
    from app.db import utcnow
    from app.fortnox import tokens as fortnox_tokens
    from app.fortnox import weblinks
    from app.fortnox.models import FortnoxConnection
    from app.fortnox.oauth import required_scopes

    cfg = current_app.config
    tenant = sandbox_tenant(base, company.orgnr)
    scope = " ".join(required_scopes(company))
    pair = issue_tokens(base, cfg["FORTNOX_CLIENT_ID"], cfg["FORTNOX_CLIENT_SECRET"], tenant, scope)
    conn = fortnox_tokens.connection(session, company.id or 0) or FortnoxConnection(
        company_id=company.id
    )
    fortnox_tokens.store_pair(conn, pair)
    conn.scope = pair.get("scope") or scope
    conn.database_number = str(tenant)
    # Voucher links open the sandbox's web pages: its address kept as an admin pastes it.
    listed = _sandbox_call(base, "GET", "/tenants").get("tenants", [])
    spaces = [t.get("workspace", "") for t in listed if t.get("id") == tenant]
    weblinks.remember(conn, spaces[0] if spaces else "")
    conn.fortnox_name = company.name
    conn.fortnox_orgnr = company.orgnr
    conn.connected_at = utcnow()
    session.add(conn)
    session.commit()
    ensure_series(session, company)
    return tenant


def ensure_series(session: Session, company: Company) -> None:
    """Create the company's voucher series in Fortnox, as its accountant would once."""
    from app.fortnox import api

    with closing(api.client_for(session, company.id or 0)) as client:
        listed = client.get("voucherseries").get("VoucherSeriesCollection") or []
        if company.voucher_series not in {s.get("Code") for s in listed}:
            body = {"Code": company.voucher_series, "Description": "Dagskassor", "Manual": True}
            client.post("voucherseries", {"VoucherSeries": body})


def _receive(session: Session, company: Company, payload: dict[str, Any]) -> Closure:
    from app.closures.ingest import ingest

    result = ingest(
        session,
        company=company,
        raw=json.dumps(payload).encode(),
        source="api",
        content_type="application/json",
        actor="demo POS",
    )
    if result.closure is None:
        raise RuntimeError(f"demo closure refused: {result.errors}")
    session.commit()
    return result.closure


def _post(session: Session, closure: Closure) -> str:
    from app.posting import engine

    session.refresh(closure)
    outcome = engine.post_closure(session, closure.id or 0)
    session.refresh(closure)
    return outcome


def _fail(session: Session, closure: Closure, base: str) -> None:
    """Post while Fortnox answers 503 to everything, with one attempt allowed: failed."""
    cfg = current_app.config
    before = cfg.get("POSTING_MAX_ATTEMPTS")
    cfg["POSTING_MAX_ATTEMPTS"] = 1
    _sandbox_call(base, "POST", "/faults", json={"rate": 1.0, "kinds": ["503"], "seed": 1})
    try:
        _post(session, closure)
    finally:
        _sandbox_call(base, "POST", "/faults", json={"rate": 0, "kinds": [], "seed": 1})
        cfg["POSTING_MAX_ATTEMPTS"] = before


def _draft(session: Session, closure: Closure, company: Company) -> Any:
    from app.posting import checks

    plan = checks.plan(session, closure, company)
    assert plan.draft is not None, plan.holds
    return plan.draft


def _book_changed(session: Session, closure: Closure, company: Company) -> None:
    """Someone edited the voucher in Fortnox: same key, 100 kr moved from card to cash."""
    from app.fortnox import api
    from app.posting import state
    from app.posting.vouchers import financial_year, voucher_json

    draft = _draft(session, closure, company)
    rows = list(draft.rows)
    card = next(i for i, r in enumerate(rows) if r.account == "1580" and r.debit > 0)
    cash = next(i for i, r in enumerate(rows) if r.account == "1910" and r.debit > 0)
    shift = Decimal("100.00")
    rows[card] = dataclasses.replace(rows[card], debit=rows[card].debit - shift)
    rows[cash] = dataclasses.replace(rows[cash], debit=rows[cash].debit + shift)
    edited = dataclasses.replace(draft, rows=tuple(rows))
    with closing(api.client_for(session, company.id or 0)) as client:
        year = financial_year(client, draft.transaction_date)
        ref = api.create_voucher(client, voucher_json(edited), year)
    state.record_voucher(session, closure, (ref.series, int(ref.number), int(ref.year)))
    session.commit()


def _book_missing(session: Session, closure: Closure, year: int) -> None:
    """A voucher number recorded that Fortnox does not hold (deleted there, or mistyped)."""
    from app.posting import state

    state.record_voucher(session, closure, ("K", 9999, year))
    session.commit()


def _book_twice(base: str, tenant: int, session: Session, closure: Closure, company: Company):  # noqa: ANN202
    """The same store-day imported again by SIE into series A, without Kassabok's key."""
    draft = _draft(session, closure, company)
    lines = "\n".join(
        f'#TRANS {r.account} {{1 "{r.cost_center}"}} {r.debit - r.credit:.2f}'
        for r in draft.rows
        if r.debit or r.credit
    )
    day = closure.business_date.strftime("%Y%m%d")
    sie = (
        '#FLAGGA 0\n#FORMAT PC8\n#SIETYP 4\n#DIM 1 "Kostnadsställe"\n'
        f'#VER A "" {day} "Dagskassa {closure.store_code}"\n{{\n{lines}\n}}\n'
    )
    _sandbox_call(
        base, "POST", f"/tenants/{tenant}/sie", params={"series": "A"}, content=sie.encode("cp437")
    )


def seed_closures(
    session: Session,
    company: Company,
    base: str,
    *,
    today: date | None = None,
    days: int | None = None,
    seed: int = 2026,
) -> dict[str, int]:
    """Connect, map, ingest and post the demo closures, arrange every status, reconcile.

    Returns the closure counts per reconciliation status; empty when closures already exist.
    """
    from app.mapping.service import bas_default, save_mapping
    from app.reconcile.service import reconcile

    if session.exec(select(Closure.id).where(Closure.company_id == company.id)).first():
        return {}
    tenant = connect_demo(session, company, base)
    save_mapping(session, company=company, data=bas_default(), user=None, actor="demo seed")
    session.commit()

    rng = random.Random(seed)
    day_list = demo_days(today or date.today(), days)
    n = len(day_list)
    # Which store-day shows what (counted from the end: 1 is yesterday).
    special = {
        ("S12", 1): "pending",
        ("S14", 1): "pending",
        ("S14", 3): "held_amex",
        ("S20", 4): "held_cash",
        ("S12", 5): "failed",
        ("S14", 6): "mismatch",
        ("S20", 7): "missing",
        ("S12", 8): "duplicate",
        ("S14", 9): "superseded",
    }
    arranged: dict[str, Closure] = {}
    queued: list[Closure] = []
    totals = {store: _grand_total_before(first_z) for store, (_r, first_z, _b) in REGISTERS.items()}
    skipped = dict.fromkeys(REGISTERS, 0)
    for index, day in enumerate(day_list):
        back = n - index
        for store, (_register, first_z, _busy) in REGISTERS.items():
            # The Z-chain's two breaks (app/evidence/chain.py): a Z that never arrived, and sales
            # the register counted that no Z-report brought; each shows on the month's grid.
            unsent = CHAIN_BREAKS.get((store, back))
            if unsent == "gap":
                skipped[store] += 1
            payload = demo_closure(store, first_z + index + skipped[store], day, rng)
            if unsent:
                totals[store][0] += UNSENT_SALES[unsent]
            payload["grand_total"] = _grand_total(totals[store], payload)
            role = special.get((store, back), "")
            if role == "held_amex":
                payload = _with_amex(payload)
            elif role == "held_cash":
                payload = _with_cash_gap(payload, Decimal("-340.00"))
            company.approve_first = role == "pending"
            session.add(company)
            closure = _receive(session, company, payload)
            if role:
                arranged[role] = closure
            if closure.state == "queued" and role not in ("failed", "mismatch", "missing"):
                queued.append(closure)
    company.approve_first = False
    session.add(company)
    session.commit()

    for closure in queued:
        outcome = _post(session, closure)
        if outcome != "posted":
            raise RuntimeError(f"{closure.closure_id}: {outcome} {closure.state_reason}")
    year = next(c.voucher_year for c in queued if c.voucher_year is not None)
    _fail(session, arranged["failed"], base)
    _book_changed(session, arranged["mismatch"], company)
    _post(session, arranged["mismatch"])
    _book_missing(session, arranged["missing"], year)
    _post(session, arranged["missing"])
    _book_twice(base, tenant, session, arranged["duplicate"], company)
    old = arranged["superseded"]
    newer = {**old.payload, "revision": 2}
    newer["closed_at"] = newer["closed_at"][:11] + "21:15:00+01:00"  # a late correction
    _receive(session, company, newer)

    summary = reconcile(session, company.id or 0, day_list[0], day_list[-1])
    session.commit()
    _drop_settled_post_jobs(session, company)
    return dict(summary.closures)


def _drop_settled_post_jobs(session: Session, company: Company) -> None:
    """Delete the post jobs ingestion queued for closures the seed has already settled itself."""
    from rq.job import Job

    from app.posting.jobs import post_job_id
    from app.queue import get_queue

    closures = session.exec(select(Closure).where(Closure.company_id == company.id)).all()
    ids = [
        post_job_id(c.id or 0, version)
        for c in closures
        if c.state not in ("queued", "posting")
        for version in range(c.state_version + 1)
    ]
    # Without this a fresh worker spends its first minutes on hundreds of jobs with nothing to do.
    for job in Job.fetch_many(ids, connection=get_queue("sync").connection):
        if job is not None:
            job.delete()


@cli.command("closures")
@click.option("--sandbox", "base", default="http://127.0.0.1:8765", show_default=True)
@click.option(
    "--days", type=int, default=None, help="Days back from yesterday (default: two months)."
)
def closures_command(base: str, days: int | None) -> None:
    """Seed two months of closures for the demo company, posted to the sandbox (idempotent)."""
    session = get_session()
    company = service.find_company(session, orgnr=DEMO_ORGNR)
    if company is None:
        raise click.ClickException("Run `flask seed demo` first.")
    counts = seed_closures(session, company, base, days=days)
    if not counts:
        click.echo("Demo closures exist already; nothing seeded.")
    else:
        shown = ", ".join(f"{status} {count}" for status, count in sorted(counts.items()))
        click.echo(f"Demo closures for {company.name}: {shown}.")
    from app.seed_bank import seed_bank

    if seed_bank(session, company) is not None:
        click.echo("Demo bank: Adyen's settlement report and a camt.053 statement imported.")
