"""Reading what the demo's mail catcher (or the outbox) kept: newest first, one by one."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path

NAME = re.compile(r"^[0-9]{8}-[0-9]{6}-[0-9]{9}\.eml$")  # as app.mail.keep names them
LIMIT = 200


@dataclass(frozen=True)
class Caught:
    """One kept message: who it was for, its subject and both parts."""

    name: str
    received: datetime
    sender: str
    to: str
    subject: str
    text: str
    html: str


def _part(msg: EmailMessage, subtype: str) -> str:
    """The message's text/<subtype> part, or '' (SMTP's CRLF line ends read as \\n)."""
    body = msg.get_body(preferencelist=(subtype,))
    return body.get_content().replace("\r\n", "\n") if body is not None else ""


def read(path: Path) -> Caught:
    """One .eml file as a Caught."""
    msg = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(msg, EmailMessage)
    try:
        received = parsedate_to_datetime(str(msg["Date"]))
    except (TypeError, ValueError):
        received = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    return Caught(
        name=path.name,
        received=received,
        sender=str(msg["From"] or ""),
        to=str(msg["To"] or ""),
        subject=str(msg["Subject"] or ""),
        text=_part(msg, "plain"),
        html=_part(msg, "html"),
    )


def listing(folder: Path) -> list[Caught]:
    """The newest LIMIT messages in folder, newest first."""
    if not folder.is_dir():
        return []
    names = sorted((p for p in folder.iterdir() if NAME.match(p.name)), reverse=True)
    return [read(p) for p in names[:LIMIT]]


def one(folder: Path, name: str) -> Caught | None:
    """The message called name in folder, or None (names are checked, never paths)."""
    path = folder / name
    return read(path) if NAME.match(name) and path.is_file() else None
