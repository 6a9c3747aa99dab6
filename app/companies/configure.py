"""Change a company's settings, validated and audited; `flask companies configure` calls it."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import click
from flask.cli import with_appcontext
from sqlmodel import Session

from app.audit.service import record
from app.companies.models import Company
from app.db import get_session
from app.mapping.rechecks import after_change
from app.mapping.texts import _

BOOLS = ("sync_sales", "approve_first", "invoice", "tip_on_invoice", "use_order", "auto_correct")
FIELDS = (*BOOLS, "voucher_series", "start_date", "cash_threshold", "language")
LANGUAGES = ("sv", "en")
SERIES = re.compile(r"[A-Z0-9]{1,10}")
_ON = {"on": True, "true": True, "yes": True, "1": True}
_OFF = {"off": False, "false": False, "no": False, "0": False}


class SettingsInvalid(Exception):
    """Settings that may not be saved: field → what to fix."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = dict(problems)
        super().__init__("; ".join(f"{k}: {v}" for k, v in self.problems.items()))


def _coerce(name: str, value: Any) -> Any:
    """value as the field's type; raises ValueError with what to fix."""
    if name in BOOLS:
        if isinstance(value, bool):
            return value
        switch = {**_ON, **_OFF}.get(str(value).strip().lower())
        if switch is None:
            raise ValueError(_("must be on or off"))
        return switch
    if name == "voucher_series":
        code = str(value).strip().upper()
        if not SERIES.fullmatch(code):
            raise ValueError(_("a voucher series code is 1 to 10 letters or digits, e.g. A"))
        return code
    if name == "start_date":
        if value is None or isinstance(value, date) or value == "":
            return value or None
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            raise ValueError(_("a date as YYYY-MM-DD, e.g. 2026-01-01")) from None
    if name == "cash_threshold":
        try:
            amount = Decimal(str(value).strip().replace(",", "."))
        except InvalidOperation:
            raise ValueError(_("an amount in SEK, e.g. 100.00")) from None
        if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
            raise ValueError(_("an amount of 0 or more, with at most 2 decimals"))
        return amount.quantize(Decimal("0.01"))
    if name == "language":
        code = str(value).strip().lower()
        if code not in LANGUAGES:
            raise ValueError(_("one of %(l)s", l=", ".join(LANGUAGES)))
        return code
    raise ValueError(_("not a setting"))


def validate_settings(company: Company, changes: dict[str, Any]) -> dict[str, Any]:
    """changes coerced to their types; raises SettingsInvalid with every problem."""
    problems: dict[str, str] = {}
    clean: dict[str, Any] = {}
    for name, value in changes.items():
        if name not in FIELDS:
            problems[name] = _("not a setting; settings are %(f)s", f=", ".join(FIELDS))
            continue
        try:
            clean[name] = _coerce(name, value)
        except ValueError as exc:
            problems[name] = str(exc)
    invoice = clean.get("invoice", company.invoice)
    for needs in ("use_order", "tip_on_invoice"):
        if clean.get(needs, getattr(company, needs)) and not invoice and needs not in problems:
            problems[needs] = _("needs Invoice on: turn Invoice on, or this off")
    if problems:
        raise SettingsInvalid(problems)
    return clean


def apply_settings(
    session: Session,
    *,
    company: Company,
    changes: dict[str, Any],
    user: Any = None,
    actor: str | None = None,
) -> dict[str, tuple[Any, Any]]:
    """Validate and apply changes; audit before/after, re-run pre-flight and holds; the diff."""
    clean = validate_settings(company, changes)
    diff = {k: (getattr(company, k), v) for k, v in clean.items() if getattr(company, k) != v}
    if not diff:
        return {}
    for name, (_old, new) in diff.items():
        setattr(company, name, new)
    session.add(company)
    session.flush()
    record(
        session,
        action="settings.changed",
        company_id=company.id,
        user=user,
        actor=actor or (None if user is not None else "cli"),
        target=f"company {company.orgnr}",
        detail={
            "before": {k: old for k, (old, _new) in diff.items()},
            "after": {k: new for k, (_old, new) in diff.items()},
        },
    )
    after_change(session, company.id or 0)
    return diff


def company_by_orgnr(session: Session, orgnr: str) -> Company:
    """The company with this organisation number, or a click error saying why not."""
    from app.companies.service import CompanyError, find_company

    try:
        company = find_company(session, orgnr=orgnr)
    except CompanyError as error:
        raise click.UsageError(str(error)) from error
    if company is None:
        raise click.UsageError(f"No company has organisation number {orgnr}.")
    return company


_ONOFF = click.Choice(["on", "off"], case_sensitive=False)
OPTIONS = {
    "sync_sales": ("--sync-sales", _ONOFF),
    "approve_first": ("--approve-first", _ONOFF),
    "invoice": ("--invoice", _ONOFF),
    "tip_on_invoice": ("--tip-on-invoice", _ONOFF),
    "use_order": ("--use-order", _ONOFF),
    "auto_correct": ("--auto-correct", _ONOFF),
    "voucher_series": ("--series", str),
    "start_date": ("--start-date", str),
    "cash_threshold": ("--cash-threshold", str),
    "language": ("--language", click.Choice(LANGUAGES)),
}


def _options(command: Any) -> Any:
    """Add one option per setting (e.g. --sync-sales on|off) to command."""
    for name, (flag, kind) in reversed(OPTIONS.items()):
        command = click.option(flag, name, type=kind, help=f"Set {name}.")(command)
    return command


@click.command("configure")
@click.option("--company", "orgnr", required=True, help="Organisation number, e.g. 556677-8899.")
@_options
@with_appcontext
def configure(orgnr: str, **options: Any) -> None:
    """Change a company's settings (validated, audited; pre-flight and holds re-checked)."""
    session = get_session()
    company = company_by_orgnr(session, orgnr)
    changes = {k: v for k, v in options.items() if v is not None}
    if not changes:
        raise click.UsageError("Give at least one setting to change, e.g. --sync-sales on.")
    try:
        diff = apply_settings(session, company=company, changes=changes, actor="cli")
    except SettingsInvalid as exc:
        session.rollback()
        lines = [f"  {OPTIONS[k][0] if k in OPTIONS else k}: {v}" for k, v in exc.problems.items()]
        raise click.ClickException("\n".join(["Nothing changed:", *lines])) from exc
    session.commit()
    if not diff:
        click.echo(f"{company.name}: nothing to change.")
    for name, (old, new) in diff.items():
        click.echo(f"{company.name}: {OPTIONS[name][0][2:]} {_show(old)} -> {_show(new)}")


def _show(value: Any) -> str:
    """A setting's value as the command line writes it."""
    if isinstance(value, bool):
        return "on" if value else "off"
    return "(none)" if value is None else str(value)
