"""The control API under /_sandbox/: reset, clients, tenants, faults, tokens, SIE, stats."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request

from sandbox import jsonio, seed, sie, validation
from sandbox.errors import ApiError
from sandbox.store import current_store
from sandbox.web import workspace

bp = Blueprint("control", __name__, url_prefix="/_sandbox")


def _json() -> dict:
    """The JSON body (an empty body is {})."""
    data = request.get_data()
    if not data.strip():
        return {}
    try:
        parsed = jsonio.loads(data)
    except ValueError:
        parsed = None
    if not isinstance(parsed, dict):
        raise ControlError("body must be a JSON object")
    return parsed


class ControlError(Exception):
    """A bad control request: answered {"error": message} with a 4xx status."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@bp.errorhandler(ControlError)
def control_error(exc: ControlError) -> Response:
    """{"error": message} for a bad control request."""
    return jsonio.respond({"error": str(exc)}, exc.status)


@bp.errorhandler(ApiError)
def api_error(exc: ApiError) -> Response:
    """Fortnox's ErrorInformation (e.g. an unbalanced SIE voucher)."""
    return exc.response()


def _tenant(tenant_id: int) -> int:
    """The tenant id, or 404 if there is no such tenant."""
    if current_store().tenant(tenant_id) is None:
        raise ControlError(f"no tenant {tenant_id}", 404)
    return tenant_id


@bp.get("/health")
def health() -> Response:
    """Ready to serve."""
    return jsonio.respond({"ok": True})


@bp.post("/reset")
def reset() -> Response:
    """Forget all tenants, tokens, counters, faults and stats ({"clients": true} also clients)."""
    from sandbox.app import register_clients

    options = current_app.extensions["sandbox.options"]
    current_store().wipe(clients=bool(_json().get("clients")))
    register_clients(current_store(), options.clients)
    current_app.extensions["sandbox.limiter"].reset()
    current_app.extensions["sandbox.stats"].reset()
    current_app.extensions["sandbox.faults"].configure(0.0, [], 0)
    options.strict_params = current_app.extensions["sandbox.strict_at_start"]
    return jsonio.respond({"reset": True})


@bp.put("/options")
def set_options() -> Response:
    """{"strict_params": true}: undocumented query parameters answer 400 (until reset)."""
    options = current_app.extensions["sandbox.options"]
    strict = _json().get("strict_params", options.strict_params)
    if not isinstance(strict, bool):
        raise ControlError("strict_params must be true or false")
    options.strict_params = strict
    return jsonio.respond({"strict_params": options.strict_params})


@bp.post("/clients")
def add_client() -> Response:
    """Register an OAuth client: {"client_id", "client_secret", "redirect_uri"}."""
    body = _json()
    values = [body.get(name) for name in ("client_id", "client_secret", "redirect_uri")]
    if not all(isinstance(v, str) and v for v in values):
        raise ControlError("client_id, client_secret and redirect_uri are required")
    with current_store().write() as conn:
        conn.execute("INSERT OR REPLACE INTO clients VALUES (?,?,?)", tuple(values))
    return jsonio.respond({"client_id": values[0]}, 201)


@bp.get("/clients")
def list_clients() -> Response:
    """Registered clients."""
    rows = current_store().query("SELECT client_id, redirect_uri FROM clients ORDER BY client_id")
    return jsonio.respond({"clients": [dict(r) for r in rows]})


@bp.post("/tenants")
def add_tenant() -> Response:
    """Create a company: {"name", "orgnr", "seed": "bas" | "empty"} -> {"id"}."""
    body = _json()
    name, orgnr, kind = body.get("name"), body.get("orgnr", ""), body.get("seed", "bas")
    if not isinstance(name, str) or not name.strip() or kind not in ("bas", "empty"):
        raise ControlError('name is required and seed is "bas" or "empty"')
    return jsonio.respond({"id": seed.create_tenant(current_store(), name, str(orgnr), kind)}, 201)


@bp.get("/tenants")
def list_tenants() -> Response:
    """All companies."""
    rows = current_store().tenants()
    return jsonio.respond(
        {
            "tenants": [
                {
                    "id": r["id"],
                    "name": r["name"],
                    "orgnr": r["orgnr"],
                    "locked_end": r["locked_end"],
                    "workspace": workspace(r["id"]),  # its id in the web app's addresses
                }
                for r in rows
            ]
        }
    )


@bp.post("/faults")
def set_faults() -> Response:
    """{"rate": 0.2, "kinds": [...], "seed": 1, "slow": 2.0, "only": ["POST /3/vouchers"]}.

    rate 0 turns faults off; only (optional) limits them to requests starting so.
    """
    body = _json()
    faults = current_app.extensions["sandbox.faults"]
    try:
        slow = body.get("slow")
        described = faults.configure(
            float(body.get("rate", 0)),
            list(body.get("kinds", [])),
            int(body.get("seed", 0)),
            float(slow) if slow is not None else None,
            body.get("only"),
        )
    except (TypeError, ValueError) as exc:
        raise ControlError(str(exc)) from exc
    return jsonio.respond(described)


@bp.post("/tenants/<int:tenant_id>/expire-tokens")
def expire_tokens(tenant_id: int) -> Response:
    """Expire the tenant's access tokens ({"refresh": true}: revoke refresh tokens too)."""
    _tenant(tenant_id)
    with current_store().write() as conn:
        count = conn.execute(
            "UPDATE grants SET expires=0 WHERE tenant=? AND kind='access'", (tenant_id,)
        ).rowcount
        if _json().get("refresh"):
            conn.execute(
                "UPDATE grants SET revoked=1 WHERE tenant=? AND kind='refresh'", (tenant_id,)
            )
    return jsonio.respond({"expired": count})


@bp.put("/tenants/<int:tenant_id>/lockedperiod")
def set_locked_period(tenant_id: int) -> Response:
    """{"EndDate": "YYYY-MM-DD"} locks up to that date ("" or null unlocks)."""
    _tenant(tenant_id)
    end = _json().get("EndDate") or None
    if end is not None:
        end = validation.day(end, "EndDate")
    with current_store().write() as conn:
        conn.execute("UPDATE tenants SET locked_end=? WHERE id=?", (end, tenant_id))
    return jsonio.respond({"LockedPeriod": {"EndDate": end or ""}})


@bp.post("/tenants/<int:tenant_id>/sie")
def import_sie(tenant_id: int) -> Response:
    """Import a SIE 4i file (the body) into ?series= (default: the file's series)."""
    _tenant(tenant_id)
    booked = sie.import_vouchers(
        current_store(), tenant_id, request.get_data(), request.args.get("series")
    )
    refs = [
        {
            "VoucherSeries": v["VoucherSeries"],
            "VoucherNumber": v["VoucherNumber"],
            "Year": v["Year"],
        }
        for v in booked
    ]
    return jsonio.respond({"imported": len(refs), "vouchers": refs}, 201)


@bp.get("/stats")
def stats() -> Response:
    """Request counts per endpoint and status since start or the last reset."""
    return jsonio.respond(current_app.extensions["sandbox.stats"].snapshot())


@bp.delete("/stats")
def reset_stats() -> Response:
    """Zero the request counters."""
    current_app.extensions["sandbox.stats"].reset()
    return jsonio.respond({"reset": True})
