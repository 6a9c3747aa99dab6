"""The sandbox fixtures, until tests/conftest.py registers them as a plugin."""

from __future__ import annotations

from tests.sandbox_fixtures import fortnox_company, sandbox  # noqa: F401
