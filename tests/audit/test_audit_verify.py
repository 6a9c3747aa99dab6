"""`flask audit verify` proves the chain intact and names the first event altered by hand."""

from __future__ import annotations

import sqlalchemy as sa

from app.audit.service import record
from tests.factories import make_company, make_user


def test_verify_passes_then_fails_after_tampering(runner, session) -> None:
    """Three events verify; editing one row's detail in the database breaks the chain there."""
    company = make_company(session)
    user = make_user(session, "a@example.se", company)
    events = [
        record(session, action="settings.changed", company_id=company.id, user=user,
               detail={"voucher_series": {"before": "A", "after": f"K{i}"}})
        for i in range(3)
    ]  # fmt: skip
    session.commit()
    ok = runner.invoke(args=["audit", "verify"])
    assert ok.exit_code == 0, ok.output
    assert "3 event(s)" in ok.output
    session.execute(
        sa.text("UPDATE auditevent SET detail = :d WHERE id = :id"),
        {"d": '{"voucher_series": {"before": "A", "after": "Z"}}', "id": events[1].id},
    )
    session.commit()
    broken = runner.invoke(args=["audit", "verify"])
    assert broken.exit_code == 1
    assert f"event {events[1].id}" in broken.output
    assert "altered" in broken.output


def test_the_chain_holds_whatever_an_event_says(runner, session) -> None:
    """Text like the hashed body's own parts, and not ASCII, hashes as verify reads it."""
    company = make_company(session)
    odd = '"prev":"~prev~"'
    appended = [
        record(session, action="x", company_id=company.id, actor="Åsa Öberg", target=odd,
               detail={"prev": "~prev~", "note": odd, "ö": ["\u00e5", "€", None, 1.5]}),
        record(session, action="y", company_id=company.id, detail={"z": {"prev": odd}}),
    ]  # fmt: skip
    session.commit()
    assert appended[1].prev_hash == appended[0].hash
    ok = runner.invoke(args=["audit", "verify"])
    assert ok.exit_code == 0, ok.output


def test_deleting_an_event_breaks_the_link(runner, session) -> None:
    """Removing a row leaves the next one pointing at a hash that is gone."""
    company = make_company(session)
    ids = [record(session, action="x", company_id=company.id).id for _ in range(3)]
    session.commit()
    session.execute(sa.text("DELETE FROM auditevent WHERE id = :id"), {"id": ids[1]})
    session.commit()
    broken = runner.invoke(args=["audit", "verify"])
    assert broken.exit_code == 1 and f"event {ids[2]}" in broken.output


def test_audit_page_lists_company_events(client, auth, session) -> None:
    """The audit page shows the company's events, newest first."""
    company = make_company(session)
    make_user(session, "a@example.se", company)
    record(session, action="settings.changed", company_id=company.id, actor="someone")
    session.commit()
    auth.login("a@example.se")
    page = client.get(f"/c/{company.id}/audit").get_data(as_text=True)
    assert "settings.changed" in page and "someone" in page
