"""The month board's context (filters, grid, legend, chart), for its page and a job's answer."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from flask import url_for
from flask_login import current_user
from sqlmodel import Session

from app.auth.scoping import EDITORS, role_in, visible_store_ids
from app.companies.models import Company
from app.extensions import htmx
from app.reconcile import bulk, zchain
from app.reconcile.cache import cursor_for
from app.reconcile.cells import CellWriter, weekdays
from app.reconcile.chart import month_chart
from app.reconcile.facts import STATUSES
from app.reconcile.grid import month_grid, parse_month, shift
from app.reconcile.texts import DOCUMENT_TEXT, STATUS_TEXT


def texts() -> dict[str, Any]:
    """The status names every reconcile template uses, translated once per request."""
    return {
        "status_text": {s: (str(label), mark) for s, (label, mark) in STATUS_TEXT.items()},
        "document_text": {k: str(v) for k, v in DOCUMENT_TEXT.items()},
        "statuses": STATUSES,
    }


def board_context(session: Session, company: Company, args: Mapping[str, str]) -> dict[str, Any]:
    """Grid, legend, chart, filters and warnings of the board the query args ask for."""
    view = bulk.view_of(args)
    month, status, store = view.month, view.status, view.store
    visible = visible_store_ids(session, current_user, company)
    role = role_in(session, current_user, company)
    grid = month_grid(session, company, visible, month)
    chain = zchain.month_chain(session, company.id or 0, grid, visible)  # once per board
    return {
        "company": company,
        "grid": grid,
        "rows": [s for s in grid.stores if not store or s[0] == store],
        "cells": CellWriter(company.id or 0, grid.days, status, chain.at()),
        "chart": month_chart(grid),
        "month": month,
        "prev_month": shift(month, -1).strftime("%Y-%m"),
        "next_month": shift(month, 1).strftime("%Y-%m"),
        "only": status,
        "store": store,
        "cursor": cursor_for(session, company.id or 0),
        "can_run": role in EDITORS,
        "bulk": bulk.offers(session, company, visible, role, view),
        "filters": view.query(),
        "weekdays": weekdays(),
        "chain": chain,
        "strips": zchain.board(chain, store),
        **texts(),
    }


def shown_board(company: Company, day: date) -> dict[str, str] | None:
    """The board's query when the page htmx asks from shows the month of day; else None.

    A request without htmx's current URL is taken to come from the month's unfiltered board.
    """
    current = htmx.current_url if htmx else None
    if not current:
        return {"month": day.strftime("%Y-%m")}
    url = urlsplit(current)
    if url.path != url_for("dashboard.index", company_id=company.id):
        return None  # e.g. the day's own page: there is no grid or legend to update
    args = dict(parse_qsl(url.query))
    if parse_month(args.get("month")) != day.replace(day=1):
        return None
    return args
