"""Alembic environment: the URL from DATABASE_URL (or the app's default), metadata from SQLModel."""

from __future__ import annotations

from logging.config import fileConfig
from pathlib import Path

from alembic import context
from sqlmodel import SQLModel

import app.models  # noqa: F401  (every table must be imported before autogenerate looks)
from app.db import make_engine
from config import Config

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = SQLModel.metadata


def database_url() -> str:
    """The URL to migrate: an explicit -x url=..., else DATABASE_URL, else the default SQLite."""
    url = context.get_x_argument(as_dictionary=True).get("url") or Config.DATABASE_URL
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    return url


def run_migrations_offline() -> None:
    """Emit SQL without a connection."""
    context.configure(url=database_url(), target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Migrate a live database."""
    connectable = config.attributes.get("connection")
    if connectable is None:
        connectable = make_engine(database_url())
    with connectable.connect() if hasattr(connectable, "connect") else connectable as conn:
        context.configure(
            connection=conn,
            target_metadata=target_metadata,
            render_as_batch=conn.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        conn.commit()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
