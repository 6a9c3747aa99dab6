"""One Bank entry in the menu; its tabs lead readers of the books on to the imported files."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, select

from app.companies.models import Company, Store
from tests.clearing.month import Month
from tests.factories import make_user


def _links(page: str, nav_class: str) -> list[str]:
    """The link labels of the page's <nav class="nav_class">."""
    nav = page.split(f'class="{nav_class}"', 1)[1].split("</nav>", 1)[0]
    return [re.sub(r"<[^>]+>", "", a).strip() for a in re.findall(r"<a [^>]*>(.*?)</a>", nav)]


@pytest.mark.parametrize(
    ("role", "tabs"),
    [
        ("accountant", ["Money arrived", "Statements and settlements"]),
        ("auditor", ["Money arrived", "Statements and settlements"]),
        ("store_manager", ["Money arrived"]),
    ],
)
def test_the_bank_entry_and_its_tabs(
    client: FlaskClient,
    auth,
    session: Session,
    company: Company,
    month: Month,
    role: str,
    tabs: list[str],
) -> None:
    stores = list(session.exec(select(Store).where(Store.company_id == company.id)))[:1]
    make_user(session, "someone@example.com", company, role, stores=stores)
    auth.login("someone@example.com")
    page = client.get(f"/c/{company.id}/clearing?month=2026-01").get_data(as_text=True)
    menu = _links(page, "company-nav")
    assert menu.count("Bank") == 1 and "Money arrived" not in menu, menu
    assert _links(page, "evidence-tabs") == tabs
    imports = client.get(f"/c/{company.id}/bank")
    assert imports.status_code == (200 if len(tabs) == 2 else 403), imports.status_code
