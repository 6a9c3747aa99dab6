"""The grid's cells as HTML, for the month grid and for a cell swapped in when a job ends."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from babel.dates import get_day_names
from flask import url_for
from flask_babel import get_locale, gettext
from markupsafe import Markup, escape

from app.i18n import date as format_date
from app.reconcile.grid import Cell
from app.reconcile.texts import STATUS_TEXT
from app.reconcile.zchain import Mark


class Column(NamedTuple):
    """A day of the grid, its label formatted once for every row."""

    day: date
    iso: str
    label: Markup
    weekend: bool


def column(day: date) -> Column:
    """The grid column of a day, in the user's language."""
    return _column(str(get_locale()), day)


def weekdays() -> list[str]:
    """Monday to Sunday, short, in the user's language (the phone's calendar heads)."""
    names = get_day_names("short", locale=str(get_locale()))
    return [names[n] for n in range(7)]


@lru_cache(maxsize=2048)
def _column(locale: str, day: date) -> Column:
    # A day's name in a language never changes: format it once per process, not per request.
    return Column(day, day.isoformat(), escape(format_date(day)), day.weekday() >= 5)


class CellWriter:
    """Writes grid cells: colour, a mark and words, so status never rests on colour alone."""

    # Written in Python, not a template: a month has ~1,500 cells, and a Jinja macro per cell
    # rendered the board 2.5x slower. Texts are translated and escaped once per request.

    def __init__(
        self,
        company_id: int,
        days: list[date],
        only: str = "",
        breaks: Mapping[tuple[str, date], list[Mark]] | None = None,
    ) -> None:
        self.columns = [column(day) for day in days]
        self._by_day = {c.day: c for c in self.columns}
        self._company_id = company_id
        self._only = only
        self._words = {
            status: (escape(str(label)), escape(mark))
            for status, (label, mark) in STATUS_TEXT.items()
        }
        self._reviewed = escape(gettext("reviewed"))
        # A store-day with a Z-chain break: its words, and whether every break there is explained.
        self._breaks = {
            key: (escape("; ".join(m.words for m in marks)), all(m.explained for m in marks))
            for key, marks in (breaks or {}).items()
        }

    def href(self, store_code: str) -> str:
        """A store's cell URL up to its day, which ends it: one url_for per row, not per cell."""
        url = url_for("dashboard.cell", company_id=self._company_id, store_code=store_code, day="-")
        return url[:-1]

    def row(self, store_code: str, cells: list[Cell]) -> Markup:
        """A store's cells, one per column."""
        code, href = escape(store_code), escape(self.href(store_code))
        pairs = zip(cells, self.columns, strict=True)
        return Markup("".join(self._td(cell, col, code, href, "") for cell, col in pairs))

    def td(self, cell: Cell, oob: bool = False) -> Markup:
        """One cell; oob swaps it in place of the grid's (htmx out-of-band)."""
        col = self._by_day.get(cell.day) or column(cell.day)
        code, href = escape(cell.store_code), escape(self.href(cell.store_code))
        swap = ' hx-swap-oob="outerHTML"' if oob else ""
        return Markup(self._td(cell, col, code, href, swap))

    def _td(self, cell: Cell, col: Column, code: str, href: str, swap: str) -> str:
        """A cell's HTML from parts already escaped."""
        label, mark = self._words[cell.status]
        css = f"cell st-{cell.status}"
        if cell.reviewed:
            css += " is-reviewed"
        if self._only and cell.status != self._only:
            css += " is-dim"
        chain, badge = self._breaks.get((cell.store_code, cell.day)), ""
        if chain:
            css += " has-z is-explained" if chain[1] else " has-z"
            badge = f'<span class="cell-z" aria-hidden="true" title="{chain[0]}">Z</span>'
        if cell.closures:
            words = f"{code} {col.label}: {label}"
            if cell.reviewed:
                words += f", {self._reviewed}"
            if chain:
                words += f"; {chain[0]}"
            url = f"{href}{col.iso}"
            inner = (
                f'<a href="{url}" hx-get="{url}"><span aria-hidden="true">{mark}</span>{badge}'
                f'<span class="visually-hidden">{words}</span></a>'
            )
        else:
            said = f"{label}; {chain[0]}" if chain else label
            inner = f'{badge}<span class="visually-hidden">{said}</span>'
        return f'<td id="cell-{code}-{col.iso}" class="{css}"{swap}>{inner}</td>'
