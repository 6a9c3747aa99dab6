"""Two companies side by side: one the test users belong to, one foreign to all of them."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from app.auth.models import Membership, User
from app.auth.views import GENERATION
from app.companies.tokens import create_token
from tests.factories import make_company, make_store, make_user

ROLES = ("admin", "accountant", "store_manager", "auditor")


def sign_in_fast(app: Flask, client: FlaskClient, email: str) -> None:
    """Put a signed-in session in the client's cookie, skipping the scrypt check of the form."""
    from flask_login.utils import _create_identifier

    with app.app_context():
        from app.db import get_session

        user = get_session().exec(select(User).where(User.email == email)).one()
    with app.test_request_context(environ_base=client.environ_base):
        ident = _create_identifier()
    with client.session_transaction() as sess:
        sess.update(
            {
                "_user_id": str(user.id),
                "_fresh": True,
                "_id": ident,
                GENERATION: user.session_generation,
            }
        )


@dataclass
class World:
    """Ids of everything the guard tests point at."""

    home: int
    foreign: int
    home_store: int  # the store manager holds this one
    other_store: int  # ... but not this one
    foreign_store: int
    foreign_token: int
    foreign_membership: int
    emails: dict[str, str]

    def foreign_args(self) -> dict[str, int]:
        """URL arguments that all point into the foreign company."""
        return {
            "company_id": self.foreign,
            "store_pk": self.foreign_store,
            "token_id": self.foreign_token,
            "membership_id": self.foreign_membership,
        }


def build_world(session: Session) -> World:
    """Create both companies, their stores, a token, and a user of every role at home."""
    home = make_company(session, "Hemma AB", "556000-0001")
    foreign = make_company(session, "Främmande AB", "556000-0002")
    s1 = make_store(session, home, "S1", "Ett")
    s2 = make_store(session, home, "S2", "Två")
    f1 = make_store(session, foreign, "F1", "Främmande butik")
    emails = {}
    for role in ROLES:
        email = f"{role}@home.test"
        make_user(session, email, home, role, stores=[s1] if role == "store_manager" else None)
        emails[role] = email
    outsider = make_user(session, "owner@foreign.test", foreign, "admin")
    token, _plain = create_token(session, company=foreign, name="POS", user=None)
    session.commit()
    membership = session.exec(
        Membership.__table__.select().where(Membership.user_id == outsider.id)  # type: ignore[attr-defined]
    ).first()
    return World(
        home=home.id,  # type: ignore[arg-type]
        foreign=foreign.id,  # type: ignore[arg-type]
        home_store=s1.id,  # type: ignore[arg-type]
        other_store=s2.id,  # type: ignore[arg-type]
        foreign_store=f1.id,  # type: ignore[arg-type]
        foreign_token=token.id,  # type: ignore[arg-type]
        foreign_membership=membership.id,  # type: ignore[union-attr]
        emails=emails,
    )
