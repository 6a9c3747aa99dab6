"""Every empty list says what to do next: the action for a role that may act, else who can."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from flask.testing import FlaskClient

from tests.auth.world import ROLES, sign_in_fast
from tests.factories import make_company, make_user


@dataclass
class Empty:
    """Ids of a company that has members of every role and nothing else."""

    company: int
    emails: dict[str, str]


@pytest.fixture
def empty(session) -> Empty:
    """A company with no stores, closures, tokens, mapping, reports or events."""
    company = make_company(session, "Tom AB", "556000-0009")
    emails = {}
    for role in ROLES:
        emails[role] = f"{role}@tom.test"
        make_user(session, emails[role], company, role)
    return Empty(company=company.id, emails=emails)  # type: ignore[arg-type]


def _empty_box(client: FlaskClient, path: str, htmx: bool = False) -> str:
    """The text of the page's empty state (the one box made by templates/_empty.html)."""
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.get(path, headers=headers)
    assert response.status_code == 200, (path, response.status_code)
    html = response.get_data(as_text=True)
    boxes = re.findall(r"<div class=\"empty\"[^>]*data-empty>(.*?)</div>", html, re.S)
    assert len(boxes) == 1, f"{path}: expected one empty state, found {len(boxes)}"
    return " ".join(boxes[0].split())


# (role, path, words the guidance must hold, the action's link or None when the role cannot act)
CASES = [
    ("admin", "/c/{c}/stores", "Add each store with the id its POS sends", 'href="#add-store"'),
    ("accountant", "/c/{c}/stores", "An admin of the company adds the stores", None),
    ("store_manager", "/c/{c}/stores", "Ask an admin of the company to give you", None),
    ("admin", "/c/{c}/tokens", "paste it into your POS's Fortnox settings", 'href="#create-token"'),
    ("admin", "/c/{c}/closures", "when the POS sends its end-of-day Z-report", "/c/{c}/tokens"),
    ("accountant", "/c/{c}/closures", "you can also upload a file", "/c/{c}/closures/upload"),
    ("auditor", "/c/{c}/closures", "An admin of the company connects the POS", None),
    (
        "accountant",
        "/c/{c}/closures?state=failed",
        "No closures match these filters",
        "/c/{c}/closures",
    ),
    ("accountant", "/c/{c}/closures/rejected", "Nothing refused is waiting", "/c/{c}/closures"),
    ("accountant", "/c/{c}/mapping/versions", "Apply the BAS default", 'href="#mapping-editor"'),
    ("auditor", "/c/{c}/mapping/versions", "An accountant or admin of the company saves", None),
    ("accountant", "/c/{c}/approvals", "Nothing is awaiting approval", "/c/{c}/closures"),
    ("auditor", "/c/{c}/audit", "are recorded here as they happen", None),
    ("auditor", "/c/{c}/audit?who=nobody", "No events match these filters", "/c/{c}/audit"),
    ("accountant", "/c/{c}/reports", "Pick a period above and build one", 'href="#order-report"'),
    ("auditor", "/c/{c}/reports", "Pick a period above and build one", 'href="#order-report"'),
    ("admin", "/c/{c}/fortnox/", "The checks have not run yet", None),
    ("admin", "/c/{c}/dashboard", "Add your stores with the ids", "/c/{c}/stores#add-store"),
    ("auditor", "/c/{c}/dashboard", "An admin of the company adds the stores", None),
]


@pytest.mark.parametrize(
    ("role", "path", "guidance", "action"), CASES, ids=[f"{c[0]}:{c[1]}" for c in CASES]
)
def test_an_empty_list_says_what_to_do(app, client, empty: Empty, role, path, guidance, action):
    sign_in_fast(app, client, empty.emails[role])
    box = _empty_box(client, path.format(c=empty.company))
    assert guidance in box.replace("&#39;", "'")
    if action is None:
        assert "<a " not in box, "a role that cannot act gets no button"
    else:
        assert action.format(c=empty.company) in box


def test_the_htmx_fragment_of_a_list_carries_its_empty_state(app, client, empty: Empty):
    sign_in_fast(app, client, empty.emails["accountant"])
    box = _empty_box(client, f"/c/{empty.company}/closures?store=&state=held", htmx=True)
    assert "No closures match these filters" in box


def test_no_company_yet_says_who_adds_you(app, client, session):
    make_user(session, "alone@nowhere.test")
    sign_in_fast(app, client, "alone@nowhere.test")
    box = _empty_box(client, "/")
    assert "Ask an admin of your company to add you" in box


def test_empty_states_are_in_swedish_for_a_swedish_user(app, client, session, empty: Empty):
    from app.companies.models import Company

    make_user(session, "svensk@tom.test", session.get(Company, empty.company), locale="sv")
    sign_in_fast(app, client, "svensk@tom.test")
    box = _empty_box(client, f"/c/{empty.company}/tokens")
    assert "Inga API-nycklar ännu" in box and "No API tokens" not in box
