"""The audit trail page: filters kept in the URL, pages, what changed, and the chain's check."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.audit.service import record
from tests.factories import make_company, make_store, make_user

HTMX = {"HX-Request": "true"}


@pytest.fixture
def trail(session):
    """A company with a settings change, a mapping save and 60 closure events; one per role."""
    company = make_company(session)
    store = make_store(session, company)
    anna = make_user(session, "anna@cafe.se", company, "accountant")
    for role in ("admin", "auditor", "store_manager"):
        make_user(session, f"{role}@cafe.se", company, role, stores=[store])
    record(
        session,
        action="settings.changed",
        company_id=company.id,
        user=anna,
        target=company.orgnr,
        detail={"voucher_series": {"before": "A", "after": "K"}},
    )
    record(
        session,
        action="mapping.saved",
        company_id=company.id,
        user=anna,
        target="mapping v2",
        detail={
            "version": 2,
            "comment": "Amex",
            "changes": [
                {"key": "payment_methods/AMEX", "change": "added", "old": None, "new": "1581"}
            ],
        },
    )
    for n in range(60):
        record(
            session,
            action="closure.received",
            company_id=company.id,
            actor="pos",
            target=f"opn:S12:R1:Z{n}",
            detail={"revision": 1},
        )
    other = make_company(session, "Annan AB", "556000-0002")
    record(session, action="settings.changed", company_id=other.id, actor="someone@else.se")
    session.commit()
    return company


def page(client, company, query: str = "", **kw) -> str:
    """The audit page's HTML."""
    answer = client.get(f"/c/{company.id}/audit{query}", **kw)
    assert answer.status_code == 200
    return answer.get_data(as_text=True)


@pytest.mark.parametrize(("role", "code"), [("admin", 200), ("accountant", 200),
                                            ("auditor", 200), ("store_manager", 403)])  # fmt: skip
def test_who_may_read_the_trail(client, auth, trail, role, code) -> None:
    """Admins, accountants and auditors; a store manager is refused (403, as every role check)."""
    auth.login("anna@cafe.se" if role == "accountant" else f"{role}@cafe.se")
    assert client.get(f"/c/{trail.id}/audit").status_code == code
    assert client.get(f"/c/{trail.id}/audit/verify").status_code == code


def test_pages_and_filters_travel_in_the_url(client, auth, trail) -> None:
    """62 events make two pages; the filter survives in the pager's links."""
    auth.login("auditor@cafe.se")
    html = page(client, trail)
    assert "62 events" in html and "page 1 of 2" in html and "someone@else.se" not in html
    assert "page=2" in html
    html = page(client, trail, "?who=pos&page=2")
    assert "60 events" in html and "page 2 of 2" in html and "who=pos" in html
    html = page(client, trail, "?who=anna&action=mapping.saved")
    assert "1 event" in html and "Payment methods › AMEX" in html and "1581" in html
    assert "Amex" in html and "voucher_series" not in html
    html = page(client, trail, "?action=settings.changed", headers=HTMX)
    assert "<html" not in html and 'id="audit-results"' in html
    assert "Voucher series" in html and "<td>A</td><td>K</td>" in html
    assert "0 events" in page(client, trail, "?from=2000-01-01&to=2000-01-31")
    assert "62 events" in page(client, trail, "?from=2000-01-01&to=2999-12-31")


def test_verify_shows_whether_the_chain_holds(client, auth, session, trail) -> None:
    """Intact, then broken after a row is edited by hand."""
    auth.login("admin@cafe.se")
    assert 'hx-trigger="load"' in page(client, trail)
    ok = page(client, trail, "/verify", headers=HTMX)
    # 63 events in the chain, 62 of them this company's: only its own are counted to it.
    assert "Chain intact" in ok and "62 events checked, with the whole chain" in ok
    session.execute(sa.text("UPDATE auditevent SET target = 'x' WHERE id = 2"))
    session.commit()
    broken = page(client, trail, "/verify")
    assert "Chain broken" in broken and "event 2: content altered after it was written" in broken
    session.execute(sa.text("UPDATE \"user\" SET locale = 'sv' WHERE email = 'admin@cafe.se'"))
    session.commit()
    broken = page(client, trail, "/verify")
    assert "händelse 2: innehållet ändrat efter att det skrevs" in broken
