"""Pytest plugin: the Fortnox sandbox for the session, and a company connected to it per test.

Register with `pytest_plugins = ["tests.sandbox_fixtures"]`. `fortnox_company` resets the
sandbox, makes a seeded tenant (BAS chart, series A manual, cost centers S12/S14), a Kassabok
company with stores S12 and S14, points the app's FORTNOX_* settings at the sandbox and stores a
connected token pair, as if an admin had authorized Kassabok.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from flask import Flask
from sqlmodel import Session

from app.companies.models import Company, Store
from tests.factories import make_company, make_store

CLIENT_ID = "kassabok-test"
CLIENT_SECRET = "kassabok-test-secret"
# The tenant's own bookkeeper pokes Fortnox through another client: Fortnox counts the rate limit
# per client and tenant, so the test's own calls must not eat Kassabok's budget.
BOOKKEEPER = ("fortnox-bookkeeper", "fortnox-bookkeeper-secret", "http://localhost/bookkeeper")
PUBLIC_URL = "http://localhost"
SCOPE = "bookkeeping costcenter companyinformation settings archive connectfile"


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Any]:
    """The Fortnox sandbox in a subprocess, for the whole session."""
    from sandbox.testing import SandboxServer

    with SandboxServer() as server:
        yield server


def point_app_at(app: Flask, sandbox: Any, public_url: str = PUBLIC_URL) -> None:
    """Configure app to use the sandbox as Fortnox, with the test client registered there."""
    app.config.update(
        FORTNOX_CLIENT_ID=CLIENT_ID,
        FORTNOX_CLIENT_SECRET=CLIENT_SECRET,
        FORTNOX_AUTH_URL=sandbox.url,
        FORTNOX_API_URL=sandbox.url,
        FORTNOX_TIMEOUT=5.0,
        PUBLIC_URL=public_url,
    )
    sandbox.add_client(CLIENT_ID, CLIENT_SECRET, f"{public_url}/fortnox/callback")


@dataclass
class FortnoxCompany:
    """A Kassabok company connected to a sandbox tenant, and ways to poke the tenant."""

    company: Company
    stores: list[Store]
    tenant: int
    sandbox: Any
    admin_token: str = ""
    _http: httpx.Client | None = field(default=None, repr=False)

    def fortnox(self, method: str, path: str, body: dict | None = None, **params: Any) -> Any:
        """Call the sandbox's REST API as the tenant's own bookkeeper (not through Kassabok)."""
        if self._http is None:
            self._http = httpx.Client(base_url=self.sandbox.url, timeout=10)
        resp = self._http.request(
            method,
            f"/3/{path.lstrip('/')}",
            json=body,
            params=params,
            headers={"Authorization": f"Bearer {self.admin_token}", "Accept": "application/json"},
        )
        resp.raise_for_status()
        return resp.json() if resp.content else None


def connect_company(
    session: Session, company: Company, sandbox: Any, tenant: int, scope: str = SCOPE
) -> dict:
    """Store a token pair the sandbox issued, as the callback would have."""
    from app.db import utcnow
    from app.fortnox import tokens
    from app.fortnox.models import FortnoxConnection

    pair = sandbox.issue_tokens(CLIENT_ID, CLIENT_SECRET, tenant, scope)
    conn = tokens.connection(session, company.id or 0) or FortnoxConnection(company_id=company.id)
    tokens.store_pair(conn, pair)
    conn.scope = pair.get("scope") or scope
    conn.database_number = str(tenant)
    conn.fortnox_name = company.name
    conn.fortnox_orgnr = company.orgnr
    conn.connected_at = utcnow()
    session.add(conn)
    session.commit()
    return pair


@pytest.fixture
def fortnox_company(app: Flask, session: Session, sandbox: Any) -> Iterator[FortnoxCompany]:
    """A company with stores S12 and S14, connected to a fresh seeded sandbox tenant."""
    sandbox.reset()
    point_app_at(app, sandbox)
    company = make_company(session)
    stores = [
        make_store(session, company, "S12", "Café Centrum"),
        make_store(session, company, "S14", "Café Hamnen"),
    ]
    tenant = sandbox.create_tenant(company.name, company.orgnr, seed="bas")
    with app.app_context():
        connect_company(session, company, sandbox, tenant)
    sandbox.add_client(*BOOKKEEPER)
    admin = sandbox.issue_tokens(
        BOOKKEEPER[0], BOOKKEEPER[1], tenant, SCOPE + " customer invoice order"
    )
    made = FortnoxCompany(company, stores, tenant, sandbox, admin["access_token"])
    yield made
    if made._http is not None:
        made._http.close()
