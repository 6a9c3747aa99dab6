"""Run the post job's reads once, on no rows, so SQLAlchemy has them compiled before rq forks."""

from __future__ import annotations

from contextlib import suppress
from datetime import date

from sqlalchemy.exc import NoResultFound
from sqlmodel import Session

from app.closures.models import Closure, ClosureState
from app.companies.models import Company
from app.fortnox import tokens
from app.posting import checks, documents, revisions, state
from app.reconcile import cache, cache_docs, load
from app.reconcile.models import ClosureCheck

NOBODY = 0  # no row has id 0: every statement runs and finds nothing


def compile_statements(session: Session) -> None:
    """Compile (by running them on no rows) the statements every post job runs; rolled back."""
    day = date(2000, 1, 1)
    ghost = Closure(
        id=NOBODY,
        company_id=NOBODY,
        store_pk=NOBODY,
        closure_id="",
        revision=1,
        store_code="",
        state=ClosureState.QUEUED,
    )
    try:
        session.get(Closure, NOBODY)
        session.get(Company, NOBODY)
        checks.latest_mapping(session, NOBODY)
        checks.cost_center(session, ghost, {})
        tokens.connection(session, NOBODY)
        revisions.older_revisions(session, ghost)
        documents.documents_of(session, NOBODY)
        with suppress(NoResultFound):
            state.still_owner(session, ghost)
        state.set_unknown(session, ghost, False)  # an UPDATE of no row
        cache.check_recorded(session, None, NOBODY, day, day)
        cache_docs.check_recorded_documents(session, None, NOBODY, day, day)
        load.latest_closures(session, NOBODY, day, day)
        load.facts_for(session, Company(id=NOBODY), [])
        load.book_for(session, NOBODY, day, day, [])
        session.get(ClosureCheck, NOBODY)
    finally:
        session.rollback()
