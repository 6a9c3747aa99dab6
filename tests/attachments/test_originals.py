"""Originals are kept byte for byte for the retention period, and nothing removes them before it."""

from __future__ import annotations

import base64
import hashlib
from datetime import date

import pytest
from sqlmodel import Session, select

from app.attachments import originals
from app.attachments.models import RetentionError, Source, ZReport
from app.closures.models import Closure
from tests.attachments.conftest import sent_pdf, stored_closure, with_z_report


def _closure(session: Session, payload: dict, day: date = date(2026, 11, 25)) -> Closure:
    return stored_closure(session, payload, day)


def test_the_pos_pdf_is_kept_decoded_with_its_hash_type_and_name(app, session) -> None:
    payload = with_z_report()
    closure = _closure(session, payload)
    with app.app_context():
        kept = originals.keep(session, closure)
    session.commit()
    data = sent_pdf(payload)
    assert (kept.source, kept.content_type, kept.filename) == (
        Source.POS,
        "application/pdf",
        "Z458-S12-R1-2026-11-25.pdf",
    )
    assert kept.data == data and kept.sha256 == hashlib.sha256(data).hexdigest()
    with app.app_context():
        assert originals.keep(session, closure).id == kept.id  # kept once


@pytest.mark.parametrize(
    ("day", "years", "until"),
    [
        (date(2026, 11, 25), None, date(2034, 12, 31)),
        (date(2026, 1, 1), None, date(2034, 12, 31)),  # a financial year may end in 2027
        (date(2026, 11, 25), 10, date(2037, 12, 31)),
    ],
)
def test_kept_to_the_end_of_the_seventh_year_after_the_financial_year(
    app, day: date, years: int | None, until: date
) -> None:
    with app.app_context():
        assert originals.keep_until(day, years) == until


def test_the_setting_keeps_longer_but_never_shorter_than_the_law(app, monkeypatch) -> None:
    with app.app_context():
        assert originals.retention_years() == 7
        app.config["ZREPORT_RETENTION_YEARS"] = 10
        assert originals.retention_years() == 10
        app.config["ZREPORT_RETENTION_YEARS"] = 3
        assert originals.retention_years() == 7
        app.config["ZREPORT_RETENTION_YEARS"] = None
        monkeypatch.setenv("KASSABOK_ZREPORT_RETENTION_YEARS", "8")
        assert originals.retention_years() == 8


def test_nothing_deletes_or_changes_an_original_before_its_keep_until(app, session) -> None:
    closure = _closure(session, with_z_report())
    with app.app_context():
        kept = originals.keep(session, closure)
    session.commit()
    session.delete(kept)
    with pytest.raises(RetentionError):
        session.commit()
    session.rollback()
    kept = session.exec(select(ZReport)).one()
    kept.data = b"%PDF- something else"
    with pytest.raises(RetentionError):
        session.commit()
    session.rollback()
    assert session.exec(select(ZReport)).one().data == sent_pdf(with_z_report())


def test_after_its_retention_period_prune_drops_the_bytes_and_keeps_the_hash(app, session) -> None:
    closure = _closure(session, with_z_report(), day=date(2015, 3, 2))
    with app.app_context():
        kept = originals.keep(session, closure)
    session.commit()
    digest = kept.sha256
    assert originals.prune(session, today=date(2023, 12, 31)) == 0  # its last day: still kept
    assert originals.prune(session, today=date(2024, 1, 1)) == 1
    session.expire_all()
    kept = session.exec(select(ZReport)).one()
    assert kept.data is None and kept.sha256 == digest and kept.pruned_at is not None


def test_report_retention_never_touches_the_originals(app, session) -> None:
    from app.reports.retention import prune

    closure = _closure(session, with_z_report(), day=date(2015, 3, 2))
    with app.app_context():
        originals.keep(session, closure)
        session.commit()
        prune(session, days=0)
    session.expire_all()
    assert session.exec(select(ZReport)).one().data == sent_pdf(with_z_report())


def test_a_closure_whose_original_is_kept_cannot_be_deleted(app, session) -> None:
    closure = _closure(session, with_z_report())
    with app.app_context():
        originals.keep(session, closure)
    session.commit()
    session.delete(closure)
    with pytest.raises(Exception, match="(?i)foreign key|constraint|restrict"):
        session.commit()
    session.rollback()


def test_bad_base64_never_becomes_an_original(app, session) -> None:
    payload = with_z_report()
    payload["z_report"]["data"] = base64.b64encode(b"%PDF-1.4 ok").decode() + "!!"
    closure = _closure(session, payload)
    with pytest.raises(ValueError):
        originals.sent_by_pos(closure)
