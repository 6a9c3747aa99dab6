"""What the client sends to put a Z-report on its voucher is what Fortnox's specification takes."""

from __future__ import annotations

import json
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import urlparse

from sqlmodel import select

from app.attachments.models import ZAttachment
from app.fortnox.client import FortnoxClient
from sandbox import spec
from tests.attachments import conftest as attaching
from tests.attachments.conftest import sent_pdf, with_z_report
from tests.contract.test_client_requests import problems, request_schema
from tests.posting.sandbox_support import connected_books  # noqa: F401

receive, post, attach = attaching.receive, attaching.post, attaching.attach  # their fixtures


def _parts(content: bytes, content_type: str) -> list[Message]:
    """The parts of a multipart/form-data body."""
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    return list(BytesParser(policy=HTTP).parsebytes(head + content).iter_parts())


def test_the_upload_is_one_multipart_part_named_file_and_the_connection_the_specs_shape(
    session, books, post, attach, monkeypatch
) -> None:
    payload = with_z_report()
    closure = post(payload)
    seen: list[tuple[str, str | None, bytes | None, str | None]] = []
    send = FortnoxClient._send

    def spy(self: FortnoxClient, method: str, url: str, params: dict, content: Any, *kind: Any):
        path = spec.template(urlparse(url).path)
        seen.append((method, path, content, kind[0] if kind else None))
        return send(self, method, url, params, content, *kind)

    monkeypatch.setattr(FortnoxClient, "_send", spy)
    assert attach(closure.id) == "connected"
    posts = [s for s in seen if s[0] == "POST"]
    assert [s[1] for s in posts] == ["/3/archive", "/3/voucherfileconnections"]
    upload = spec.operation("POST", "/3/archive").raw["requestBody"]["content"]
    assert list(upload["multipart/form-data"]["schema"]["properties"]) == ["file"]
    _method, _path, content, kind = posts[0]
    assert kind and kind.startswith("multipart/form-data; boundary=")
    (part,) = _parts(content, kind)
    assert part.get_param("name", header="content-disposition") == "file"
    row = session.exec(select(ZAttachment)).one()
    assert part.get_filename() == row.file_name and part.get_content_type() == "application/pdf"
    assert part.get_payload(decode=True) == sent_pdf(payload)  # the POS's bytes, untouched
    assert posts[1][3] is None  # JSON, as the client sends every other body
    body = json.loads(posts[1][2])
    assert problems(request_schema("POST", "/3/voucherfileconnections"), body, "body") == []
    assert body["VoucherFileConnection"] == {
        "FileId": row.file_id,
        "VoucherNumber": str(closure.voucher_number),  # the spec declares a string
        "VoucherSeries": closure.voucher_series,
        "VoucherYear": closure.voucher_year,
    }
