"""Sending e-mail: SMTP when MAIL_SERVER is set, else (development, tests) an outbox of files.

Settings: MAIL_SERVER, MAIL_PORT, MAIL_USE_TLS (STARTTLS), MAIL_USE_SSL, MAIL_USERNAME,
MAIL_PASSWORD, MAIL_DEFAULT_SENDER (MAIL_FROM is still read), MAIL_TIMEOUT, and MAIL_OUTBOX
(a folder; only outside production). Links in a mail are absolute, from PUBLIC_URL.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app, request

log = logging.getLogger(__name__)


class MailError(RuntimeError):
    """The message could not be handed over (no mail server configured, or it refused)."""


def message(to: str, subject: str, body: str, html: str | None = None) -> EmailMessage:
    """A message from MAIL_DEFAULT_SENDER: plain text, with html as its alternative when given."""
    msg = EmailMessage()
    msg["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain="kassabok")
    msg.set_content(body)
    if html is not None:
        msg.add_alternative(html, subtype="html")
    return msg


def send(to: str, subject: str, body: str, html: str | None = None) -> None:
    """Hand one message to the mail server, or write it to the outbox."""
    msg = message(to, subject, body, html)
    cfg = current_app.config
    if cfg.get("MAIL_SERVER"):
        _smtp(msg)
    elif cfg.get("MAIL_OUTBOX"):
        path = keep(bytes(msg), Path(cfg["MAIL_OUTBOX"]))
        log.warning("Mail to %s (%s), kept in %s:\n%s", msg["To"], msg["Subject"], path, body)
    else:
        raise MailError("MAIL_SERVER is not set: Kassabok cannot send e-mail")


def _smtp(msg: EmailMessage) -> None:
    """Send msg over SMTP (SSL or STARTTLS as configured, then login if a user is set)."""
    cfg = current_app.config
    host, port, timeout = cfg["MAIL_SERVER"], int(cfg["MAIL_PORT"]), float(cfg["MAIL_TIMEOUT"])
    context = ssl.create_default_context()
    try:
        if cfg.get("MAIL_USE_SSL"):
            client: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
        else:
            client = smtplib.SMTP(host, port, timeout=timeout)
        with client:
            if cfg.get("MAIL_USE_TLS") and not cfg.get("MAIL_USE_SSL"):
                client.starttls(context=context)
            if cfg.get("MAIL_USERNAME"):
                client.login(cfg["MAIL_USERNAME"], cfg.get("MAIL_PASSWORD") or "")
            client.send_message(msg)
    except (OSError, smtplib.SMTPException) as error:
        raise MailError(f"the mail server {host}:{port} refused the message: {error}") from error


def keep(raw: bytes, folder: Path) -> Path:
    """Write one message to folder as a time-named .eml file (the outbox and the mail catcher)."""
    folder.mkdir(parents=True, exist_ok=True)
    now = time.time_ns()
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime(now / 1e9))
    path = folder / f"{stamp}-{now % 10**9:09d}.eml"
    path.write_bytes(raw)
    return path


@contextmanager
def public_links() -> Iterator[None]:
    """A request context at PUBLIC_URL, so url_for builds the portal's public addresses."""
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]):
        yield


def absolute(path: str) -> str:
    """path (from url_for inside public_links) as an absolute URL a mail reader can open."""
    return request.host_url.rstrip("/") + path
