"""What happens to a closure on arrival, after a fix, on approval, retry and note."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from rq.job import Job
from sqlmodel import Session

from app.closures.models import ClosureState
from app.posting import jobs, service
from app.posting.reasons import english
from app.queue import get_redis
from tests.posting.conftest import connect, fixture, mapping_data, save_mapping

S = ClosureState


def job_exists(app, closure) -> bool:
    """True when the closure's current post job is in Redis."""
    with app.app_context():
        job_id = jobs.post_job_id(closure.id, closure.state_version)
        return Job.fetch_many([job_id], connection=get_redis())[0] is not None


def test_a_valid_closure_is_queued_and_its_job_enqueued_after_commit(
    app, session: Session, books, receive
) -> None:
    closure = receive(books, fixture("cafe-full-day"), commit=False)
    assert closure.state == S.QUEUED
    assert not job_exists(app, closure)  # not before the transaction commits
    session.commit()
    assert job_exists(app, closure)


def test_a_rolled_back_arrival_enqueues_nothing(app, session: Session, books, receive) -> None:
    closure = receive(books, fixture("cafe-full-day"), commit=False)
    pk, version = closure.id, closure.state_version
    session.rollback()
    session.commit()
    with app.app_context():
        found = Job.fetch_many([jobs.post_job_id(pk, version)], connection=get_redis())[0]
    assert found is None


def test_before_the_start_date_it_is_recorded_not_posted(session, books, receive) -> None:
    books.start_date = date(2026, 12, 1)
    session.add(books)
    session.commit()
    closure = receive(books, fixture("cafe-full-day"))
    assert closure.state == S.RECEIVED
    assert closure.hold_code == "before_start_date"
    assert "2026-12-01" in english(closure.state_reason) and "not posted" in english(
        closure.state_reason
    )


def test_with_sync_off_it_stays_received_and_says_so(session, books, receive) -> None:
    books.sync_sales = False
    session.add(books)
    session.commit()
    closure = receive(books, fixture("cafe-full-day"))
    assert (closure.state, closure.hold_code) == (S.RECEIVED, "sync_off")
    books.sync_sales = True
    session.add(books)
    session.commit()
    service.recheck_holds(session, books.id)
    session.commit()
    assert closure.state == S.QUEUED


def test_approve_first_waits_then_approval_queues(app, session, books, receive) -> None:
    books.approve_first = True
    session.add(books)
    session.commit()
    one = receive(books, fixture("cafe-full-day"))
    two = receive(
        books, fixture("cash-overage", cash_count={"expected": "600.00", "counted": "600.00"})
    )
    assert one.state == two.state == S.AWAITING_APPROVAL
    service.approve(session, closure_pk=one.id, user=None)
    session.commit()
    assert one.state == S.QUEUED and job_exists(app, one)
    with pytest.raises(service.NotAllowed):
        service.approve(session, closure_pk=one.id, user=None)
    assert service.approve_all(session, company_id=books.id, user=None) == 1
    session.commit()
    assert two.state == S.QUEUED


# Every hold reason the arrival checks can give: (fixture, changes to the company, code).
HOLDS = [
    ("amex-custom-method", {}, "unmapped_payment_method"),
    ("tip-on-invoice", {"invoice": True}, "tip_on_invoice_not_allowed"),
    ("cash-overage", {"cash_threshold": Decimal("10.00")}, "cash_difference_over_threshold"),
]


@pytest.mark.parametrize(("name", "settings", "code"), HOLDS)
def test_each_hold_says_why_and_what_to_do(session, books, receive, name, settings, code) -> None:
    for key, value in settings.items():
        setattr(books, key, value)
    session.add(books)
    session.commit()
    closure = receive(books, fixture(name))
    assert (closure.state, closure.hold_code) == (S.HELD, code)
    assert len(english(closure.state_reason)) > 40  # a sentence with the fix, not a code


def test_no_mapping_holds_until_one_is_saved(app, session, books, receive) -> None:
    from app.mapping.models import MappingVersion

    session.execute(sa.delete(MappingVersion))
    session.commit()
    closure = receive(books, fixture("cafe-full-day"))
    assert (closure.state, closure.hold_code) == (S.HELD, "no_mapping")
    save_mapping(session, books, mapping_data())
    assert service.recheck_holds(session, books.id) == 1
    session.commit()
    assert closure.state == S.QUEUED and job_exists(app, closure)


def test_unmapped_code_is_released_by_a_mapping_save(session, books, receive) -> None:
    closure = receive(books, fixture("amex-custom-method"))
    assert closure.hold_code == "unmapped_payment_method"
    assert "AMEX" in english(closure.state_reason)
    data = mapping_data()
    data["payment_methods"]["AMEX"] = "1581"
    save_mapping(session, books, data)
    service.recheck_holds(session, books.id)
    session.commit()
    assert closure.state == S.QUEUED


def test_unknown_store_holds(session, books, receive) -> None:
    save_mapping(session, books, mapping_data(stores={}))
    closure = receive(books, fixture("cafe-full-day", store_id="S99"))
    assert (closure.state, closure.hold_code) == (S.HELD, "unknown_store")
    assert "S99" in english(closure.state_reason)


def test_a_lost_connection_holds_and_reconnecting_releases(session, books, receive) -> None:
    connect(session, books, status="lost")
    closure = receive(books, fixture("cafe-full-day"))
    assert (closure.state, closure.hold_code) == (S.HELD, "auth_lost")
    assert "reconnect" in english(closure.state_reason)
    connect(session, books)
    service.recheck_holds(session, books.id)
    session.commit()
    assert closure.state == S.QUEUED


def test_a_note_explains_a_cash_difference_and_releases_it(session, books, receive) -> None:
    books.cash_threshold = Decimal("10.00")
    session.add(books)
    session.commit()
    closure = receive(books, fixture("cash-overage"))
    assert closure.hold_code == "cash_difference_over_threshold"
    service.add_note(session, closure_pk=closure.id, user=None, note="Tip jar counted in")
    session.commit()
    assert closure.state == S.QUEUED and closure.note == "Tip jar counted in"


def test_retry_is_safe_against_double_clicks(app, session, books, receive) -> None:
    closure = receive(books, fixture("cafe-full-day"))
    from app.posting import state

    assert state.move(session, closure, S.POSTING)
    assert state.move(session, closure, S.FAILED, reason="boom")
    session.commit()
    service.retry(session, closure_pk=closure.id, user=None)
    session.commit()
    version = closure.state_version
    before = get_redis().lrange("rq:queue:sync", 0, -1)
    service.retry(session, closure_pk=closure.id, user=None)  # the second click
    session.commit()
    assert closure.state == S.QUEUED and closure.state_version == version
    after = get_redis().lrange("rq:queue:sync", 0, -1)
    assert after == before
    assert after.count(jobs.post_job_id(closure.id, version).encode()) == 1


def approvals_of(session: Session, closure) -> int:
    """How many approval events the audit trail holds for closure."""
    from app.audit.models import AuditEvent

    query = session.query(AuditEvent).filter_by(
        action="closure.approved", target=f"closure:{closure.id}"
    )
    return query.count()


def test_a_retried_held_closure_still_waits_for_approval(app, session, books, receive) -> None:
    books.approve_first = True
    session.add(books)
    session.commit()
    closure = receive(books, fixture("amex-custom-method"))
    assert closure.hold_code == "unmapped_payment_method"
    data = mapping_data()
    data["payment_methods"]["AMEX"] = "1581"
    save_mapping(session, books, data)
    service.retry(session, closure_pk=closure.id, user=None)  # a store manager's Retry click
    session.commit()
    assert closure.state == S.AWAITING_APPROVAL and not job_exists(app, closure)
    service.approve(session, closure_pk=closure.id, user=None)
    session.commit()
    assert closure.state == S.QUEUED and approvals_of(session, closure) == 1


def test_an_approved_closure_held_later_needs_no_second_approval(session, books, receive) -> None:
    books.approve_first = True
    session.add(books)
    session.commit()
    closure = receive(books, fixture("cafe-full-day"))
    service.approve(session, closure_pk=closure.id, user=None)
    from app.posting import state

    state.move(session, closure, S.HELD, reason="x", hold_code="auth_lost")  # as the engine does
    session.commit()
    service.recheck_holds(session, books.id)
    session.commit()
    assert closure.state == S.QUEUED and approvals_of(session, closure) == 1


def test_only_an_approval_event_lets_an_awaiting_closure_post(session, books, receive) -> None:
    books.approve_first = True
    session.add(books)
    session.commit()
    closure = receive(books, fixture("cafe-full-day"))
    for _ in range(2):  # every path that re-admits it (rechecks, corrections, the CLI) goes here
        service.admit(session, closure)
        service.recheck_holds(session, books.id)
    session.commit()
    assert closure.state == S.AWAITING_APPROVAL and approvals_of(session, closure) == 0


def test_a_recheck_keeps_a_closure_held_while_fresh_red_lines_stop_it(
    app, session, books, receive
) -> None:
    """Not queued on stale hopes: a worker reading the red lines would hold it again, unseen."""
    from sqlmodel import select

    from app.db import utcnow
    from app.fortnox.models import FortnoxConnection

    conn = session.exec(select(FortnoxConnection).where(FortnoxConnection.company_id == books.id))
    conn = conn.one()
    red = {
        "key": "account:9999",
        "ok": False,
        "kind": "account",
        "params": {"number": "9999", "uses": ["AMEX"], "problem": "missing"},
    }
    conn.preflight, conn.preflight_at = [red], utcnow()
    session.add(conn)
    session.commit()
    closure = receive(books, fixture("cafe-full-day"))
    assert (closure.state, closure.hold_code) == (S.HELD, "preflight_failed")
    assert not job_exists(app, closure)
    conn.preflight = [{**red, "ok": True}]  # green again, as the run after the fix stores it
    session.add(conn)
    service.recheck_holds(session, books.id, codes={"preflight_failed"})
    session.commit()
    assert closure.state == S.QUEUED and job_exists(app, closure)


def test_switching_approve_first_off_posts_nothing_already_waiting(session, books, receive) -> None:
    from app.companies.configure import apply_settings

    books.approve_first = True
    session.add(books)
    session.commit()
    closure = receive(books, fixture("cafe-full-day"))
    assert closure.state == S.AWAITING_APPROVAL
    apply_settings(session, company=books, changes={"approve_first": False}, user=None)
    session.commit()  # the settings save re-checks holds at once
    assert closure.state == S.AWAITING_APPROVAL and approvals_of(session, closure) == 0
    later = receive(
        books, fixture("cash-overage", cash_count={"expected": "600.00", "counted": "600.00"})
    )
    assert later.state == S.QUEUED  # new arrivals no longer wait
    service.approve(session, closure_pk=closure.id, user=None)
    session.commit()
    assert closure.state == S.QUEUED and approvals_of(session, closure) == 1
