"""Reconcile fixtures: the posting fixtures, and a company connected to the Fortnox sandbox."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session

from tests.posting.conftest import _app_context, books, receive  # noqa: F401
from tests.posting.sandbox_support import use_bas
from tests.sandbox_fixtures import SCOPE, connect_company, fortnox_company, sandbox  # noqa: F401


@pytest.fixture
def fx(app, session: Session, fortnox_company: Any) -> Any:  # noqa: F811
    """The sandbox-connected company with the BAS mapping and every scope Kassabok uses."""
    use_bas(session, fortnox_company.company)
    with app.app_context():
        connect_company(
            session,
            fortnox_company.company,
            fortnox_company.sandbox,
            fortnox_company.tenant,
            SCOPE + " customer invoice order",
        )
    app.config["FORTNOX_TIMEZONE"] = "UTC"
    return fortnox_company
