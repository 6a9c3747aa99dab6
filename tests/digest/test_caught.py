"""The demo's caught-mail pages: what the catcher kept, for admins, only while it runs."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from pathlib import Path

import pytest

from app.digest.catcher import serve_in_thread
from tests.digest.smtp import Smtp
from tests.factories import make_company, make_user


@pytest.fixture
def caught(app, smtp: Smtp) -> Path:
    """The catcher's folder as the demo configures it."""
    app.config["MAIL_CATCHER_DIR"] = str(smtp.folder)
    return smtp.folder


def _send(smtp: Smtp, subject: str, html: str | None = None) -> None:
    """Hand the catcher one message over SMTP."""
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "kb@example.se", "erik@example.se", subject
    msg["Date"] = "Fri, 04 Dec 2026 06:00:00 +0000"
    msg.set_content("Plain words & <angles>")
    if html:
        msg.add_alternative(html, subtype="html")
    with smtplib.SMTP(smtp.host, smtp.port) as client:
        client.send_message(msg)


def test_the_catcher_keeps_each_message_as_it_arrived(tmp_path: Path) -> None:
    """What goes in over SMTP is one .eml file, headers and body intact."""
    with serve_in_thread(tmp_path) as (host, port), smtplib.SMTP(host, port) as client:
        client.sendmail("a@example.se", ["b@example.se"], b"Subject: Hej\r\n\r\nR\xc3\xa4tt.\r\n")
    (path,) = tmp_path.glob("*.eml")
    assert path.read_bytes().replace(b"\r\n", b"\n").startswith(b"Subject: Hej\n\nR\xc3\xa4tt.")


def test_an_admin_reads_the_caught_mail(client, auth, session, smtp: Smtp, caught: Path) -> None:
    """The list, one message's text (escaped), its HTML part under a CSP with no script."""
    make_user(session, "anna@example.se", make_company(session), "admin")
    _send(smtp, "Första", "<p style='color:red'>Hej</p><script>alert(1)</script>")
    _send(smtp, "Second")
    auth.login("anna@example.se")
    page = client.get("/mail/caught").get_data(as_text=True)
    assert page.index("Second") < page.index("Första")  # newest first
    assert 'href="/mail/caught"' in client.get("/").get_data(as_text=True)  # the footer's link
    name = sorted(p.name for p in caught.glob("*.eml"))[0]
    one = client.get(f"/mail/caught/{name}").get_data(as_text=True)
    assert "Plain words &amp; &lt;angles&gt;" in one and f"/mail/caught/{name}/html" in one
    html = client.get(f"/mail/caught/{name}/html")
    assert html.status_code == 200 and b"<p style='color:red'>Hej</p>" in html.data
    csp = html.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script" not in csp
    assert client.get("/mail/caught/../../etc/passwd").status_code == 404
    assert client.get("/mail/caught/20261204-060000-000000000.eml").status_code == 404


def test_only_admins_and_only_in_the_demo(client, auth, session, app, caught: Path) -> None:
    """An accountant is refused and has no link; without a catcher the page does not exist."""
    company = make_company(session)
    make_user(session, "erik@example.se", company, "accountant")
    make_user(session, "anna@example.se", company, "admin")
    auth.login("erik@example.se")
    assert client.get("/mail/caught").status_code == 403
    assert "/mail/caught" not in client.get("/account/password").get_data(as_text=True)
    auth.logout()
    auth.login("anna@example.se")
    assert "/mail/caught" in client.get("/account/password").get_data(as_text=True)
    app.config["MAIL_CATCHER_DIR"] = ""
    assert client.get("/mail/caught").status_code == 404
    assert "/mail/caught" not in client.get("/").get_data(as_text=True)


def test_nothing_caught_says_how_to_catch_something(client, auth, session, caught: Path) -> None:
    """An empty catcher explains what would put mail there."""
    make_user(session, "anna@example.se", make_company(session), "admin")
    auth.login("anna@example.se")
    assert "Nothing caught yet." in client.get("/mail/caught").get_data(as_text=True)
