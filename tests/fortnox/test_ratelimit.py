"""The shared rate budget: never more than the count inside any window, across threads."""

from __future__ import annotations

import threading
import time

from flask import Flask

from app.fortnox.ratelimit import SLACK_SECONDS, RateBudget


def test_budget_admits_count_then_says_how_long_to_wait(app: Flask) -> None:
    with app.app_context():
        budget = RateBudget(1, count=5, window=1.0)
        slots = [budget.try_take()[0] for _ in range(5)]
        assert all(slots)
        for slot in slots:
            budget.done(slot)
        slot, wait = budget.try_take()
        assert slot is None and 0 < wait <= 1.0 + SLACK_SECONDS
        assert budget.used() == 5
        other = RateBudget(2, count=5, window=1.0)
        assert other.try_take()[0], "each company has its own budget"


def test_a_request_in_flight_keeps_its_slot(app: Flask) -> None:
    with app.app_context():
        budget = RateBudget(3, count=1, window=0.2)
        slow = budget.take()
        time.sleep(0.4)
        assert budget.try_take()[0] is None, "no answer yet: Fortnox may count it any moment"
        budget.done(slow)
        assert budget.try_take()[0] is None, "a window after the answer, not after sending"
        time.sleep(0.35)
        assert budget.try_take()[0] is not None


def test_threads_sharing_a_budget_never_exceed_it(app: Flask) -> None:
    admitted: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        with app.app_context():
            budget = RateBudget(7, count=4, window=0.5)
            for _ in range(3):
                slot = budget.take(max_wait=10)
                with lock:
                    admitted.append(time.monotonic())
                budget.done(slot)

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    admitted.sort()
    assert len(admitted) == 18
    window = 0.5 + SLACK_SECONDS - 0.02  # minus a little for the gap between Redis and us
    for i, t in enumerate(admitted):
        inside = [u for u in admitted[i:] if u - t < window]
        assert len(inside) <= 4, f"{len(inside)} admissions within {window}s"
