"""Give each demo company a tenant in the Fortnox sandbox, once (argument: the sandbox URL)."""

from __future__ import annotations

import json
import sys
import urllib.request

from app.seed import COMPANIES


def _call(url: str, body: dict | None = None) -> object:
    """GET (or POST body as JSON) and decode the answer."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read() or b"null")


def main(base: str) -> None:
    """Create the tenants the sandbox does not have yet."""
    listed = _call(f"{base}/_sandbox/tenants")
    tenants = listed.get("tenants", listed) if isinstance(listed, dict) else listed
    known = {t.get("orgnr") for t in tenants or [] if isinstance(t, dict)}
    for name, orgnr in COMPANIES:
        if orgnr not in known:
            _call(f"{base}/_sandbox/tenants", {"name": name, "orgnr": orgnr, "seed": "bas"})
            print(f"Sandbox: created Fortnox company {name} ({orgnr}).")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8765")
