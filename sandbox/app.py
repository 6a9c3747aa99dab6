"""The sandbox application factory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, Response, g, request
from werkzeug.exceptions import HTTPException

from sandbox import faults as faults_module
from sandbox.errors import ApiError, error_response
from sandbox.faults import Faults
from sandbox.options import Options
from sandbox.ratelimit import RateLimiter
from sandbox.stats import Stats
from sandbox.store import Store


def create_app(data_dir: str | Path, **options: Any) -> Flask:
    """A sandbox keeping its state in data_dir/sandbox.db; options as in sandbox.options."""
    settings = Options(**options)
    app = Flask(__name__)
    app.url_map.strict_slashes = False
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    store = Store(Path(data_dir) / "sandbox.db")
    app.extensions.update(
        {
            "sandbox.options": settings,
            "sandbox.store": store,
            "sandbox.limiter": RateLimiter(settings.rate_count, settings.rate_window),
            "sandbox.faults": Faults(settings.slow_seconds),
            "sandbox.stats": Stats(),
            "sandbox.strict_at_start": settings.strict_params,
        }
    )
    register_clients(store, settings.clients)
    register_blueprints(app, settings)
    register_hooks(app)
    return app


def register_clients(store: Store, clients: list[tuple[str, str, str]]) -> None:
    """Register (or update) the OAuth clients given at start."""
    with store.write() as conn:
        for client_id, secret, redirect_uri in clients:
            conn.execute(
                "INSERT OR REPLACE INTO clients(client_id, secret, redirect_uri) VALUES (?,?,?)",
                (client_id, secret, redirect_uri),
            )


def register_blueprints(app: Flask, settings: Options) -> None:
    """OAuth, the REST API, the control API (unless turned off) and the web views."""
    from sandbox import control, oauth, web
    from sandbox.api import bp as api_bp

    app.register_blueprint(oauth.bp)
    app.register_blueprint(api_bp)
    if settings.control:
        app.register_blueprint(control.bp)
    app.register_blueprint(web.bp)


def register_hooks(app: Flask) -> None:
    """Faults on the token endpoint, counters, lost responses, Fortnox-shaped errors."""
    stats: Stats = app.extensions["sandbox.stats"]

    @app.before_request
    def token_faults() -> Response | None:
        """Inject faults into the token endpoint too."""
        if request.endpoint == "oauth.token":
            return app.extensions["sandbox.faults"].before_request()
        return None

    @app.after_request
    def finish(response: Response) -> Response:
        """Count the answer; drop it if the fault says so."""
        stats.record("lost" if g.get("fault") == "lost_response" else response.status_code)
        return faults_module.drop_if_lost(response)

    @app.errorhandler(ApiError)
    def api_error(exc: ApiError) -> Response:
        """Fortnox's ErrorInformation for a refused request."""
        return exc.response()

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response | HTTPException:
        """ErrorInformation for 404 and 405 under /3/."""
        if not request.path.startswith("/3/"):
            return exc
        kind = {404: "not_found", 405: "method"}.get(exc.code or 0, "no_data")
        return error_response(kind, value=request.path)

    @app.teardown_appcontext
    def close(_exc: BaseException | None) -> None:
        """Close this thread's database connection."""
        app.extensions["sandbox.store"].close()
