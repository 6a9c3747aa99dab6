"""Fortnox's OAuth2 endpoints: the consent URL, code exchange, refresh and revoke."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

import httpx
from authlib.integrations.httpx_client import OAuth2Client, OAuthError
from flask import current_app

from app.companies.models import Company
from app.fortnox.errors import AuthLost, FortnoxError, NeedsAction, Retryable

ALWAYS = ("bookkeeping", "costcenter", "companyinformation", "settings")
FILES = ("archive", "connectfile")  # each voucher's Z-report: app/fortnox/attachments.py
# OAuth errors that mean the grant itself is gone: a person must authorize again.
GRANT_GONE = {"invalid_grant", "unauthorized_client", "access_denied"}


def required_scopes(company: Company) -> list[str]:
    """The scopes the company's settings need, in a stable order."""
    scopes = [*ALWAYS, *FILES]
    if company.invoice or company.use_order:
        scopes.append("customer")
    if company.invoice:
        scopes.append("invoice")
    if company.use_order:
        scopes.append("order")
    return scopes


def _url(path: str) -> str:
    """An address on Fortnox's authorization server."""
    return current_app.config["FORTNOX_AUTH_URL"].rstrip("/") + path


def public_url(endpoint: str, **values: Any) -> str:
    """An absolute address of one of Kassabok's pages, outside or inside a request."""
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return current_app.config["PUBLIC_URL"].rstrip("/") + path


def redirect_uri() -> str:
    """Where Fortnox sends the browser back after consent."""
    return public_url("fortnox.callback")


def _client(**kwargs: Any) -> OAuth2Client:
    """An OAuth2 client with Kassabok's credentials (Basic auth at the token endpoint)."""
    cfg = current_app.config
    return OAuth2Client(
        client_id=cfg["FORTNOX_CLIENT_ID"],
        client_secret=cfg["FORTNOX_CLIENT_SECRET"],
        token_endpoint_auth_method="client_secret_basic",
        timeout=float(cfg["FORTNOX_TIMEOUT"]),
        **kwargs,
    )


def authorize_url(company: Company, state: str) -> str:
    """The consent page address for company, asking for offline access."""
    with _client(redirect_uri=redirect_uri(), scope=" ".join(required_scopes(company))) as oc:
        url, _state = oc.create_authorization_url(
            _url("/oauth-v1/auth"), state=state, access_type="offline"
        )
    # Fortnox documents the scope list as %20-separated; authlib writes "+".
    base, _, query = url.partition("?")
    return f"{base}?{urlencode(parse_qsl(query), quote_via=quote)}"


def _guarded(call: Callable[[OAuth2Client], dict], *, lost_on_grant: bool) -> dict:
    """Run one token-endpoint call, turning its failures into Kassabok's error types."""
    try:
        with _client() as oc:
            return dict(call(oc))
    except OAuthError as err:
        message = f"{err.error}: {err.description or ''}".strip(": ")
        if lost_on_grant and err.error in GRANT_GONE:
            raise AuthLost(message, status=400) from err
        raise NeedsAction(message, status=400) from err
    except httpx.HTTPStatusError as err:
        status = err.response.status_code
        if status >= 500 or status == 429:
            raise Retryable(f"token endpoint answered {status}", status=status) from err
        if lost_on_grant and status in (400, 401):
            raise AuthLost(f"token endpoint answered {status}", status=status) from err
        raise NeedsAction(f"token endpoint answered {status}", status=status) from err
    except (httpx.TimeoutException, httpx.TransportError) as err:
        raise Retryable(f"token endpoint unreachable: {err!r}", outcome_unknown=True) from err
    except ValueError as err:
        raise FortnoxError(f"token endpoint answered nonsense: {err}") from err


def exchange_code(code: str) -> dict:
    """Trade an authorization code for a token pair."""
    return _guarded(
        lambda oc: oc.fetch_token(
            _url("/oauth-v1/token"),
            grant_type="authorization_code",
            code=code,
            redirect_uri=redirect_uri(),
        ),
        lost_on_grant=False,
    )


def refresh(refresh_token: str) -> dict:
    """A new token pair for a refresh token (which Fortnox then retires)."""
    return _guarded(
        lambda oc: oc.refresh_token(_url("/oauth-v1/token"), refresh_token=refresh_token),
        lost_on_grant=True,
    )


def revoke(refresh_token: str) -> bool:
    """Retire a refresh token at Fortnox; True when Fortnox confirmed."""

    def call(oc: OAuth2Client) -> dict:
        resp = oc.revoke_token(
            _url("/oauth-v1/revoke"), token=refresh_token, token_type_hint="refresh_token"
        )
        resp.raise_for_status()
        try:
            return resp.json()
        except ValueError:
            return {"revoked": True}

    return bool(_guarded(call, lost_on_grant=False).get("revoked", True))
