"""Fortnox tokens survive a new Fernet key, and `flask fortnox rotate-keys` moves them onto it."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet, InvalidToken
from sqlmodel import select

from app.audit.models import AuditEvent
from app.fortnox import tokens
from app.fortnox.models import FortnoxConnection
from tests.factories import make_company

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def _connect(app, session, orgnr: str, access: str, refresh: str) -> int:
    """A connected company whose pair is encrypted under whatever FERNET_KEYS says now."""
    company = make_company(session, name=f"Bolag {orgnr}", orgnr=orgnr)
    conn = FortnoxConnection(company_id=company.id or 0)
    with app.app_context():
        tokens.store_pair(conn, {"access_token": access, "refresh_token": refresh})
    session.add(conn)
    session.commit()
    return company.id or 0


def _raw(session, company_id: int) -> FortnoxConnection:
    """The row as stored, read afresh."""
    session.expire_all()
    return session.exec(
        select(FortnoxConnection).where(FortnoxConnection.company_id == company_id)
    ).one()


def test_old_ciphertext_is_read_after_a_new_key_is_added(app, session) -> None:
    """Putting a new key in front of the old one keeps every stored token readable."""
    app.config["FERNET_KEYS"] = OLD
    company_id = _connect(app, session, "556000-0001", "access-one", "refresh-one")
    app.config["FERNET_KEYS"] = f"{NEW},{OLD}"
    with app.app_context():
        assert tokens.usable(_raw(session, company_id)).access_token == "access-one"


def test_rotate_keys_reencrypts_every_row_with_the_newest_key(app, session, runner) -> None:
    """After rotate-keys the raw row opens with the new key alone; the old key no longer does."""
    app.config["FERNET_KEYS"] = OLD
    first = _connect(app, session, "556000-0002", "access-two", "refresh-two")
    second = _connect(app, session, "556000-0003", "access-three", "refresh-three")
    app.config["FERNET_KEYS"] = f"{NEW},{OLD}"

    result = runner.invoke(args=["fortnox", "rotate-keys"])

    assert result.exit_code == 0, result.output
    assert "2 connection(s)" in result.output
    new, old = Fernet(NEW), Fernet(OLD)
    for company_id, plain in ((first, "two"), (second, "three")):
        row = _raw(session, company_id)
        assert new.decrypt(row.access_token_enc.encode()).decode() == f"access-{plain}"
        assert new.decrypt(row.refresh_token_enc.encode()).decode() == f"refresh-{plain}"
        with pytest.raises(InvalidToken):
            old.decrypt(row.refresh_token_enc.encode())
        assert b"access-" not in row.access_token_enc.encode()
    app.config["FERNET_KEYS"] = NEW  # the old key can now be dropped
    with app.app_context():
        assert tokens.usable(_raw(session, first)).access_token == "access-two"
    events = session.exec(
        select(AuditEvent).where(AuditEvent.action == "fortnox.keys_rotated")
    ).all()
    assert sorted(e.company_id for e in events) == [first, second]


def test_rotate_keys_reports_a_row_no_key_opens(app, session, runner) -> None:
    """A row made under a key that was dropped is named and fails the command; others rotate."""
    app.config["FERNET_KEYS"] = OLD
    lost = _connect(app, session, "556000-0004", "access-four", "refresh-four")
    app.config["FERNET_KEYS"] = NEW
    kept = _connect(app, session, "556000-0005", "access-five", "refresh-five")
    before = _raw(session, lost).refresh_token_enc

    result = runner.invoke(args=["fortnox", "rotate-keys"])

    assert result.exit_code == 1
    assert "1 connection(s)" in result.output and str(lost) in result.output
    assert _raw(session, lost).refresh_token_enc == before
    assert Fernet(NEW).decrypt(_raw(session, kept).refresh_token_enc.encode()) == b"refresh-five"


def test_disconnected_rows_are_left_alone(app, session, runner) -> None:
    """A connection without tokens has nothing to re-encrypt and is not counted."""
    company = make_company(session, name="Tom AB", orgnr="556000-0006")
    session.add(FortnoxConnection(company_id=company.id or 0))
    session.commit()
    result = runner.invoke(args=["fortnox", "rotate-keys"])
    assert result.exit_code == 0 and "0 connection(s)" in result.output
