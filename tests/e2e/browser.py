"""Fixtures every browser test shares: one Chromium per session, pages with axe, live servers."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import pytest
from flask import Flask
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
FAILED = pytest.StashKey[bool]()
CSP = "Content Security Policy"
# Each violation as a console error too (inline style or script, htmx's own <style>, eval...).
REPORT_CSP = """document.addEventListener("securitypolicyviolation", (e) => console.error(
  `Content Security Policy violation: ${e.effectiveDirective} refused ${e.blockedURI || "inline"}`
  + ` at ${e.sourceFile || document.URL}:${e.lineNumber} ${e.sample || ""}`));"""
_violations: WeakKeyDictionary[Any, list[str]] = WeakKeyDictionary()
# htmx binds a swapped page's controls one settle after the swap; a change before that is lost
# (or, on a form or link htmx has not bound yet, leaves the page: a reload, not a swap).
BOUND = """() => !document.querySelector('.htmx-request, .htmx-settling, .htmx-swapping') &&
  [...document.querySelectorAll('[hx-get],[hx-post],[hx-put],[hx-delete]')]
    .every(e => (e['htmx-internal-data'] || {}).initHash)"""


def watch_csp(page: Any) -> None:
    """Collect the page's console messages and errors that report a CSP violation."""
    found = _violations.setdefault(page, [])

    def console(message: Any) -> None:
        if CSP in message.text:
            found.append(f"{page.url}: {message.text}")

    def error(exc: Any) -> None:
        if CSP in str(exc):
            found.append(f"{page.url}: {exc}")

    page.on("console", console)
    page.on("pageerror", error)


def csp_violations(page: Any, take: bool = False) -> list[str]:
    """What watch_csp collected on the page so far; take forgets them (one provoked on purpose)."""
    found = _violations.get(page, [])
    listed = list(found)
    if take:
        found.clear()
    return listed


def assert_no_csp_violation(page: Any, where: str) -> None:
    """Fail with every CSP violation the page reported since it was opened."""
    found = csp_violations(page)
    assert not found, f"CSP violations by {where}:\n" + "\n".join(found)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    """Note on the test whether its body failed (new_page then keeps a screenshot of each page)."""
    report = yield
    if report.when == "call":
        item.stash[FAILED] = report.failed
    return report


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Chromium, launched once for the session (skipped where there is none)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(
    browser: Any, shots: Path, request: pytest.FixtureRequest
) -> Iterator[Callable[..., Any]]:
    """Open a page in a fresh context (own cookies); axe is loaded in every document it shows.

    Every page reports CSP violations (see watch_csp); one left at the end fails the test.
    When the test fails, each page is saved as it was (FAILED-<test>-<n>.png beside the shots).
    """
    contexts: list[Any] = []

    def make(**options: Any) -> Any:
        context = browser.new_context(**options)
        # An init script is not subject to the page's CSP, unlike an injected <script>.
        context.add_init_script(path=str(AXE))
        context.add_init_script(script=REPORT_CSP)
        contexts.append(context)
        page = context.new_page()
        watch_csp(page)
        return page

    yield make
    left = [v for context in contexts for page in context.pages for v in csp_violations(page)]
    for n, context in enumerate(contexts):
        if request.node.stash.get(FAILED, False):
            for page in context.pages:
                page.screenshot(path=str(shots / f"FAILED-{request.node.name}-{n}.png"))
        context.close()
    if left:
        pytest.fail("CSP violations:\n" + "\n".join(left))


@pytest.fixture(scope="session")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: KASSABOK_SCREENSHOTS (e.g. docs/img), else a temp dir."""
    chosen = os.environ.get("KASSABOK_SCREENSHOTS")
    path = Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@contextmanager
def serve(app: Flask, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve app on a free port in a thread; yields its URL, with the host named as asked."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)


@pytest.fixture
def live(app: Flask) -> Iterator[str]:
    """The portal on a free port, with CSRF on as in production."""
    app.config["WTF_CSRF_ENABLED"] = True
    with serve(app) as url:
        yield url


@pytest.fixture
def live_on_books(app: Flask, books: Any) -> Iterator[str]:
    """The portal on localhost, pointed at the connected company's sandbox as it is, CSRF on."""
    from tests.sandbox_fixtures import point_app_at

    with serve(app, host="localhost") as url:
        point_app_at(app, books.sandbox, public_url=url)
        app.config["WTF_CSRF_ENABLED"] = True
        yield url


@pytest.fixture
def live_with_fortnox(app: Flask, sandbox: Any) -> Iterator[str]:
    """The portal on localhost pointed at the sandbox (on 127.0.0.1, so cookies stay apart)."""
    from tests.sandbox_fixtures import point_app_at

    with serve(app, host="localhost") as url:
        sandbox.reset()
        point_app_at(app, sandbox, public_url=url)
        app.config["WTF_CSRF_ENABLED"] = True
        yield url


def sign_in(page: Any, live: str, email: str) -> None:
    """Sign in on the live portal's form with the test users' password; return once let in.

    A goto before the sign-in's answer arrived would cancel it (and meet the sign-in page).
    """
    from tests.factories import PASSWORD

    page.goto(f"{live}/auth/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("form.login-form button[type=submit]")
    page.wait_for_url(lambda url: "/auth/login" not in url)
