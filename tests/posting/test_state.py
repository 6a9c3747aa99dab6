"""The closure state machine: allowed moves only, and compare-and-set against races."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from app.closures.models import Closure, ClosureState
from app.db import make_engine
from app.posting import state
from tests.posting.conftest import fixture

S = ClosureState


@pytest.fixture
def closure(books, receive) -> Closure:
    """A received cafe closure (queued, since the company posts automatically)."""
    return receive(books, fixture("cafe-full-day"))


def test_a_move_bumps_the_version_and_records_reason(session: Session, closure: Closure) -> None:
    version = closure.state_version
    assert closure.state == S.QUEUED
    assert state.move(session, closure, S.HELD, reason="why", hold_code="code")
    session.commit()
    session.refresh(closure)
    assert (closure.state, closure.state_reason, closure.hold_code) == (S.HELD, "why", "code")
    assert closure.state_version == version + 1


def test_moves_not_in_the_table_are_refused(session: Session, closure: Closure) -> None:
    with pytest.raises(state.IllegalTransition):
        state.move(session, closure, S.POSTED)
    with pytest.raises(TypeError):
        state.move(session, closure, S.POSTING, voucher_number=3)


def test_of_two_racing_sessions_exactly_one_wins(app, closure: Closure) -> None:
    engine = make_engine(app.config["DATABASE_URL"])
    with Session(engine) as one, Session(engine) as two:
        a, b = one.get(Closure, closure.id), two.get(Closure, closure.id)
        assert a.state_version == b.state_version
        won_a = state.move(one, a, S.POSTING, attempts=1)
        one.commit()
        won_b = state.move(two, b, S.POSTING, attempts=1)
        two.commit()
        assert b.state == S.POSTING  # the loser sees where the closure went
    assert (won_a, won_b) == (True, False)


def test_every_state_is_in_the_table() -> None:
    assert set(state.ALLOWED) == set(S)
    assert state.ALLOWED[S.SUPERSEDED] == frozenset()
    assert S.POSTED not in state.ALLOWED[S.QUEUED]  # only a job's post makes a closure posted


def test_a_recorded_voucher_is_never_overwritten(session: Session, closure: Closure) -> None:
    assert state.record_voucher(session, closure, ("A", 7, 1))
    assert not state.record_voucher(session, closure, ("A", 8, 1))
    session.commit()
    session.refresh(closure)
    assert (closure.voucher_series, closure.voucher_number, closure.voucher_year) == ("A", 7, 1)
