"""app/mail.py: SMTP when MAIL_SERVER is set, an outbox of files in development and tests."""

from __future__ import annotations

import logging
import socketserver
import threading
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from app import mail


class _Smtp(socketserver.StreamRequestHandler):
    """Just enough of an SMTP server to receive one message (RFC 5321)."""

    def handle(self) -> None:
        self.wfile.write(b"220 test ESMTP\r\n")
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb == b"DATA":
                self.wfile.write(b"354 go on\r\n")
                data = b""
                while (chunk := self.rfile.readline()) != b".\r\n":
                    data += chunk
                self.server.received.append(data)  # type: ignore[attr-defined]
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            self.wfile.write(b"250 ok\r\n")


@pytest.fixture
def smtp_server():
    """A local SMTP server in a thread: its port and the messages it received."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Smtp)
    server.received = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_smtp(app, smtp_server) -> None:
    """With MAIL_SERVER set the message goes over SMTP, from MAIL_FROM."""
    app.config.update(
        MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.server_address[1], MAIL_USE_TLS=False
    )
    with app.app_context():
        mail.send("anna@example.se", "Hej", "Ett meddelande.\nMed två rader.")
    (raw,) = smtp_server.received
    msg = message_from_bytes(raw, policy=policy.default)
    assert msg["To"] == "anna@example.se" and msg["Subject"] == "Hej"
    assert msg["From"] == app.config["MAIL_FROM"]
    assert "Med två rader." in msg.get_content()


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
