"""OAuth2: consent, codes once and for ten minutes, rotating refresh tokens, revoke, bearer."""

from __future__ import annotations

import base64
import json
import time

import pytest
from flask import Flask

from sandbox.spec import recorded
from tests.sandbox.conftest import REDIRECT, Fortnox, grant_error


@pytest.fixture
def fx(sandbox_app: Flask) -> Fortnox:
    fx = Fortnox(sandbox_app.test_client())
    fx.tenant = fx.create_tenant()
    return fx


def test_consent_page_lists_companies_and_the_two_buttons(fx: Fortnox) -> None:
    page = fx.client.get(fx.auth_url()).get_data(as_text=True)
    assert "Fortnox sandbox" in page and "Café Centrum AB" in page
    assert 'name="tenant"' in page and 'value="approve"' in page and 'value="deny"' in page
    assert "<script" not in page and 'src="http' not in page and 'href="http' not in page


def test_consent_page_preselects_no_company(fx: Fortnox) -> None:
    """The user must choose the company: no radio is checked, and approving without one is 400."""
    fx.create_tenant("Hamnens Kök AB", "556677-0002")
    page = fx.client.get(fx.auth_url()).get_data(as_text=True)
    assert page.count('type="radio"') == 2 and "checked" not in page
    assert page.count("required") == 2 and "formnovalidate" in page  # deny needs no choice
    refused = fx.client.post(fx.auth_url(), data={"decision": "approve"})
    assert refused.status_code == 400 and "Välj ett företag." in refused.get_data(as_text=True)
    denied = fx.client.post(fx.auth_url(), data={"decision": "deny"})
    assert denied.status_code == 302 and "error=access_denied" in denied.location


def test_approve_redirects_with_code_and_state(fx: Fortnox) -> None:
    answer = fx.approve(fx.tenant)
    assert answer["state"] == "st4te" and len(answer["code"]) > 20


def test_deny_redirects_with_access_denied(fx: Fortnox) -> None:
    response = fx.client.post(fx.auth_url(), data={"tenant": fx.tenant, "decision": "deny"})
    assert response.location.startswith(REDIRECT + "?")
    assert "error=access_denied" in response.location and "state=st4te" in response.location


@pytest.mark.parametrize(
    ("extra", "status", "text"),
    [
        ({"client_id": "nobody"}, 400, "client_id"),
        ({"redirect_uri": "http://evil/cb"}, 400, "redirect_uri"),
    ],
)
def test_unknown_client_or_redirect_shows_an_error_page(
    fx: Fortnox, extra: dict, status: int, text: str
) -> None:
    response = fx.client.get(fx.auth_url(**extra))
    assert response.status_code == status and text in response.get_data(as_text=True)


def test_bad_scope_redirects_invalid_scope(fx: Fortnox) -> None:
    response = fx.client.get(fx.auth_url(scope="bookkeeping nonsense"))
    assert "error=invalid_scope" in response.location


def test_token_exchange_answers_fortnox_shape(fx: Fortnox) -> None:
    pair = fx.connect(fx.tenant, "bookkeeping companyinformation")
    assert set(pair) == {"access_token", "refresh_token", "scope", "expires_in", "token_type"}
    assert pair["expires_in"] == 3600 and pair["token_type"] == "bearer"
    assert pair["scope"] == "bookkeeping companyinformation"
    assert pair["access_token"].count(".") == 2  # JWT-shaped
    info = fx.get("/3/companyinformation").json["CompanyInformation"]
    assert info["DatabaseNumber"] == fx.tenant and info["CompanyName"] == "Café Centrum AB"


def test_code_works_once(fx: Fortnox) -> None:
    code = fx.approve(fx.tenant)["code"]
    assert fx.token_request(grant_type="authorization_code", code=code).status_code == 200
    again = fx.token_request(grant_type="authorization_code", code=code)
    assert again.status_code == 400 and grant_error(again) == "invalid_grant"


def test_code_expires_after_ten_minutes(fx: Fortnox, monkeypatch: pytest.MonkeyPatch) -> None:
    code = fx.approve(fx.tenant)["code"]
    later = time.time() + 601
    monkeypatch.setattr(time, "time", lambda: later)
    response = fx.token_request(grant_type="authorization_code", code=code)
    assert response.status_code == 400 and grant_error(response) == "invalid_grant"


def test_redirect_uri_must_match_when_it_was_sent(fx: Fortnox) -> None:
    code = fx.approve(fx.tenant, redirect_uri=REDIRECT)["code"]
    wrong = fx.token_request(grant_type="authorization_code", code=code, redirect_uri="http://x/")
    assert grant_error(wrong) == "invalid_grant"


def test_wrong_client_secret_is_invalid_client(fx: Fortnox) -> None:
    code = fx.approve(fx.tenant)["code"]
    response = fx.token_request(secret="nope", grant_type="authorization_code", code=code)
    assert response.status_code == 401 and response.json["error"] == "invalid_client"


def test_refresh_rotates_and_reuse_is_invalid_grant(fx: Fortnox) -> None:
    first = fx.connect(fx.tenant)
    second = fx.token_request(grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert second.status_code == 200
    assert second.json["refresh_token"] != first["refresh_token"]
    assert second.json["access_token"] != first["access_token"]
    reuse = fx.token_request(grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert reuse.status_code == 400 and grant_error(reuse) == "invalid_grant"
    answer = recorded("authentication/invalid_refresh_token")[0]["response"]
    assert reuse.content_type == answer["content_type"]  # text/html; charset=UTF-8
    assert json.loads(reuse.data) == answer["body"]
    third = fx.token_request(grant_type="refresh_token", refresh_token=second.json["refresh_token"])
    assert third.status_code == 200 and third.json["scope"] == first["scope"]


def test_revoked_refresh_token_no_longer_refreshes(fx: Fortnox) -> None:
    pair = fx.connect(fx.tenant)
    auth = "Basic " + base64.b64encode(b"kassabok:s3cret").decode()
    revoked = fx.client.post(
        "/oauth-v1/revoke",
        data={"token_type_hint": "refresh_token", "token": pair["refresh_token"]},
        headers={"Authorization": auth},
    )
    assert revoked.json == {"revoked": True}
    response = fx.token_request(grant_type="refresh_token", refresh_token=pair["refresh_token"])
    assert grant_error(response) == "invalid_grant"


def test_unsupported_grant_type(fx: Fortnox) -> None:
    response = fx.token_request(grant_type="password")
    assert response.json["error"] == "unsupported_grant_type"


@pytest.mark.parametrize("header", [None, "Bearer nonsense", "Basic abc"])
def test_bad_bearer_is_401_unauthorized_as_recorded(fx: Fortnox, header: str | None) -> None:
    """recorded.json authentication/expired_token: 401 {"message": "unauthorized"}."""
    headers = {"Authorization": header} if header else {}
    response = fx.client.get("/3/companyinformation", headers=headers)
    assert response.status_code == 401
    assert response.json == recorded("authentication/expired_token")[0]["response"]["body"]


def test_expired_access_token_is_401_and_refresh_still_works(fx: Fortnox) -> None:
    pair = fx.connect(fx.tenant)
    assert fx.client.post(f"/_sandbox/tenants/{fx.tenant}/expire-tokens").json["expired"] == 1
    expired = fx.get("/3/customers")
    assert expired.status_code == 401 and expired.json == {"message": "unauthorized"}
    fresh = fx.token_request(grant_type="refresh_token", refresh_token=pair["refresh_token"])
    assert fx.get("/3/companyinformation", token=fresh.json["access_token"]).status_code == 200


def test_token_ttl_is_configurable(tmp_path) -> None:
    from sandbox.app import create_app
    from tests.sandbox.conftest import CLIENT_ID, SECRET

    app = create_app(tmp_path, token_ttl=60, clients=[(CLIENT_ID, SECRET, REDIRECT)])
    fx = Fortnox(app.test_client())
    assert fx.connect(fx.create_tenant())["expires_in"] == 60


def test_missing_scope_is_403_with_2001101(fx: Fortnox) -> None:
    fx.connect(fx.tenant, "companyinformation")
    response = fx.get("/3/vouchers")
    assert response.status_code == 403
    assert response.json["ErrorInformation"] == {
        "error": 1,
        "message": "Det finns ingen aktiv licens för önskat scope",
        "code": 2001101,
    }
