"""Operators' commands: post waiting closures, retry failed ones, sweep."""

from __future__ import annotations

from sqlmodel import Session

from app.closures.models import ClosureState
from app.posting import state
from tests.posting.conftest import fixture

S = ClosureState


def test_post_approves_waiting_closures(runner, session: Session, books, receive) -> None:
    books.approve_first = True
    session.add(books)
    session.commit()
    closure = receive(books, fixture("cafe-full-day"))
    assert closure.state == S.AWAITING_APPROVAL
    result = runner.invoke(args=["posting", "post", "--company", books.orgnr])
    assert result.exit_code == 0, result.output
    assert f"{closure.id}\tZ457 S12 2026-11-24\tqueued" in result.output
    session.refresh(closure)
    assert closure.state == S.QUEUED


def test_retry_queues_failed_closures(runner, session: Session, books, receive) -> None:
    closure = receive(books, fixture("cafe-full-day"))
    state.move(session, closure, S.POSTING)
    state.move(session, closure, S.FAILED, reason="Fortnox answered 503 six times")
    session.commit()
    result = runner.invoke(args=["posting", "retry", "--company", books.orgnr])
    assert result.exit_code == 0 and "queued" in result.output
    session.refresh(closure)
    assert closure.state == S.QUEUED


def test_unknown_company_is_a_usage_error(runner, books) -> None:
    result = runner.invoke(args=["posting", "post", "--company", "000000-0000"])
    assert result.exit_code == 2 and "000000-0000" in result.output
