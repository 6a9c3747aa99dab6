"""The one HTTP client for Fortnox's REST API: budgeted, refreshed, retried only when safe."""

from __future__ import annotations

import json
import logging
import random
import re
import secrets
import ssl
import time
from decimal import Decimal
from functools import cache
from typing import Any

import httpx
from authlib.integrations.httpx_client import OAuth2Client
from flask import current_app

from app.fortnox import tokens
from app.fortnox.errors import AuthLost, NeedsAction, NotFound, Retryable, error_information
from app.fortnox.messages import explain
from app.fortnox.ratelimit import RateBudget

log = logging.getLogger(__name__)
RATE_RETRIES = 6  # 429s: Fortnox did nothing, so any request may be sent again
READ_RETRIES = 3  # 5xx and network trouble on GETs
SAFE = {"GET", "HEAD"}
AUTH_CODES = {2000310, 2000311}
# Failures before a single byte reached Fortnox: always safe to send again.
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def _backoff(attempt: int, cap: float = 5.0) -> float:
    """Seconds to wait before attempt n+1: exponential with jitter, capped."""
    return min(cap, 0.25 * 2**attempt) + random.uniform(0, 0.1)


def encode(value: Any) -> bytes:
    """JSON with every Decimal written as the exact number it holds (never via float)."""
    nonce = secrets.token_hex(8)  # a text in the body can never pass for a placeholder
    marks: dict[str, str] = {}

    def swap(v: Any) -> Any:
        if isinstance(v, Decimal):
            if not v.is_finite():
                raise ValueError(f"{v} is not a number JSON can carry")
            mark = f"\x00{nonce}:{len(marks)}\x00"
            marks[mark] = format(v, "f")
            return mark
        if isinstance(v, dict):
            return {k: swap(x) for k, x in v.items()}
        if isinstance(v, list | tuple):
            return [swap(x) for x in v]
        return v

    text = json.dumps(swap(value), ensure_ascii=False)
    for mark, number in marks.items():
        text = text.replace(json.dumps(mark), number, 1)
    return text.encode()


@cache
def ssl_context() -> ssl.SSLContext:
    """One verifying TLS context per process: loading the CA bundle costs ~50 ms of CPU."""
    return httpx.create_ssl_context()  # httpx's own default: certifi, SSL_CERT_FILE honoured


def _body(resp: httpx.Response) -> Any:
    """The JSON body, or None when there is none (or it is not JSON)."""
    if not resp.content:
        return None
    try:
        return resp.json()
    except ValueError:
        return None


def _plain(resp: httpx.Response, limit: int = 300) -> str:
    """A non-JSON error body as short plain text (HTML tags dropped), or nothing."""
    if not resp.content or "json" in resp.headers.get("Content-Type", ""):
        return ""
    text = " ".join(re.sub(r"<[^>]*>", " ", resp.text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class FortnoxClient:
    """Speaks to Fortnox for one company with that company's token and rate budget."""

    def __init__(self, company_id: int, token: tokens.Token, *, tenant: str = "") -> None:
        cfg = current_app.config
        self.company_id = company_id
        self.tenant = tenant  # Fortnox's DatabaseNumber, when known: keys per-company caches
        self.token = token
        self.base = cfg["FORTNOX_API_URL"].rstrip("/") + "/3"
        self.budget = RateBudget(company_id)
        self.calls = 0
        self._http = OAuth2Client(
            token=self._token_dict(),
            leeway=0,
            timeout=httpx.Timeout(float(cfg["FORTNOX_TIMEOUT"])),
            verify=ssl_context(),
            headers={"Accept": "application/json", "Content-Type": "application/json"},
        )

    def _token_dict(self) -> dict[str, Any]:
        """The bearer token in authlib's shape (we refresh it ourselves, never authlib)."""
        expires = self.token.expires_at
        return {
            "access_token": self.token.access_token,
            "token_type": "Bearer",
            "expires_at": int(expires.timestamp()) if expires else None,
        }

    def _use(self, token: tokens.Token) -> None:
        """Switch to a new access token."""
        self.token = token
        self._http.token = self._token_dict()

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def __enter__(self) -> FortnoxClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, path: str, **params: Any) -> Any:
        """GET path with query params (retried on 429, 5xx and network trouble)."""
        return self.request("GET", path, params=params)

    def post(self, path: str, body: dict, **params: Any) -> Any:
        """POST a JSON body (never re-sent once it may have reached Fortnox)."""
        return self.request("POST", path, params=params, body=body)

    def put(self, path: str, body: dict | None = None, **params: Any) -> Any:
        """PUT a JSON body (never re-sent once it may have reached Fortnox)."""
        return self.request("PUT", path, params=params, body=body)

    def request(
        self,
        method: str,
        path: str,
        *,
        params: dict | None = None,
        body: Any = None,
        raw: tuple[bytes, str] | None = None,
    ) -> Any:
        """Send one request and return the parsed JSON body, or raise a typed error.

        raw is a body already encoded, with its content type (a multipart upload of a file).
        """
        method = method.upper()
        url = f"{self.base}/{path.lstrip('/')}"
        params = {k: v for k, v in (params or {}).items() if v is not None}
        content = raw[0] if raw is not None else None if body is None else encode(body)
        content_type = raw[1] if raw is not None else None
        rate_tries = read_tries = 0
        reauthorized = False
        while True:
            if self.token.stale():
                self._use(tokens.refreshed(self.company_id, self.token.access_token))
            try:
                resp = self._send(method, url, params, content, content_type)
            except NOT_SENT as err:
                if read_tries < READ_RETRIES:
                    read_tries += 1
                    time.sleep(_backoff(read_tries))
                    continue
                raise Retryable(f"Fortnox unreachable: {err!r}") from err
            except httpx.TransportError as err:  # timeouts, resets, protocol errors
                if method not in SAFE:
                    raise Retryable(
                        f"{method} {path}: no answer from Fortnox ({type(err).__name__})",
                        outcome_unknown=True,
                    ) from err
                if read_tries < READ_RETRIES:
                    read_tries += 1
                    time.sleep(_backoff(read_tries))
                    continue
                raise Retryable(f"Fortnox did not answer: {err!r}") from err
            status = resp.status_code
            if status < 400:
                return _body(resp)
            message, code = error_information(_body(resp))
            message = message or _plain(resp)  # Fortnox's own words, whatever their shape
            if status == 429:
                if rate_tries < RATE_RETRIES:
                    rate_tries += 1
                    log.warning("company %s: Fortnox answered 429, backing off", self.company_id)
                    time.sleep(self._retry_after(resp, rate_tries))
                    continue
                raise Retryable("Fortnox rate limit", status=429, code=code)
            if status >= 500:
                if method not in SAFE:
                    raise Retryable(
                        message or f"Fortnox answered {status}",
                        status=status,
                        code=code,
                        outcome_unknown=True,
                    )
                if read_tries < READ_RETRIES:
                    read_tries += 1
                    time.sleep(_backoff(read_tries))
                    continue
                raise Retryable(message or f"Fortnox answered {status}", status=status, code=code)
            if status == 401 or (status == 403 and code in AUTH_CODES):
                if not reauthorized:
                    reauthorized = True
                    self._use(
                        tokens.refreshed(self.company_id, self.token.access_token, rejected=True)
                    )
                    continue
                reason = "Fortnox refused a freshly refreshed token."
                reason += f" ({message})" if message else ""
                tokens.mark_lost(self.company_id, reason)
                raise AuthLost(reason, status=status, code=code)
            what = explain(code, status)[0]
            kind = NotFound if status == 404 else NeedsAction
            # No fix text here: human() words it in the reader's language when shown.
            raise kind(message or what, status=status, code=code)

    def _send(
        self,
        method: str,
        url: str,
        params: dict,
        content: bytes | None,
        content_type: str | None = None,
    ) -> httpx.Response:
        """One attempt inside the rate budget; its slot frees a window after the answer."""
        slot = self.budget.take()
        self.calls += 1
        headers = {"Content-Type": content_type} if content_type else None
        try:
            return self._http.request(method, url, params=params, content=content, headers=headers)
        finally:
            self.budget.done(slot)

    @staticmethod
    def _retry_after(resp: httpx.Response, attempt: int) -> float:
        """How long to wait after a 429: Retry-After when sensible, else a backoff."""
        try:
            given = float(resp.headers.get("Retry-After", ""))
        except ValueError:
            given = 0.0
        return min(10.0, given) if given > 0 else _backoff(attempt + 2)
