"""Trust the reverse proxies in front of the app, and only as many as are configured."""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def init_app(app: Flask) -> None:
    """Read the client address and scheme from X-Forwarded-* when TRUSTED_PROXIES > 0."""
    raw = str(app.config.get("TRUSTED_PROXIES") or 0).strip()
    if not raw.isdigit():
        raise RuntimeError("KASSABOK_TRUSTED_PROXIES must be 0 or the number of proxies in front")
    hops = int(raw)
    if hops:
        # Each proxy appends one address; only the last `hops` of them were written by ours,
        # anything further left came from the client and may be forged.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
