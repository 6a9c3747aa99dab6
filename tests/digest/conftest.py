"""The digest's tests: a real SMTP server, and a company with something of every status."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from tests.digest.smtp import smtp  # noqa: F401  (the fixture)
from tests.digest.world import World, build_world


@pytest.fixture
def world(session: Session) -> World:
    """Café Centrum AB with what needs someone in S12 and S14, and its members."""
    return build_world(session)
