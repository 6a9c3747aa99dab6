"""Fortnox's OAuth2 server: consent page, codes, rotating refresh tokens, revoke, bearer check."""

from __future__ import annotations

import base64
import json
import secrets
import sqlite3
import time
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, redirect, render_template, request

from sandbox import jsonio
from sandbox.options import Options
from sandbox.store import current_store

bp = Blueprint("oauth", __name__, url_prefix="/oauth-v1")
SCOPES = (
    "archive", "article", "bookkeeping", "companyinformation", "connectfile", "costcenter",
    "currency", "customer", "inbox", "invoice", "offer", "order", "payment", "price", "print",
    "profile", "project", "salary", "settings", "supplier", "supplierinvoice",
)  # fmt: skip


def _options() -> Options:
    """The sandbox options."""
    return current_app.extensions["sandbox.options"]


def _with_query(url: str, **params: str) -> str:
    """url with params appended to its query string."""
    return url + ("&" if "?" in url else "?") + urlencode(params)


@bp.route("/auth", methods=["GET", "POST"])
def auth() -> Response | str | tuple[str, int]:
    """The consent page: pick a company, approve or deny; redirects back with a code."""
    args = request.args
    rows = current_store().query(
        "SELECT * FROM clients WHERE client_id=?", args.get("client_id", "")
    )
    if not rows:
        return render_template("consent.html", problem="Okänt client_id."), 400
    client = rows[0]
    if args.get("redirect_uri") and args["redirect_uri"] != client["redirect_uri"]:
        return render_template("consent.html", problem="redirect_uri matchar inte appen."), 400
    target = args.get("redirect_uri") or client["redirect_uri"]
    state = args.get("state", "")
    scopes = args.get("scope", "").split()
    error = None
    if args.get("response_type") != "code":
        error = "unsupported_response_type"
    elif not scopes or any(scope not in SCOPES for scope in scopes):
        error = "invalid_scope"
    elif not state:
        error = "invalid_request"
    if error:
        return redirect(_with_query(target, error=error, state=state))
    tenants = current_store().tenants()
    if request.method == "GET":
        return render_template("consent.html", client=client, scopes=scopes, tenants=tenants)
    if request.form.get("decision") != "approve":
        return redirect(_with_query(target, error="access_denied", state=state))
    chosen = request.form.get("tenant", "")
    if not chosen.isdigit() or current_store().tenant(int(chosen)) is None:
        page = render_template(
            "consent.html",
            client=client,
            scopes=scopes,
            tenants=tenants,
            problem="Välj ett företag.",
        )
        return page, 400
    code = secrets.token_urlsafe(24)
    with current_store().write() as conn:
        conn.execute(
            "INSERT INTO grants(token, kind, client_id, tenant, scope, redirect_uri, expires)"
            " VALUES (?, 'code', ?, ?, ?, ?, ?)",
            (
                code,
                client["client_id"],
                int(chosen),
                " ".join(scopes),
                args.get("redirect_uri"),
                time.time() + _options().code_ttl,
            ),
        )
    return redirect(_with_query(target, code=code, state=state))


def _oauth_error(error: str, description: str, status: int = 400) -> Response:
    """The standard OAuth2 error body; invalid_grant labelled text/html, as Fortnox answers it."""
    response = jsonio.respond({"error": error, "error_description": description}, status)
    if error == "invalid_grant":
        response.content_type = "text/html; charset=UTF-8"
    return response


def _client_id() -> str | None:
    """The client authenticated by HTTP Basic, or None."""
    basic = request.authorization
    if basic is None or basic.type != "basic":
        return None
    rows = current_store().query(
        "SELECT secret FROM clients WHERE client_id=?", basic.username or ""
    )
    if rows and secrets.compare_digest(rows[0]["secret"], basic.password or ""):
        return basic.username
    return None


@bp.post("/token")
def token() -> Response:
    """Exchange an authorization code or a refresh token for a new token pair."""
    client_id = _client_id()
    if client_id is None:
        return _oauth_error("invalid_client", "Client authentication failed", 401)
    form = request.form
    grant_type = form.get("grant_type")
    if grant_type not in ("authorization_code", "refresh_token"):
        return _oauth_error("unsupported_grant_type", f"Unsupported grant type {grant_type}")
    kind, value = (
        ("code", form.get("code"))
        if grant_type == "authorization_code"
        else ("refresh", form.get("refresh_token"))
    )
    with current_store().write() as conn:
        row = conn.execute(
            "SELECT * FROM grants WHERE token=? AND kind=?", (value or "", kind)
        ).fetchone()
        if row is None or row["client_id"] != client_id or row["used"] or row["revoked"]:
            what = "authorization code" if kind == "code" else "refresh token"
            return _oauth_error("invalid_grant", f"Invalid {what}")
        if row["expires"] < time.time():
            what = "authorization code" if kind == "code" else "refresh token"
            return _oauth_error("invalid_grant", f"Expired {what}")
        if (
            kind == "code"
            and row["redirect_uri"]
            and form.get("redirect_uri") != row["redirect_uri"]
        ):
            return _oauth_error("invalid_grant", "redirect_uri does not match")
        conn.execute("UPDATE grants SET used=1 WHERE token=?", (row["token"],))
        pair = _issue(conn, client_id, row["tenant"], row["scope"])
    return jsonio.respond(pair)


def _issue(conn: sqlite3.Connection, client_id: str, tenant: int, scope: str) -> dict:
    """Store and return a fresh access token (JWT-shaped) and refresh token."""
    options = _options()
    now = time.time()
    access = _jwt(
        {
            "iss": "fortnox-sandbox",
            "sub": client_id,
            "tenantId": tenant,
            "scope": scope,
            "exp": int(now + options.token_ttl),
            "jti": secrets.token_hex(8),
        }
    )
    refresh = secrets.token_hex(16)
    rows = [
        (access, "access", now + options.token_ttl),
        (refresh, "refresh", now + options.refresh_ttl),
    ]
    for value, kind, expires in rows:
        conn.execute(
            "INSERT INTO grants(token, kind, client_id, tenant, scope, expires)"
            " VALUES (?,?,?,?,?,?)",
            (value, kind, client_id, tenant, scope, expires),
        )
    return {
        "access_token": access,
        "refresh_token": refresh,
        "scope": scope,
        "expires_in": options.token_ttl,
        "token_type": "bearer",
    }


def _jwt(claims: dict) -> str:
    """A token that looks like Fortnox's JWTs (the sandbox checks it against its store)."""

    def part(data: bytes) -> str:
        """Base64url without padding."""
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    header = part(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    return f"{header}.{part(json.dumps(claims).encode())}.{part(secrets.token_bytes(32))}"


@bp.post("/revoke")
def revoke() -> Response:
    """Revoke a refresh token of the authenticated client."""
    client_id = _client_id()
    if client_id is None:
        return _oauth_error("invalid_client", "Client authentication failed", 401)
    with current_store().write() as conn:
        conn.execute(
            "UPDATE grants SET revoked=1 WHERE token=? AND client_id=? AND kind='refresh'",
            (request.form.get("token", ""), client_id),
        )
    return jsonio.respond({"revoked": True})


def bearer_grant() -> dict | None:
    """The live access-token grant of this request's Bearer header, or None."""
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("bearer "):
        return None
    rows = current_store().query(
        "SELECT * FROM grants WHERE token=? AND kind='access' AND revoked=0", header[7:].strip()
    )
    if not rows or rows[0]["expires"] < time.time():
        return None
    return dict(rows[0])
