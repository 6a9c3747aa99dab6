"""One password policy at creation (CLI, invite, seed), change and reset (issue 14.9)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from app.auth.models import User
from app.auth.passwords import password_problem
from tests.factories import PASSWORD, make_company, make_user

EMAIL = "anna@example.se"
REFUSED = {
    "ten a's": "aaaaaaaaaa",
    "the email": EMAIL,
    "the email inside": f"My{EMAIL.upper()}!",
    "ten spaces": " " * 10,
    "common": "password1234",
    "keyboard row": "qwertyuiop",
    "digits": "1234567890",
    "the name and a year": "AnnaAnna2026",
    "too short": "Tk9#x",
    "too long": "Long-unusual-words " * 11,
}


@pytest.mark.parametrize("password", REFUSED.values(), ids=REFUSED.keys())
def test_the_policy_refuses(app, password: str) -> None:
    """Each of these is refused, with a reason."""
    with app.test_request_context():
        assert password_problem(password, email=EMAIL, name="Anna") is not None


@pytest.mark.parametrize("password", [PASSWORD, "kassabok-demo", "Blue-otter-kettle-42"])
def test_the_policy_accepts_strong_passwords(app, password: str) -> None:
    """Long, unusual passwords pass (the demo's and the tests' among them)."""
    with app.test_request_context():
        assert password_problem(password, email=EMAIL, name="Anna") is None


def _said(output: str, english: str, swedish: str) -> bool:
    """Whether the command's output gives the reason, in either language (the CLI's locale)."""
    return english in output or swedish in output


def test_the_cli_refuses_a_weak_password(runner, session) -> None:
    """`flask users create` checks the policy."""
    out = runner.invoke(args=["users", "create", "kim@example.se", "--password", "aaaaaaaaaa"])
    assert out.exit_code != 0 and _said(out.output, "too easy to guess", "för lätt att gissa")
    out = runner.invoke(args=["users", "create", "kim@example.se", "--password", " " * 12])
    assert out.exit_code != 0 and _said(out.output, "only spaces", "bara bestå av mellanslag")
    assert session.exec(select(User)).all() == []


def test_an_invite_refuses_the_email_as_password(client, auth, session) -> None:
    """An admin's invite of someone new checks the policy against the new person's email."""
    company = make_company(session)
    make_user(session, EMAIL, company, "admin")
    auth.login(EMAIL)
    answer = client.post(
        f"/c/{company.id}/users",
        data={"email": "kim@example.se", "password": "kim@example.se", "role": "auditor"},
    )
    assert answer.status_code == 422
    assert "must not contain your email" in answer.get_data(as_text=True)
    assert session.exec(select(User).where(User.email == "kim@example.se")).first() is None


def test_change_password_page(client, auth, session) -> None:
    """The current password is asked; the new one meets the policy; then it signs in."""
    user = make_user(session, EMAIL, make_company(session), "auditor")
    auth.login(EMAIL)
    assert client.get("/account/password").status_code == 200
    new = "Blue-otter-kettle-42"
    wrong = client.post("/account/password", data={"current": "x", "new": new, "confirm": new})
    assert wrong.status_code == 422 and "not your current password" in wrong.get_data(as_text=True)
    weak = "aaaaaaaaaa"
    answer = client.post(
        "/account/password", data={"current": PASSWORD, "new": weak, "confirm": weak}
    )
    assert answer.status_code == 422 and "too easy" in answer.get_data(as_text=True)
    differ = client.post(
        "/account/password", data={"current": PASSWORD, "new": new, "confirm": "x"}
    )
    assert differ.status_code == 422
    ok = client.post("/account/password", data={"current": PASSWORD, "new": new, "confirm": new})
    assert ok.status_code == 303
    auth.logout()
    assert auth.login(EMAIL).status_code == 401
    assert auth.login(EMAIL, new).status_code == 303
    session.refresh(user)
    assert new not in user.password_hash
