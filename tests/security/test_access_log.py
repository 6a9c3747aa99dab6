"""One-time secrets never reach gunicorn's access log (gunicorn.conf.py's logger)."""

from __future__ import annotations

import logging
import os
import runpy
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

ROOT = Path(__file__).resolve().parents[2]
SECRET = "Zk3-secret_TOKEN"
# gunicorn's default line plus the path, query, referer and a response header on their own.
FORMAT = '%(h)s "%(r)s" %(s)s "%(f)s" U=%(U)s q=%(q)s loc=%({location}o)s'


def _logger(path: Path):
    """gunicorn's logger as gunicorn builds it from gunicorn.conf.py, writing to path."""
    cfg = Config()
    for name, value in runpy.run_path(str(ROOT / "gunicorn.conf.py")).items():
        if name in cfg.settings:
            cfg.set(name, value)
    cfg.set("accesslog", str(path))
    cfg.set("access_log_format", FORMAT)
    return cfg.logger_class(cfg)


def _line(tmp_path: Path, raw_uri: str, referer: str = "-", location: str = "") -> str:
    """The access-log line gunicorn writes for one GET of raw_uri."""
    path = tmp_path / "access.log"
    logger = _logger(path)
    target, _, query = raw_uri.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": raw_uri,
        "PATH_INFO": target,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.5",
        "HTTP_REFERER": referer,
    }
    response = SimpleNamespace(status="302 FOUND", sent=0, headers=[("Location", location)])
    request = SimpleNamespace(headers=[("REFERER", referer)])
    logger.access(response, request, environ, timedelta(milliseconds=3))
    for handler in logging.getLogger("gunicorn.access").handlers:
        handler.flush()
    return path.read_text()


@pytest.mark.parametrize(
    ("raw_uri", "referer", "location"),
    [
        (f"/fortnox/authorize/{SECRET}", "-", ""),
        (f"/fortnox/authorize/{SECRET}/go", f"http://kb.test/fortnox/authorize/{SECRET}", ""),
        (f"/fortnox%2Fauthorize%2F{SECRET}%2Fgo", "-", ""),
        (f"/fortnox/callback?code={SECRET}&state={SECRET}x", "https://apps.fortnox.se/", ""),
        (f"/fortnox/callback?state={SECRET}&code={SECRET}", "-", "/c/1/fortnox"),
        (f"/account/reset/{SECRET}", "-", ""),
        ("/account/forgot", "-", f"http://kb.test/account/reset/{SECRET}"),
    ],
)
def test_secrets_are_redacted(tmp_path: Path, raw_uri: str, referer: str, location: str) -> None:
    """The token of a one-time link and OAuth's code and state appear nowhere in the line."""
    line = _line(tmp_path, raw_uri, referer, location)
    assert SECRET not in line, line
    assert "[redacted]" in line
    assert line.startswith('203.0.113.5 "GET ') and '" 302 "' in line


def test_other_requests_are_logged_as_they_came(tmp_path: Path) -> None:
    """Paths and parameters without secrets are kept whole."""
    line = _line(tmp_path, "/c/7/closures?status=held&page=2", "http://kb.test/c/7/")
    assert '"GET /c/7/closures?status=held&page=2 HTTP/1.1"' in line
    assert "q=status=held&page=2" in line and '"http://kb.test/c/7/"' in line


def test_gunicorn_started_in_the_repository_reads_the_config() -> None:
    """`make run` starts gunicorn in the repository, which reads ./gunicorn.conf.py."""
    shown = subprocess.run(
        [str(Path(sys.executable).parent / "gunicorn"), "--print-config", "wsgi:app"],
        cwd=ROOT,
        env={**os.environ, "KASSABOK_ENV": "testing"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert "RedactingLogger" in shown
