"""Fixtures for the sandbox's own tests: an app on a temp dir and a Fortnox-speaking client."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from sandbox.app import create_app

CLIENT_ID, SECRET, REDIRECT = "kassabok", "s3cret", "http://localhost:5000/fortnox/callback"
ALL_SCOPES = "bookkeeping costcenter settings companyinformation customer invoice order"
TODAY = date.today().isoformat()


class Fortnox:
    """The Flask test client speaking OAuth, /3/ and /_sandbox/ like a real client would."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client
        self.token: str | None = None
        self.tenant = 0

    def create_tenant(self, name: str = "Café Centrum AB", orgnr: str = "556677-0001") -> int:
        """A seeded company."""
        response = self.client.post("/_sandbox/tenants", json={"name": name, "orgnr": orgnr})
        assert response.status_code == 201, response.data
        return response.json["id"]

    def auth_url(self, scope: str = ALL_SCOPES, **extra: str) -> str:
        """The authorize URL Kassabok would redirect the browser to."""
        params = {
            "client_id": CLIENT_ID,
            "response_type": "code",
            "scope": scope,
            "state": "st4te",
            "access_type": "offline",
            **extra,
        }
        return "/oauth-v1/auth?" + urlencode(params)

    def approve(self, tenant: int, scope: str = ALL_SCOPES, **extra: str) -> dict[str, str]:
        """Approve on the consent page; the query of the redirect back."""
        response = self.client.post(
            self.auth_url(scope, **extra), data={"tenant": tenant, "decision": "approve"}
        )
        assert response.status_code == 302, response.data
        return {k: v[0] for k, v in parse_qs(urlparse(response.location).query).items()}

    def token_request(self, secret: str = SECRET, **form: str) -> TestResponse:
        """POST /oauth-v1/token with Basic client auth."""
        basic = base64.b64encode(f"{CLIENT_ID}:{secret}".encode()).decode()
        return self.client.post(
            "/oauth-v1/token", data=form, headers={"Authorization": f"Basic {basic}"}
        )

    def connect(self, tenant: int, scope: str = ALL_SCOPES) -> dict[str, Any]:
        """The whole dance: consent, code, token pair; keeps the access token."""
        code = self.approve(tenant, scope)["code"]
        response = self.token_request(grant_type="authorization_code", code=code)
        assert response.status_code == 200, response.data
        self.token = response.json["access_token"]
        return response.json

    def call(
        self, method: str, path: str, json: Any = None, token: str | None = None
    ) -> TestResponse:
        """A /3/ request with the bearer token."""
        headers = {"Authorization": f"Bearer {token or self.token}"}
        return self.client.open(path, method=method, json=json, headers=headers)

    def get(self, path: str, **kw: Any) -> TestResponse:
        return self.call("GET", path, **kw)

    def post(self, path: str, json: Any = None, **kw: Any) -> TestResponse:
        return self.call("POST", path, json, **kw)

    def put(self, path: str, json: Any = None, **kw: Any) -> TestResponse:
        return self.call("PUT", path, json, **kw)


@pytest.fixture
def sandbox_app(tmp_path: Path) -> Iterator[Flask]:
    """A sandbox with Kassabok's client registered, on a fresh data dir."""
    app = create_app(tmp_path / "sandbox", clients=[(CLIENT_ID, SECRET, REDIRECT)])
    app.testing = True
    yield app


@pytest.fixture
def fortnox(sandbox_app: Flask) -> Fortnox:
    """A seeded company, connected with every scope Kassabok uses."""
    fx = Fortnox(sandbox_app.test_client())
    fx.tenant = fx.create_tenant()
    fx.connect(fx.tenant)
    return fx


def voucher(*rows: tuple[int, str, str, str], day: str = TODAY, series: str = "A") -> dict:
    """A Voucher body from (account, debit, credit, cost center) rows."""
    return {
        "Voucher": {
            "VoucherSeries": series,
            "TransactionDate": day,
            "Description": "Z1 S12",
            "VoucherRows": [
                {"Account": a, "Debit": float(d), "Credit": float(c), "CostCenter": cc}
                for a, d, c, cc in rows
            ],
        }
    }


def error_of(response: TestResponse) -> dict:
    """The ErrorInformation of an error answer."""
    return response.json["ErrorInformation"]


def grant_error(response: TestResponse) -> str:
    """The OAuth error of a token-endpoint answer (Fortnox labels invalid_grant text/html)."""
    return json.loads(response.data)["error"]
