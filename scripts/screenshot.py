"""Take the README's screenshots of a running portal with headless Chromium.

Usage: python scripts/screenshot.py [BASE_URL] [OUT_DIR]
(defaults: http://127.0.0.1:5000 and docs/img).
Signs in as the demo admin (`flask seed demo`).
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGES = (
    ("overview", "/"),
    ("stores", "/c/1/stores"),
    ("settings", "/c/1/settings"),
    ("users", "/c/1/users"),
    ("tokens", "/c/1/tokens"),
    ("audit", "/c/1/audit"),
)


def main(base: str = "http://127.0.0.1:5000", out: str = "docs/img") -> None:
    """Sign in and save one PNG per page."""
    Path(out).mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(f"{base}/auth/login")
        page.screenshot(path=f"{out}/login.png")
        page.fill("#email", "admin@demo.kassabok.se")
        page.fill("#password", "kassabok-demo")
        page.click("form.login-form button[type=submit]")
        page.wait_for_url(f"{base}/")
        for name, path in PAGES:
            page.goto(base + path)
            page.screenshot(path=f"{out}/{name}.png", full_page=True)
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
