"""The clearing tests' company with a month of closures, settlements and a statement."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from app.companies.models import Company
from tests.clearing.month import Month, build_month, import_files, store_in_books
from tests.factories import make_company, make_user


@pytest.fixture
def company(session: Session) -> Company:
    """The company whose takings are matched."""
    return make_company(session, orgnr="556677-8899")


@pytest.fixture
def month(app: Flask, session: Session, company: Company) -> Month:
    """January 2026 for three stores, in the books and the bank, the differences planted."""
    built = build_month(stores=3)
    store_in_books(session, company, built)
    with app.app_context():  # the import announces to its listeners as a request would
        import_files(session, company, built)
    return built


@pytest.fixture
def january_page(
    client: FlaskClient, auth, session: Session, company: Company, month: Month
) -> str:
    """The planted January's money-arrived page as an accountant (who stays logged in)."""
    make_user(session, "acc@example.com", company, "accountant")
    auth.login("acc@example.com")
    return client.get(f"/c/{company.id}/clearing?month=2026-01").get_data(as_text=True)
