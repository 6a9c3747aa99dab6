"""An acquirer's settlement CSV read through its profile into plain lines."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from app.bank.profiles import Profile
from app.bank.xmlread import FileProblem, FileRefused
from app.closures.problems import MAX_PROBLEMS, _

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Line:
    """One settlement row in Kassabok's terms (fee: what the acquirer kept)."""

    line_no: int
    kind: str
    raw_type: str
    transaction_date: date | None
    store: str
    payment_method: str
    gross: Decimal
    fee: Decimal | None
    net: Decimal | None
    currency: str
    payout_reference: str
    payout_date: date | None
    reference: str
    identity: str = ""  # the row as the acquirer wrote it, hashed (row_identity)


def row_identity(fields: list[object]) -> str:
    """A row's identity: what the profile reads of it, time of day included, whatever file.

    Two files of one acquirer that both hold a row give it the same identity, so a later file's
    repeat of a line is known; the row's place in its file is left out.
    """
    text = "\x1f".join(_word(value) for value in fields)
    return hashlib.sha256(text.encode()).hexdigest()


def _word(value: object) -> str:
    """One field as identity text: amounts to the öre however they were stored."""
    if value is None:
        return ""
    return f"{value:.2f}" if isinstance(value, Decimal) else str(value)


def weak_identity(line: object) -> tuple[object, ...]:
    """What a stored line says of its row (a line stored before rows had an identity)."""
    names = ("kind", "raw_type", "transaction_date", "store", "payment_method", "gross", "fee")
    more = ("net", "currency", "payout_reference", "payout_date", "reference")
    return tuple(getattr(line, name) for name in (*names, *more))


def parse_settlement(raw: bytes, profile: Profile, zone: str = "Europe/Stockholm") -> list[Line]:
    """Every row of the file as a Line; FileRefused names each problem by row and column."""
    try:
        text = raw.decode(profile.encoding)
    except UnicodeDecodeError as error:
        msg = _("The file is not {0} text (byte {1}); choose the profile with the right encoding.")
        raise FileRefused(
            FileProblem("", None, msg.format(profile.encoding, error.start))
        ) from None
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=profile.delimiter))
    first = profile.skip_lines + (1 if profile.header else 0)
    where = _positions(profile, rows[profile.skip_lines] if len(rows) > profile.skip_lines else [])
    reader = _RowReader(profile, where, ZoneInfo(zone))
    lines = []
    for number, row in enumerate(rows[first:], start=first + 1):
        if not any(cell.strip() for cell in row):
            continue
        line = reader.line(number, row)
        if line is not None:
            lines.append(line)
    if reader.problems:
        raise FileRefused(*reader.problems)
    if not lines:
        msg = _("The file holds no settlement rows under its header; the export is empty.")
        raise FileRefused(FileProblem("", first, msg))
    return lines


def _positions(profile: Profile, header: list[str]) -> dict[str, int | None]:
    """Where each column the profile names is (0-based), None for an absent optional one."""
    names = [cell.strip().lstrip("\ufeff") for cell in header]
    wanted = dict(profile.columns)
    wanted.update({c.lstrip("-"): c.lstrip("-") for cols in profile.money.values() for c in cols})
    found: dict[str, int | None] = {}
    missing = []
    for key, column in wanted.items():
        if re.fullmatch(r"#\d+", column):
            found[column] = int(column[1:]) - 1
        elif column in names:
            found[column] = names.index(column)
        elif key in profile.optional:
            found[column] = None
        else:
            missing.append(column)
    if missing:
        msg = _("The header row lacks the column(s) {0} that profile {1} reads; it has: {2}.")
        shown = ", ".join(names[:30]) or "nothing"
        line = profile.skip_lines + 1
        raise FileRefused(
            FileProblem("header", line, msg.format(", ".join(missing), profile.name, shown))
        )
    return found


class _RowReader:
    """Reads one row at a time, noting problems (row, column, what) as it goes."""

    def __init__(self, profile: Profile, where: dict[str, int | None], zone: ZoneInfo) -> None:
        self.profile, self.where, self.zone = profile, where, zone
        self.problems: list[FileProblem] = []

    def cell(self, row: list[str], field: str) -> str:
        """The stripped text of a profile field's column in row ('' when absent)."""
        column = self.profile.columns.get(field)
        index = self.where.get(column) if column else None
        return row[index].strip() if index is not None and index < len(row) else ""

    def note(self, number: int, column: str, message: str) -> None:
        """Keep one problem, up to the cap."""
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(FileProblem(f"row {number}, {column}", number, message))

    def money(self, number: int, row: list[str], key: str) -> Decimal | None:
        """The signed sum of a money field's columns; None when the profile has none."""
        columns = self.profile.money.get(key)
        if not columns:
            return None
        total = Decimal(0)
        for column in columns:
            name = column.lstrip("-")
            index = self.where.get(name)
            text = row[index].strip() if index is not None and index < len(row) else ""
            value = self._number(number, name, text)
            total += -value if column.startswith("-") else value
        return total

    def _number(self, number: int, column: str, text: str) -> Decimal:
        """A cell as an amount to the öre ('' is nothing: 0)."""
        p = self.profile
        cleaned = text.replace("\u00a0", "").replace("\u2212", "-")
        if p.thousands:
            cleaned = cleaned.replace(p.thousands, "")
        cleaned = cleaned.replace(p.decimal, ".") if p.decimal == "," else cleaned
        if not cleaned:
            return Decimal(0)
        try:
            value = Decimal(cleaned)
        except InvalidOperation:
            mark = f"1{p.thousands}250{p.decimal}00"
            msg = _("{0} is not an amount as profile {1} writes them (like {2}).")
            self.note(number, column, msg.format(repr(text), p.name, mark))
            return Decimal(0)
        if p.minor_units:
            value = value / 100
        if value != value.quantize(CENT) or not value.is_finite():
            msg = _("{0} has parts of an öre; Kassabok keeps amounts to the öre.")
            self.note(number, column, msg.format(repr(text)))
            return Decimal(0)
        return value.quantize(CENT)

    def day(self, number: int, row: list[str], field: str) -> date | None:
        """A field's date, read with the profile's format (a moment turned into local time)."""
        text = self.cell(row, field)
        if not text:
            return None
        try:
            if self.profile.date_format == "iso":
                moment = datetime.fromisoformat(text)
                return moment.astimezone(self.zone).date() if moment.tzinfo else moment.date()
            return datetime.strptime(text, self.profile.date_format).date()
        except ValueError:
            msg = _("{0} is not a date as profile {1} writes them ({2}).")
            self.note(
                number,
                self.profile.columns[field],
                msg.format(repr(text), self.profile.name, self.profile.date_format),
            )
            return None

    def line(self, number: int, row: list[str]) -> Line | None:
        """The row as a Line, None for a row the profile skips (a total, a header record)."""
        raw_type = self.cell(row, "type")
        kind = self.profile.types.get(raw_type, "other") if self.profile.types else "sale"
        if kind == "skip":
            return None
        when = self.day(number, row, "transaction_date")
        if when is None and not self.cell(row, "transaction_date"):
            column = self.profile.columns["transaction_date"]
            self.note(number, column, _("The transaction date is empty; every row needs one."))
        gross, fee, net = self._amounts(number, row, kind)
        if kind == "sale" and gross < 0:
            kind = "refund"
        line = Line(
            line_no=number,
            kind=kind,
            raw_type=raw_type[:80],
            transaction_date=when,
            store=self.cell(row, "store")[:80],
            payment_method=self.cell(row, "payment_method")[:80],
            gross=gross,
            fee=fee,
            net=net,
            currency=(self.cell(row, "currency") or self.profile.currency)[:3].upper(),
            payout_reference=self.cell(row, "payout_reference")[:100],
            payout_date=self.day(number, row, "payout_date"),
            reference=self.cell(row, "reference")[:100],
        )
        moment = self.cell(row, "transaction_date")  # the time of day tells two like rows apart
        return replace(line, identity=row_identity([moment, *weak_identity(line)]))

    def _amounts(
        self, number: int, row: list[str], kind: str
    ) -> tuple[Decimal, Decimal | None, Decimal | None]:
        """(gross, fee, net) of a row; one amount column is placed by the row's kind."""
        amount = self.money(number, row, "amount")
        if amount is not None:
            if kind in ("sale", "refund"):
                return amount, None, amount
            if kind == "fee":
                return Decimal(0), -amount, amount
            return Decimal(0), Decimal(0), amount
        gross = self.money(number, row, "gross") or Decimal(0)
        fee, net = self.money(number, row, "fee"), self.money(number, row, "net")
        if kind == "fee" and not fee and net is not None:
            fee = gross - net  # a fee row: what it takes off the balance is the fee
        if net is None and fee is not None:
            net = gross - fee
        if fee is None and net is not None:
            fee = gross - net
        return gross, fee, net
