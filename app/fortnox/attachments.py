"""Files in Fortnox: upload a document to the archive, find it again, connect it to a voucher.

Shapes as Fortnox's specification gives them (docs/spec, fortnox/openapi.json):
- POST /3/archive takes multipart/form-data with one part named "file" and, without path or
  folderid, files it in the archive's root; it answers 201 {"File": {Id, Name, Path, Size, ...}}.
- GET /3/archive answers the root folder {"Folder": {"Files": [...], "Folders": [...]}}.
- POST /3/voucherfileconnections takes {"VoucherFileConnection": {FileId, VoucherNumber (a string),
  VoucherSeries, VoucherYear}}; GET lists {"VoucherFileConnections": [...]}, searched by the
  voucherseries, vouchernumber and voucheryear its tag documents.
Scopes (FORTNOX.md §1.6): `archive` for the archive, `connectfile` for file connections.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from app.fortnox.api import pages
from app.fortnox.client import FortnoxClient
from app.fortnox.oauth import FILES as SCOPES

__all__ = ["SCOPES", "FileRef", "VoucherRef", "connect", "connections", "find_file", "upload"]


@dataclass(frozen=True)
class FileRef:
    """A file in Fortnox's archive: its id (what a connection names) and its name."""

    id: str
    name: str


@dataclass(frozen=True)
class VoucherRef:
    """The voucher a file is connected to: series, number and financial year id."""

    series: str
    number: int
    year: int


def multipart(name: str, data: bytes, content_type: str) -> tuple[bytes, str]:
    """data as the one part "file" of a multipart/form-data body; the body and its content type."""
    if any(c in name for c in '"\\\r\n'):
        raise ValueError(f"{name!r} cannot be a multipart file name")
    boundary = f"kassabok-{secrets.token_hex(16)}"
    head = (
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{name}"\r\n'
        f"Content-Type: {content_type}\r\n\r\n"
    ).encode()
    return (
        head + data + f"\r\n--{boundary}--\r\n".encode(),
        f"multipart/form-data; boundary={boundary}",
    )


def upload(client: FortnoxClient, name: str, data: bytes, content_type: str) -> FileRef:
    """Put a file in the archive's root; where Fortnox keeps it (never re-sent by the client)."""
    answer = client.request("POST", "archive", raw=multipart(name, data, content_type)) or {}
    made = answer.get("File") or {}
    return FileRef(str(made["Id"]), str(made.get("Name") or name))


def find_file(client: FortnoxClient, name: str) -> FileRef | None:
    """The file of the archive's root called name (an upload whose answer was lost), or None."""
    folder = (client.get("archive") or {}).get("Folder") or {}
    for found in folder.get("Files") or []:
        if found.get("Name") == name and found.get("Id"):
            return FileRef(str(found["Id"]), name)
    return None


def connections(client: FortnoxClient, voucher: VoucherRef) -> list[dict]:
    """The file connections of one voucher (checked here too: Fortnox may ignore a filter)."""
    found = pages(
        client,
        "voucherfileconnections",
        "VoucherFileConnections",
        voucherseries=voucher.series,
        vouchernumber=voucher.number,
        voucheryear=voucher.year,
    )
    return [c for c in found if _same(c, voucher)]


def _same(connection: dict, voucher: VoucherRef) -> bool:
    """Whether a connection is of this voucher (a year Fortnox leaves out matches any)."""
    year = connection.get("VoucherYear")
    return (
        str(connection.get("VoucherSeries")) == voucher.series
        and str(connection.get("VoucherNumber")) == str(voucher.number)
        and (year in (None, "", 0) or int(year) == voucher.year)
    )


def connect(client: FortnoxClient, file_id: str, voucher: VoucherRef) -> dict:
    """Connect a file to a voucher; the connection Fortnox made."""
    body = {
        "VoucherFileConnection": {
            "FileId": file_id,
            "VoucherNumber": str(voucher.number),
            "VoucherSeries": voucher.series,
            "VoucherYear": voucher.year,
        }
    }
    return dict(
        (client.post("voucherfileconnections", body) or {}).get("VoucherFileConnection") or {}
    )
