"""Security fixtures: the two-company world, built through the real API."""

from __future__ import annotations

import pytest

from tests.security.world import World, build_world


@pytest.fixture
def world(app, session, client) -> World:
    """Two companies with stores, closures, a refused payload, a report, tokens and users."""
    return build_world(session, client)
