"""Sending e-mail: SMTP when MAIL_SERVER is set, else (development, tests) an outbox of files.

Settings: MAIL_SERVER, MAIL_PORT, MAIL_USE_TLS (STARTTLS), MAIL_USE_SSL, MAIL_USERNAME,
MAIL_PASSWORD, MAIL_FROM, MAIL_TIMEOUT, and MAIL_OUTBOX (a folder; only outside production).
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import time
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from flask import current_app

log = logging.getLogger(__name__)


class MailError(RuntimeError):
    """The message could not be handed over (no mail server configured, or it refused)."""


def message(to: str, subject: str, body: str) -> EmailMessage:
    """A plain-text message from MAIL_FROM."""
    msg = EmailMessage()
    msg["From"] = current_app.config["MAIL_FROM"]
    msg["To"] = to
    msg["Subject"] = subject
    msg["Message-ID"] = make_msgid(domain="kassabok")
    msg.set_content(body)
    return msg


def send(to: str, subject: str, body: str) -> None:
    """Hand one plain-text message to the mail server, or write it to the outbox."""
    msg = message(to, subject, body)
    cfg = current_app.config
    if cfg.get("MAIL_SERVER"):
        _smtp(msg)
    elif cfg.get("MAIL_OUTBOX"):
        _outbox(msg, Path(cfg["MAIL_OUTBOX"]), body)
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


def _outbox(msg: EmailMessage, folder: Path, body: str) -> None:
    """Write msg to folder as an .eml file and log it, so a developer can open its link."""
    folder.mkdir(parents=True, exist_ok=True)
    now = time.time_ns()
    path = (
        folder / f"{time.strftime('%Y%m%d-%H%M%S', time.gmtime(now / 1e9))}-{now % 10**9:09d}.eml"
    )
    path.write_bytes(bytes(msg))
    log.warning("Mail to %s (%s), kept in %s:\n%s", msg["To"], msg["Subject"], path, body)
