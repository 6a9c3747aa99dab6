"""A posted closure's Z-report ends up on its voucher in Fortnox exactly once, faults and all."""

from __future__ import annotations

import base64
from typing import Any

import httpx
from sqlmodel import Session, select

from app.attachments.models import AttachState, Source, ZAttachment, ZReport
from app.closures.models import Closure
from tests.attachments.conftest import fixture, sent_pdf, with_z_report


def archive(books: Any) -> list[dict]:
    """The files in the tenant's archive root, as its bookkeeper sees them."""
    return books.fortnox("GET", "archive")["Folder"]["Files"]


def on_voucher(books: Any, closure: Closure) -> list[dict]:
    """The file connections of the closure's voucher in Fortnox."""
    found = books.fortnox(
        "GET",
        "voucherfileconnections",
        voucherseries=closure.voucher_series,
        vouchernumber=closure.voucher_number,
    )
    return found["VoucherFileConnections"]


def fortnox_file(books: Any, file_id: str) -> bytes:
    """A file's bytes as Fortnox keeps them."""
    url = f"{books.sandbox.url}/3/archive/{file_id}"
    answer = httpx.get(url, headers={"Authorization": f"Bearer {books.admin_token}"}, timeout=10)
    answer.raise_for_status()
    return answer.content


def row(session: Session, closure: Closure) -> ZAttachment:
    found = session.exec(select(ZAttachment).where(ZAttachment.closure_pk == closure.id)).one()
    return found


def test_the_pos_sent_pdf_is_what_fortnox_receives_and_it_is_on_the_voucher(
    session, books, post, attach
) -> None:
    payload = with_z_report()
    closure = post(payload)
    assert attach(closure.id) == "connected"
    kept = session.exec(select(ZReport).where(ZReport.closure_pk == closure.id)).one()
    assert kept.source == Source.POS and kept.data == sent_pdf(payload)
    assert kept.filename == payload["z_report"]["filename"]
    attached = row(session, closure)
    assert attached.state == AttachState.CONNECTED and attached.file_id
    assert fortnox_file(books, attached.file_id) == sent_pdf(payload)  # byte for byte
    assert [c["FileId"] for c in on_voucher(books, closure)] == [attached.file_id]
    assert [f["Name"] for f in archive(books)] == [attached.file_name]
    assert "KB-opn-7731_S12_R1_Z458-r1" in attached.file_name


def test_without_a_z_report_kassabok_renders_one_and_attaches_it(
    session, books, post, attach
) -> None:
    closure = post(fixture("cafe-full-day"))
    assert attach(closure.id) == "connected"
    kept = session.exec(select(ZReport).where(ZReport.closure_pk == closure.id)).one()
    assert kept.source == Source.KASSABOK and kept.data.startswith(b"%PDF-")
    assert kept.content_type == "application/pdf" and kept.filename.endswith(".pdf")
    assert fortnox_file(books, row(session, closure).file_id) == kept.data


def test_a_lost_answer_while_uploading_still_ends_with_one_file_connected(
    session, books, post, attach
) -> None:
    closure = post(with_z_report())
    books.sandbox.faults(1.0, ["lost_response"], only=["POST /3/archive"])
    assert attach(closure.id) == "retrying"
    doubt = row(session, closure)
    assert doubt.upload_unknown and doubt.file_id is None and doubt.state == AttachState.PENDING
    assert len(archive(books)) == 1  # it landed; only the answer was lost
    books.sandbox.faults(0)
    assert attach(closure.id) == "connected"
    files = archive(books)
    assert len(files) == 1, "uploaded again instead of adopting the file Fortnox had"
    assert [c["FileId"] for c in on_voucher(books, closure)] == [files[0]["Id"]]
    assert row(session, closure).file_id == files[0]["Id"]


def test_a_lost_answer_while_connecting_still_ends_with_one_connection(
    session, books, post, attach
) -> None:
    closure = post(with_z_report())
    books.sandbox.faults(1.0, ["lost_response"], only=["POST /3/voucherfileconnections"])
    assert attach(closure.id) == "retrying"
    doubt = row(session, closure)
    assert doubt.connect_unknown and doubt.state == AttachState.UPLOADED
    assert len(on_voucher(books, closure)) == 1  # it was made; only the answer was lost
    books.sandbox.faults(0)
    books.sandbox.reset_stats()
    assert attach(closure.id) == "connected"
    assert len(on_voucher(books, closure)) == 1 and len(archive(books)) == 1
    sent = books.sandbox.stats()["endpoints"]
    assert "POST /3/voucherfileconnections" not in sent  # read, found, not sent again
    assert "POST /3/archive" not in sent


def test_passing_faults_are_retried_until_it_is_attached(session, books, post, attach) -> None:
    closure = post(with_z_report())
    books.sandbox.faults(1.0, ["503"], only=["POST /3/archive"])
    assert attach(closure.id) == "retrying"
    assert row(session, closure).reason == "retrying"
    books.sandbox.faults(0)
    assert attach(closure.id) == "connected"
    assert len(archive(books)) == 1 and len(on_voucher(books, closure)) == 1


def test_a_connection_without_the_file_scopes_asks_fortnox_nothing(
    app, session, books, post, attach
) -> None:
    from tests.sandbox_fixtures import connect_company

    with app.app_context():
        scope = "bookkeeping costcenter companyinformation settings customer invoice order"
        connect_company(session, books.company, books.sandbox, books.tenant, scope)
    closure = post(with_z_report())
    books.sandbox.reset_stats()
    assert attach(closure.id) == "failed"
    failed = row(session, closure)
    assert (failed.reason, failed.message) == ("scope", "archive connectfile")
    assert books.sandbox.stats()["total"] == 0
    assert closure.state == "posted"  # the voucher did not wait


def test_without_the_archive_licence_it_fails_with_the_reason_and_is_retried_later(
    session, books, post, attach
) -> None:
    closure = post(with_z_report())
    books.sandbox.licences(books.tenant, archive=False)
    assert attach(closure.id) == "failed"
    failed = row(session, closure)
    assert failed.reason == "licence" and failed.next_at
    assert failed.message == "Det finns ingen aktiv licens för önskat scope"  # Fortnox's words
    books.sandbox.licences(books.tenant, archive=True)
    assert attach(closure.id) == "connected"
    assert len(archive(books)) == 1


def test_it_is_done_once_and_a_second_run_changes_nothing(session, books, post, attach) -> None:
    closure = post(with_z_report())
    assert attach(closure.id) == "connected"
    books.sandbox.reset_stats()
    assert attach(closure.id) == "connected"
    assert books.sandbox.stats()["total"] == 0


def test_the_original_is_kept_with_its_hash_and_the_retention_date(
    session, books, post, attach
) -> None:
    payload = with_z_report()
    closure = post(payload)
    attach(closure.id)
    kept = session.exec(select(ZReport).where(ZReport.closure_pk == closure.id)).one()
    import hashlib

    assert kept.sha256 == hashlib.sha256(base64.b64decode(payload["z_report"]["data"])).hexdigest()
    assert kept.size == len(kept.data)
    assert kept.keep_until.isoformat() == "2034-12-31"  # business day 2026-11-25: 2027 + 7
