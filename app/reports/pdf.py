"""Build the PDF audit report: gather the period's data, render the templates, WeasyPrint."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date
from babel.support import NullTranslations, Translations
from flask import current_app
from flask_babel import force_locale
from sqlmodel import Session

from app.audit.service import verify
from app.companies.models import Company
from app.i18n import number
from app.reconcile.reviews import changed
from app.reports import evidence, lines, sections, trail
from app.reports.clearing import FINDING_KINDS, UNSETTLED_KINDS, clearing, covered
from app.reports.data import STATUS_LABELS, Scope, report_rows, store_days, stores_of
from app.reports.fingerprint import fingerprint
from app.reports.trail import N_
from app.words import code_label

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
Progress = Callable[[int, str], None]

# What broke the audit chain (ChainReport.code), in the report's language.
CHAIN_PROBLEMS = {
    "link": N_("link to the previous event broken"),
    "content": N_("content altered after it was written"),
}


@dataclass(frozen=True)
class Built:
    """A finished PDF and the fingerprint of the data it covers."""

    pdf: bytes
    fingerprint: str
    pages: int
    closures: int


def translator(language: str) -> NullTranslations:
    """The report's Swedish or English texts (English is the source language)."""
    return Translations.load(str(TRANSLATIONS), [language], domain="reports")


class Formats:
    """Amounts, dates and times written the way the report's language writes them."""

    def __init__(self, language: str, zone: str) -> None:
        self.language = language
        self.zone = ZoneInfo(zone)
        self.tr = translator(language)

    def gettext(self, text: str, **values: Any) -> str:
        """Translate text and fill in %(name)s placeholders."""
        out = self.tr.gettext(text)
        return out % values if values else out

    def money(self, value: Decimal | None) -> str:
        """An amount as the language writes it, e.g. −13 400,00 or -13,400.00 (app.i18n)."""
        if value is None:
            return "—"
        return number(value, locale=self.language)

    def signed(self, value: Decimal) -> str:
        """A difference with its sign either way: +100,00 or −100,00."""
        return ("+" if value > 0 else "") + self.money(value)

    def code(self, code: str) -> str:
        """A POS code (CASH, CARD...) in the language's words, as the pages name it."""
        with force_locale(self.language):
            return code_label(code)

    def day(self, value: date, long: bool = False) -> str:
        """A date: ISO in tables, spelled out (24 november 2026) in prose."""
        return format_date(value, "long", locale=self.language) if long else value.isoformat()

    def month(self, value: date) -> str:
        """A month spelled out: October 2026, oktober 2026."""
        return format_date(value, "LLLL y", locale=self.language)

    def moment(self, value: datetime | None) -> str:
        """A time in the company's zone, to the second."""
        if value is None:
            return ""
        return value.astimezone(self.zone).strftime("%Y-%m-%d %H:%M:%S")


def build_pdf(
    session: Session,
    *,
    company: Company,
    scope: Scope,
    language: str,
    ordered_by: str,
    ordered_at: datetime,
    progress: Progress | None = None,
) -> Built:
    """Render the audit report of scope in language and return the PDF and its fingerprint."""
    step = progress or (lambda _pct, _stage: None)
    zone = current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/Stockholm")
    step(5, "reading closures")
    rows = report_rows(session, scope)
    stores = stores_of(session, scope)
    codes = [s.store_id for s in stores]
    days = store_days(session, scope, codes)
    reconciled = bool(days)
    step(15, "reading the Z-chain and VAT tie-outs")
    chain = evidence.chain(session, scope, codes)
    vat = evidence.vat_months(session, scope)
    cleared = clearing(session, scope, codes)
    proof = evidence.covered(chain.findings, vat) | covered(cleared)
    digest = fingerprint(company.orgnr, scope, codes, rows, days, proof)
    step(20, "reading the audit trail")
    targets = trail.closure_targets((r.pk for r in rows), (r.closure_id for r in rows))
    events = trail.period_events(session, scope.company_id, scope.start, scope.end, zone, targets)
    opens, closes = trail.window(scope.start, scope.end, zone)
    fmt = Formats(language, zone)
    reviews = sections.reviews(session, scope.company_id, scope.start, scope.end)
    context = {
        "_": fmt.gettext,
        "fmt": fmt,
        "company": company,
        "scope": scope,
        "store_names": [f"{s.store_id} {s.name}" for s in stores] if scope.store_ids else [],
        "ordered_by": ordered_by,
        "ordered_at": ordered_at,
        "fingerprint": digest,
        "reconciled": reconciled,
        "summary": sections.summarize(rows, days),
        "stores": sections.store_sections(rows, stores, days),
        "differing_days": sections.differing_days(days, reviews),
        "exceptions": sections.exceptions(rows, trail.by_closure(events, rows), reviews),
        "changed": partial(changed, signed=fmt.signed),  # a review the day outgrew: was, now
        "zchain": chain,
        "worded": partial(evidence.worded, language=language),
        "vat_months": vat,
        "clearing": cleared,
        "finding_kinds": FINDING_KINDS,
        "unsettled_kinds": UNSETTLED_KINDS,
        "document_what": partial(evidence.document_what, language=language),
        "mapping": sections.mapping_in_force(session, scope.company_id, rows, opens, closes),
        "events": [e for e in events if not trail.is_routine(e)],
        "routine": _routine(events, fmt),
        "chain": verify(session, company_id=scope.company_id),
        "chain_problem": CHAIN_PROBLEMS,
        "actions": trail.ACTIONS,
        "status_names": STATUS_LABELS,
        "status_text": {k: fmt.gettext(v) for k, v in STATUS_LABELS.items()},
        "action_text": {k: fmt.gettext(v) for k, v in trail.ACTIONS.items()},
        "lines": lines,
        "changes": trail.changes,
    }
    step(30, "laying out pages")
    html = current_app.jinja_env.get_template("reports/pdf/report.html").render(context)
    return _weasyprint(html, digest, len(rows), step)


def _routine(events: list[Any], fmt: Formats) -> str:
    """Kassabok's automatic per-closure events as fixed-width lines (cheap to lay out)."""
    labels = {k: fmt.gettext(v) for k, v in trail.ACTIONS.items()}
    return "\n".join(
        lines.log_line(e, fmt.moment(e.created_at), labels.get(e.action, e.action))
        for e in events
        if trail.is_routine(e)
    )


def _weasyprint(html: str, digest: str, closures: int, step: Progress) -> Built:
    """Lay out and write the PDF with the vendored fonts."""
    from weasyprint import HTML

    static = Path(current_app.static_folder or "static")
    document = HTML(string=html, base_url=str(static) + "/").render()
    step(85, "writing the PDF")
    pdf = document.write_pdf()
    step(100, "done")
    return Built(pdf=pdf, fingerprint=digest, pages=len(document.pages), closures=closures)
