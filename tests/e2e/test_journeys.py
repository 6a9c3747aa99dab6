"""Each role's day, end to end, in Chromium against what `make run` starts (tests/e2e/journey_*).

One test walks the four journeys in turn on one stack: pytest-xdist would hand separate tests to
both workers, each starting a stack of its own (its loadgroup does not group under pytest 9).
A journey that fails does not stop the next; every failure is reported, by role.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.journey_accountant import accountant_morning
from tests.e2e.journey_admin import admin_onboards_a_company
from tests.e2e.journey_auditor import auditor_downloads_the_month_report
from tests.e2e.journey_manager import store_manager_retries_a_failed_day
from tests.e2e.stack import Stack

# In a day's order: the auditor downloads the report the accountant ordered.
JOURNEYS = (
    accountant_morning,
    store_manager_retries_a_failed_day,
    auditor_downloads_the_month_report,
    admin_onboards_a_company,
)


@pytest.mark.e2e
def test_each_roles_day(
    new_page: Callable[..., Any], stack: Stack, shots: Path, tmp_path: Path
) -> None:
    """The accountant's morning, the store manager's retry, the auditor's download, onboarding."""
    failures = []
    for journey in JOURNEYS:
        try:
            journey(new_page, stack, shots, tmp_path)
        except Exception as error:  # report every role, not only the first that failed
            failures.append(f"{journey.__name__}: {type(error).__name__}: {error}")
    assert not failures, "\n\n".join(failures)
