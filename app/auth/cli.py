"""`flask users create|rotate-keys`: people, and their TOTP secrets re-encrypted."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlmodel import select

from app.auth.models import Role, User
from app.auth.service import UserError, create_user, find_user
from app.companies import members, service
from app.crypto import rotate
from app.db import get_session

cli = AppGroup("users", help="People who sign in.")


@cli.command("create")
@click.argument("email")
@click.option("--password", required=True, help="At least 10 characters.")
@click.option("--name", default="", help="Display name.")
@click.option("--company", "orgnr", help="Organisation number of a company to join.")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.ADMIN.value)
@click.option("--store", "stores", multiple=True, help="POS store id (store managers; repeat).")
@click.option("--locale", type=click.Choice(["sv", "en"]), default="sv")
def create(
    email: str,
    password: str,
    name: str,
    orgnr: str | None,
    role: str,
    stores: tuple[str, ...],
    locale: str,
) -> None:
    """Create a user (or reuse one) and give them a role in a company."""
    session = get_session()
    try:
        if orgnr is None:
            user = create_user(session, email=email, password=password, name=name, locale=locale)
            session.commit()
            click.echo(f"Created user {user.email}.")
            return
        company = service.find_company(session, orgnr=orgnr)
        if company is None:
            raise click.UsageError(f"No company has organisation number {orgnr}.")
        store_ids = []
        for code in stores:
            store = service.find_store(session, company=company, store_id=code)
            if store is None:
                raise click.UsageError(f"{company.name} has no store {code}.")
            store_ids.append(store.id)
        existed = find_user(session, email=email) is not None
        members.add_member(
            session,
            company=company,
            email=email,
            role=role,
            store_ids=store_ids,
            password=password,
            name=name,
        )
        if not existed:
            user = find_user(session, email=email)
            if user is not None:
                user.locale = locale
        session.commit()
    except (UserError, members.MemberError, service.CompanyError) as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"{email} is {role} of {company.name}" + (f" ({', '.join(stores)})." if stores else ".")
    )


@cli.command("rotate-keys")
def rotate_keys() -> None:
    """Re-encrypt every stored TOTP secret under the newest of KASSABOK_FERNET_KEYS."""
    session = get_session()
    users = session.exec(select(User).where(User.totp_secret != "")).all()
    failed = []
    for user in users:
        try:
            user.totp_secret = rotate(user.totp_secret)
        except RuntimeError:
            failed.append(str(user.id))
            continue
        session.add(user)
    session.commit()
    click.echo(f"Re-encrypted the TOTP secrets of {len(users) - len(failed)} user(s).")
    if failed:
        raise click.ClickException(
            f"No configured key opens the secret of user(s) {', '.join(failed)}."
        )
