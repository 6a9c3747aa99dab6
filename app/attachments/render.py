"""A Z-report Kassabok renders from a closure when the POS sent none: one A4 page, in Swedish."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

from babel.numbers import format_percent
from flask import current_app
from flask_babel import force_locale
from sqlmodel import Session, select

from app.attachments.sheet import sheet
from app.closures.models import Closure
from app.companies.models import Company, Store
from app.db import utcnow

TEMPLATE = "attachments/zreport_pdf.html"


def _moment(value: object) -> datetime | None:
    """A timestamp of the payload (ISO 8601 with its offset), or None."""
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def rate(value: Decimal, language: str = "sv") -> str:
    """A VAT rate as a percentage ("25 %" in Swedish)."""
    return format_percent(value / 100, locale=language, decimal_quantization=False)


def method(code: str) -> str:
    """A payment method in words (one the POS named itself, as it named it)."""
    from app.mapping.editor import LABELS

    return str(LABELS.get(code, code))


def zreport_html(session: Session, closure: Closure, language: str = "sv") -> str:
    """The page as HTML, written in language (Swedish: the books' language)."""
    company = session.get(Company, closure.company_id)
    store = session.exec(
        select(Store).where(
            Store.company_id == closure.company_id, Store.store_id == closure.store_code
        )
    ).first()
    payload = closure.payload or {}
    with force_locale(language):
        return current_app.jinja_env.get_template(TEMPLATE).render(
            closure=closure,
            company=company,
            store=store,
            sheet=sheet(payload),
            currency=payload.get("currency", "SEK"),
            opened_at=_moment(payload.get("opened_at")),
            closed_at=_moment(payload.get("closed_at")),
            rendered_at=utcnow(),
            language=language,
            rate=lambda value: rate(value, language),
            method=method,
        )


def render_zreport(session: Session, closure: Closure) -> bytes:
    """The closure's Z-report as a PDF (WeasyPrint, the vendored fonts)."""
    from weasyprint import HTML

    static = Path(current_app.static_folder or "static")
    html = zreport_html(session, closure)
    return HTML(string=html, base_url=str(static) + "/").write_pdf()
