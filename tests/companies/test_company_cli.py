"""`flask companies|stores|tokens|users create` set up a company end to end."""

from __future__ import annotations

import hashlib

from sqlmodel import select

from app.auth.models import Membership, MembershipStore, User
from app.companies.models import ApiToken, Company, Store


def test_set_up_a_company_from_the_command_line(runner, session) -> None:
    """Company, store, store manager and a token; the token is printed once, kept hashed."""
    out = runner.invoke(args=["companies", "create", "--name", "Kiosk AB", "--orgnr", "5560001116"])
    assert out.exit_code == 0, out.output
    company = session.exec(select(Company)).one()
    assert company.orgnr == "556000-1116"
    out = runner.invoke(
        args=["stores", "create", "--company", "556000-1116", "--store-id", "K1", "--name",
              "Kiosken", "--cost-center", "CC1"]
    )  # fmt: skip
    assert out.exit_code == 0, out.output
    out = runner.invoke(
        args=["users", "create", "kim@example.se", "--password", "long-enough-pw",
              "--company", "556000-1116", "--role", "store_manager", "--store", "K1"]
    )  # fmt: skip
    assert out.exit_code == 0, out.output
    user = session.exec(select(User)).one()
    membership = session.exec(select(Membership)).one()
    assert (membership.user_id, membership.role) == (user.id, "store_manager")
    store = session.exec(select(Store)).one()
    assert session.exec(select(MembershipStore)).one().store_id == store.id
    out = runner.invoke(args=["tokens", "create", "--company", "556000-1116"])
    assert out.exit_code == 0, out.output
    plain = out.output.strip()
    assert plain.startswith("kb_")
    token = session.exec(select(ApiToken)).one()
    assert token.token_hash == hashlib.sha256(plain.encode()).hexdigest()


def test_errors_are_reported(runner) -> None:
    """A bad organisation number or an unknown company exits non-zero with the reason."""
    out = runner.invoke(args=["companies", "create", "--name", "X", "--orgnr", "12"])
    assert out.exit_code != 0 and "556677-8899" in out.output  # the example of a valid one
    out = runner.invoke(args=["companies", "create", "--name", "X", "--orgnr", "556677-8890"])
    assert out.exit_code != 0 and "556677-8890 är inte giltigt" in out.output  # in sv, the default
    out = runner.invoke(args=["tokens", "create", "--company", "556000-9999"])
    assert out.exit_code != 0 and "556000-9999" in out.output


def test_seed_demo_is_idempotent(runner, session) -> None:
    """The demo seed runs twice without error and makes every role once."""
    first = runner.invoke(args=["seed", "demo"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["seed", "demo"])
    assert second.exit_code == 0, second.output
    roles = {m.role for m in session.exec(select(Membership)).all()}
    assert roles == {"admin", "accountant", "store_manager", "auditor"}
    assert "shown once" in first.output and "shown once" not in second.output
