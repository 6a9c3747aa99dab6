"""A real SMTP server for the tests: the demo's aiosmtpd catcher in a thread, and what it got."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from flask import Flask

from app.digest.catcher import serve_in_thread

PUBLIC = "https://kassabok.example.se"  # the portal's public address in these tests
LINK = re.compile(r"https?://[^\s\"'<>]+")


@dataclass(frozen=True)
class Smtp:
    """Where the test's SMTP server listens and the folder it keeps each message in."""

    host: str
    port: int
    folder: Path

    def mails(self) -> list[EmailMessage]:
        """Every message received, oldest first."""
        paths = sorted(self.folder.glob("*.eml")) if self.folder.is_dir() else []
        return [message_from_bytes(p.read_bytes(), policy=policy.default) for p in paths]  # type: ignore[misc]


def parts(msg: EmailMessage) -> tuple[str, str]:
    """The plain-text and HTML parts of msg ('' for a missing one), lines ending in \\n."""
    found = [msg.get_body((subtype,)) for subtype in ("plain", "html")]
    return tuple(p.get_content().replace("\r\n", "\n") if p else "" for p in found)  # type: ignore[return-value]


def links(body: str) -> list[str]:
    """Every URL in body, HTML entities of '&' undone."""
    return [u.replace("&amp;", "&") for u in LINK.findall(body)]


@pytest.fixture
def smtp(app: Flask, tmp_path: Path) -> Iterator[Smtp]:
    """The app sends through an aiosmtpd server of this test, and links to PUBLIC."""
    folder = tmp_path / "smtp"
    with serve_in_thread(folder) as (host, port):
        app.config.update(
            MAIL_SERVER=host,
            MAIL_PORT=port,
            MAIL_USE_TLS=False,
            MAIL_USE_SSL=False,
            MAIL_OUTBOX="",
            PUBLIC_URL=PUBLIC,
        )
        yield Smtp(host, port, folder)
