"""For other test suites: a sandbox server in a subprocess and helpers to drive it over HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SandboxServer:
    """`python -m sandbox serve` on a free port and a temp data dir; `.url` is its base URL.

    Extra serve flags as keywords: token_ttl, rate_count, rate_window, slow_seconds,
    strict_params=True, clients=[(client_id, secret, redirect_uri)].
    """

    def __init__(self, data_dir: str | Path | None = None, **flags: Any) -> None:
        self._tmp = None if data_dir else tempfile.TemporaryDirectory(prefix="sandbox-")
        self.data_dir = Path(data_dir or self._tmp.name)  # type: ignore[union-attr]
        self.flags = flags
        self.port = 0
        self.url = ""
        self.process: subprocess.Popen | None = None
        self.http = httpx.Client(timeout=30)

    def command(self) -> list[str]:
        """The serve command line."""
        cmd = [
            sys.executable,
            "-m",
            "sandbox",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--data",
            str(self.data_dir),
        ]
        for client_id, secret, redirect_uri in self.flags.get("clients", ()):
            cmd += [
                "--client-id",
                client_id,
                "--client-secret",
                secret,
                "--redirect-uri",
                redirect_uri,
            ]
        for name, value in self.flags.items():
            flag = "--" + name.replace("_", "-")
            if name == "clients" or value is None or value is False:
                continue
            cmd += [flag] if value is True else [flag, str(value)]
        return cmd

    def start(self, timeout: float = 15) -> SandboxServer:
        """Start the server and wait until it answers."""
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
        }
        log = open(self.data_dir / "server.log", "ab")  # noqa: SIM115 - lives as long as the server
        self.process = subprocess.Popen(self.command(), cwd=ROOT, env=env, stdout=log, stderr=log)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"sandbox exited; see {self.data_dir / 'server.log'}")
            try:
                if self.http.get(self.url + "/_sandbox/health").status_code == 200:
                    return self
            except httpx.TransportError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("sandbox did not start in time")

    def stop(self) -> None:
        """Stop the server and remove a temp data dir."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        self.http.close()
        if self._tmp is not None:
            self._tmp.cleanup()

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # control API

    def _control(self, method: str, path: str, **kwargs: Any) -> Any:
        """Call the control API; the JSON answer."""
        response = self.http.request(method, f"{self.url}/_sandbox{path}", **kwargs)
        response.raise_for_status()
        return response.json()

    def reset(self, clients: bool = False) -> None:
        """Forget tenants, tokens, faults, counters and options set since start (and clients)."""
        self._control("POST", "/reset", json={"clients": clients})

    def strict_params(self, strict: bool = True) -> None:
        """Undocumented query parameters answer 400 (True) or are ignored, as Fortnox does."""
        self._control("PUT", "/options", json={"strict_params": strict})

    def add_client(self, client_id: str, secret: str, redirect_uri: str) -> None:
        """Register an OAuth client."""
        body = {"client_id": client_id, "client_secret": secret, "redirect_uri": redirect_uri}
        self._control("POST", "/clients", json=body)

    def create_tenant(self, name: str, orgnr: str, seed: str = "bas") -> int:
        """Create a company; its id (= DatabaseNumber)."""
        return self._control("POST", "/tenants", json={"name": name, "orgnr": orgnr, "seed": seed})[
            "id"
        ]

    def faults(
        self,
        rate: float,
        kinds: list[str] | None = None,
        seed: int = 1,
        slow: float | None = None,
        only: list[str] | None = None,
    ) -> dict:
        """Inject faults in a share of /3/ and token requests (rate 0: off).

        only: just the requests starting with one of these, e.g. ["POST /3/archive"].
        """
        body: dict[str, Any] = {"rate": rate, "kinds": kinds or [], "seed": seed}
        if slow is not None:
            body["slow"] = slow
        if only is not None:
            body["only"] = only
        return self._control("POST", "/faults", json=body)

    def licences(self, tenant: int, archive: bool) -> dict:
        """Give the tenant the archive licence, or take it away (its file resources answer 403)."""
        return self._control("PUT", f"/tenants/{tenant}/licences", json={"archive": archive})

    def expire_tokens(self, tenant: int, refresh: bool = False) -> int:
        """Expire the tenant's access tokens (and revoke refresh tokens if asked)."""
        return self._control("POST", f"/tenants/{tenant}/expire-tokens", json={"refresh": refresh})[
            "expired"
        ]

    def locked_period(self, tenant: int, end_date: str | None) -> None:
        """Lock the books up to end_date (None unlocks)."""
        self._control("PUT", f"/tenants/{tenant}/lockedperiod", json={"EndDate": end_date})

    def import_sie(self, tenant: int, text: str | bytes, series: str | None = "A") -> dict:
        """Import a SIE 4i file; {"imported": n, "vouchers": [...]}."""
        data = text.encode("cp437") if isinstance(text, str) else text
        params = {"series": series} if series else {}
        return self._control("POST", f"/tenants/{tenant}/sie", params=params, content=data)

    def stats(self) -> dict:
        """{"total": n, "endpoints": {"POST /3/vouchers": {"201": 2}, ...}}."""
        return self._control("GET", "/stats")

    def reset_stats(self) -> None:
        """Zero the request counters."""
        self._control("DELETE", "/stats")

    def issue_tokens(
        self, client_id: str, secret: str, tenant: int, scope: str, redirect_uri: str | None = None
    ) -> dict:
        """Consent, code and token exchange without a browser; the token response."""
        params = {
            "client_id": client_id,
            "response_type": "code",
            "scope": scope,
            "state": "sandbox-testing",
            "access_type": "offline",
        }
        if redirect_uri:
            params["redirect_uri"] = redirect_uri
        auth_url = f"{self.url}/oauth-v1/auth"
        self.http.get(auth_url, params=params).raise_for_status()
        answer = self.http.post(
            auth_url, params=params, data={"tenant": str(tenant), "decision": "approve"}
        )
        query = parse_qs(urlparse(answer.headers.get("location", "")).query)
        if answer.status_code != 302 or "code" not in query:
            raise RuntimeError(f"consent failed: {answer.status_code} {answer.headers}")
        form = {"grant_type": "authorization_code", "code": query["code"][0]}
        if redirect_uri:
            form["redirect_uri"] = redirect_uri
        response = self.http.post(f"{self.url}/oauth-v1/token", data=form, auth=(client_id, secret))
        response.raise_for_status()
        return response.json()
