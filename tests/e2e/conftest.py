"""The journeys' stack: what `make run` starts, once per session, on a temp instance."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.browser import CHROMIUM
from tests.e2e.journey import JOURNEY_DAYS
from tests.e2e.stack import Stack, start


@pytest.fixture(scope="package")  # stopped once the journeys are done, not at the session's end
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """scripts/run.sh on free ports: migrate, seed, Redis, sandbox, worker, portal.

    KASSABOK_JOURNEY_DAYS days of demo closures (default 21, the fewest in which the demo bank
    plants its missing payout and short deposit on any day of the year; empty for the demo's two
    months, which the README's screenshots show).
    """
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    began = time.monotonic()
    days = os.environ.get("KASSABOK_JOURNEY_DAYS", JOURNEY_DAYS)
    running, stop = start(tmp_path_factory.mktemp("stack") / "instance", days)
    print(f"\nThe journeys' stack started in {time.monotonic() - began:.0f} s")
    yield running
    stop()
