"""A listener that fails on a bank import loses neither the file nor the other listeners' work."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlmodel import select

from app import events
from app.bank.models import BankStatementFile
from app.bank.receive import BANK_IMPORTED
from tests.bank.camt_builder import day_statement
from tests.bank.conftest import ORGNR


@pytest.fixture
def listeners(monkeypatch) -> Iterator[list[str]]:
    """Two listeners before the real ones: the first fails, the second notes what it heard."""
    heard: list[str] = []

    def fails(session, company_id, *, kind, file_id):
        raise RuntimeError("a listener's bug")

    def notes(session, company_id, *, kind, file_id):
        heard.append(f"{kind}:{file_id}")

    real = events.receivers(BANK_IMPORTED)
    monkeypatch.setitem(events._subscribers, BANK_IMPORTED, [fails, notes, *real])
    yield heard


def test_a_failing_listener_stops_neither_the_import_nor_the_next(
    runner, session, company, tmp_path, listeners
):
    day = tmp_path / "day.xml"
    day.write_bytes(day_statement(version=5))
    done = runner.invoke(args=["bank", "import", "--company", ORGNR, str(day)])
    assert done.exit_code == 0 and done.output.startswith("created: import 1"), done.output
    assert listeners == ["statement:1"]
    (kept,) = session.exec(select(BankStatementFile)).all()
    assert kept.status == "imported" and kept.entry_count == 4
