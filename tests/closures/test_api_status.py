"""The API's `status` is the month board's (reconcile/counts.py); `posting_state` the raw one."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from app.closures.models import Closure, ClosureState
from app.reconcile.counts import closure_status
from app.reconcile.models import ClosureCheck
from tests.closures.ingest_support import bearer, body, closure, make_token
from tests.factories import make_company, make_store

URL = "/api/v1/closures"
ID = "opn-7731:S12:R1:Z457"


@pytest.fixture
def sent(client, session: Session):
    """The café closure sent through the API; its row and the token's headers."""
    company = make_company(session)
    make_store(session, company, "S12")
    headers = bearer(make_token(session, company))
    answer = client.post(
        URL, data=body(closure()), headers=headers, content_type="application/json"
    )
    assert answer.status_code == 201
    assert set(answer.get_json()) >= {"status", "posting_state"}
    row = session.exec(select(Closure)).one()
    return row, headers


def _status(client, headers) -> dict:
    return client.get(f"{URL}/{ID}", headers=headers).get_json()


def _pair(client, session: Session, sent, **fields) -> tuple[str, str]:
    """The API's status and posting state once the row has fields."""
    row, headers = sent
    for name, value in fields.items():
        setattr(row, name, value)
    session.add(row)
    session.commit()
    data = _status(client, headers)
    return data["status"], data["posting_state"]


def test_a_correction_due_is_the_boards_superseded_not_held(client, session, sent) -> None:
    row, _headers = sent
    found = _pair(client, session, sent, state=ClosureState.HELD, hold_code="correction_due")
    assert found == ("superseded", "held")
    assert found[0] == closure_status(row.state, row.hold_code, None, row.state_version)


def test_a_fresh_check_decides_and_a_stale_one_does_not(client, session, sent) -> None:
    row, _headers = sent
    check = ClosureCheck(
        company_id=row.company_id,
        closure_pk=row.id,
        business_date=row.business_date,
        store_code=row.store_code,
        status="duplicate",
        state_version=row.state_version,
    )
    session.add(check)
    assert _pair(client, session, sent, state=ClosureState.POSTED) == ("duplicate", "posted")
    # Moved since it was checked: its state speaks again.
    assert _pair(client, session, sent, state_version=row.state_version + 1) == (
        "pending",
        "posted",
    )


def test_awaiting_approval_is_pending_on_the_board(client, session, sent) -> None:
    found = _pair(client, session, sent, state=ClosureState.AWAITING_APPROVAL, hold_code="")
    assert found == ("pending", "awaiting_approval")
