"""The bank tests' company, its API token and the settlement files written from public columns."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session

from app.companies.models import Company
from tests.closures.ingest_support import bearer, make_token
from tests.factories import make_company

SETTLEMENTS = Path(__file__).resolve().parents[1] / "fixtures" / "settlements"
ORGNR = "556677-8899"


@pytest.fixture
def company(session: Session) -> Company:
    """The company files are imported for."""
    return make_company(session, orgnr=ORGNR)


@pytest.fixture
def headers(session: Session, company: Company) -> dict[str, str]:
    """The Authorization header of the company's API token."""
    return bearer(make_token(session, company))


def settlement_file(name: str) -> bytes:
    """A settlement fixture's bytes."""
    return (SETTLEMENTS / name).read_bytes()
