"""The connection-health badge, the lost banner, and `flask fortnox status`."""

from __future__ import annotations

import json

from flask import Flask, g, render_template
from sqlmodel import Session

from app.fortnox import tokens
from tests.factories import make_company


def badge(app: Flask, company) -> str:
    """The badge and banner as a company page would show them."""
    with app.test_request_context(headers={"Cookie": "kassabok_lang=en"}):
        g.company = company
        return render_template("fortnox/_badge.html") + render_template("fortnox/_banner.html")


def test_badge_follows_the_connection(app: Flask, session: Session, fortnox_company) -> None:
    company = fortnox_company.company
    assert "badge--ok" in badge(app, company)
    conn = tokens.connection(session, company.id)
    conn.preflight = [{"key": "series", "ok": False, "kind": "series", "params": {}}]
    session.add(conn)
    session.commit()
    assert "1 check failed" in badge(app, company)
    conn.status, conn.lost_reason = "lost", "invalid_grant"
    session.add(conn)
    session.commit()
    html = badge(app, company)
    assert "badge--bad" in html and 'id="fortnox-lost-banner"' in html
    assert "badge--neutral" in badge(app, make_company(session, "Annan AB", "556000-0001"))


def test_status_command(app: Flask, runner, session: Session, fortnox_company) -> None:
    orgnr = fortnox_company.company.orgnr
    out = runner.invoke(args=["fortnox", "preflight", "--company", orgnr])
    assert out.exit_code == 0, out.output
    status = json.loads(runner.invoke(args=["fortnox", "status", "--company", orgnr]).output)
    assert status["connected"] is True and status["token_expires_at"]
    assert status["fortnox_company"]["database_number"] == str(fortnox_company.tenant)
    keys = {c["key"]: c["ok"] for c in status["preflight"]}
    assert keys["mapping"] is False and keys["cost_center:S12"] is True
    assert status["preflight_ok"] is False
