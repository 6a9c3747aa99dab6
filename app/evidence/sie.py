"""SIE 4 of the vouchers Kassabok posted, for an auditor's tools (pure: a book in, bytes out).

SIE 4B (SIE-Gruppen): one record a line, `#LABEL field field …`; text fields in double quotes
with `\\"` for a quote; amounts with a decimal point, debit positive and credit negative, each
#VER's #TRANS summing to zero; dates YYYYMMDD; `#FORMAT PC8` means the IBM PC character set, code
page 437. Cost centers are objects of dimension 1 (kostnadsställe). Balances (#IB, #UB, #RES) are
left out: Kassabok holds its own vouchers, not the whole ledger. #KSUMMA (optional) is not written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

ENCODING = "cp437"
PROGRAM = ("Kassabok", "1.0")
ZERO = Decimal("0.00")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class SieVoucher:
    """One voucher: series, number, date, text and rows (account, cost center, debit − credit)."""

    series: str
    number: int
    day: date
    text: str
    rows: tuple[tuple[str, str, Decimal], ...]


@dataclass(frozen=True)
class SieBook:
    """What one export holds: the company, its financial year, names, and the vouchers."""

    company: str
    orgnr: str
    year: tuple[date, date]
    generated: date
    vouchers: tuple[SieVoucher, ...]
    accounts: dict[str, str] = field(default_factory=dict)
    cost_centers: dict[str, str] = field(default_factory=dict)


def quoted(text: str) -> str:
    """A text field: in quotes, a quote escaped, line breaks and tabs (never allowed) as spaces."""
    flat = _CONTROL.sub(" ", str(text)).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{flat}"'


def _day(value: date) -> str:
    return value.strftime("%Y%m%d")


def _amount(value: Decimal) -> str:
    return f"{Decimal(value).quantize(Decimal('0.01')):.2f}"


def _objects(cost_center: str) -> str:
    return f"{{1 {quoted(cost_center)}}}" if cost_center else "{}"


def lines(book: SieBook) -> Iterable[str]:
    """The file's records, one a line, in the order SIE 4 sets them out."""
    yield "#FLAGGA 0"
    yield f"#PROGRAM {quoted(PROGRAM[0])} {PROGRAM[1]}"
    yield "#FORMAT PC8"
    yield f"#GEN {_day(book.generated)}"
    yield "#SIETYP 4"
    yield f"#ORGNR {book.orgnr}"
    yield f"#FNAMN {quoted(book.company)}"
    yield f"#RAR 0 {_day(book.year[0])} {_day(book.year[1])}"
    yield "#VALUTA SEK"
    used = sorted({account for v in book.vouchers for account, _cc, _a in v.rows})
    for account in used:
        yield f"#KONTO {account} {quoted(book.accounts.get(account, ''))}"
    centers = sorted({cc for v in book.vouchers for _a, cc, _x in v.rows if cc})
    if centers:
        yield f"#DIM 1 {quoted('Kostnadsställe')}"
        for code in centers:
            yield f"#OBJEKT 1 {quoted(code)} {quoted(book.cost_centers.get(code, code))}"
    for v in book.vouchers:
        yield f"#VER {quoted(v.series)} {v.number} {_day(v.day)} {quoted(v.text)}"
        yield "{"
        for account, cost_center, amount in v.rows:
            yield f"   #TRANS {account} {_objects(cost_center)} {_amount(amount)}"
        yield "}"


def write(book: SieBook) -> bytes:
    """The book as an SIE 4 file: CRLF line ends, code page 437 (what it cannot hold as "?")."""
    unbalanced = [v for v in book.vouchers if sum((a for _x, _c, a in v.rows), ZERO) != 0]
    if unbalanced:
        raise ValueError(f"voucher {unbalanced[0].series} {unbalanced[0].number} does not balance")
    text = "\r\n".join(lines(book)) + "\r\n"
    return text.encode(ENCODING, errors="replace")
