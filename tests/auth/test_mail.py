"""app/mail.py: SMTP when MAIL_SERVER is set, an outbox of files in development and tests."""

from __future__ import annotations

import logging
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from app import mail
from tests.digest.smtp import Smtp, parts


def test_smtp(app, smtp: Smtp) -> None:
    """With MAIL_SERVER set the message goes over SMTP, from MAIL_DEFAULT_SENDER."""
    with app.app_context():
        mail.send("anna@example.se", "Hej", "Ett meddelande.\nMed två rader.")
    (msg,) = smtp.mails()
    assert msg["To"] == "anna@example.se" and msg["Subject"] == "Hej"
    assert msg["From"] == app.config["MAIL_DEFAULT_SENDER"] and msg["Date"]
    assert msg.get_content_type() == "text/plain"
    assert "Med två rader." in msg.get_content()


def test_text_and_html(app, smtp: Smtp) -> None:
    """With html the message is multipart/alternative: the text first, then the HTML."""
    with app.app_context():
        mail.send("anna@example.se", "Hej", "Läs mig.", "<p>Läs <b>mig</b>.</p>")
    (msg,) = smtp.mails()
    assert msg.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in msg.iter_parts()] == ["text/plain", "text/html"]
    assert parts(msg) == ("Läs mig.\n", "<p>Läs <b>mig</b>.</p>\n")


def test_the_old_mail_from_setting_is_still_read(monkeypatch) -> None:
    """MAIL_FROM, the setting's former name, still chooses the sender."""
    import importlib

    import config

    monkeypatch.setenv("MAIL_FROM", "Kassa <kassa@example.se>")
    monkeypatch.delenv("MAIL_DEFAULT_SENDER", raising=False)
    try:
        assert importlib.reload(config).Config.MAIL_DEFAULT_SENDER == "Kassa <kassa@example.se>"
    finally:
        monkeypatch.delenv("MAIL_FROM")
        importlib.reload(config)


def test_a_refusing_server_is_a_mail_error(app) -> None:
    """A server that cannot be reached raises MailError (the caller logs it)."""
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=1, MAIL_USE_TLS=False, MAIL_TIMEOUT=2)
    with app.app_context(), pytest.raises(mail.MailError):
        mail.send("anna@example.se", "Hej", "x")


def test_outbox_writes_a_file_and_logs_it(app, tmp_path: Path, caplog) -> None:
    """Without a server, development writes each message to the outbox and the log."""
    app.config.update(MAIL_SERVER="", MAIL_OUTBOX=str(tmp_path))
    with app.app_context(), caplog.at_level(logging.INFO, logger="app.mail"):
        mail.send("anna@example.se", "Länk", "Öppna http://kb.test/account/reset/abc")
    (path,) = tmp_path.glob("*.eml")
    assert message_from_bytes(path.read_bytes(), policy=policy.default)["Subject"] == "Länk"
    assert "http://kb.test/account/reset/abc" in caplog.text and str(path) in caplog.text


def test_production_without_a_server_refuses(app) -> None:
    """With neither MAIL_SERVER nor an outbox nothing is silently dropped."""
    app.config.update(MAIL_SERVER="", MAIL_OUTBOX="")
    with app.app_context(), pytest.raises(mail.MailError):
        mail.send("anna@example.se", "Hej", "x")
