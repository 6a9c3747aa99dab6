"""A camt.053 statement's entries (<Ntry>), a batched entry's transactions kept one line each."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from app.bank.xmlread import FileProblem, FileRefused, Lined
from app.closures.problems import MAX_PROBLEMS, _

AMOUNT = re.compile(r"\d{1,18}(\.\d{1,5})?")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Entry:
    """One line on the account: a whole <Ntry>, or one <TxDtls> of a batched one."""

    entry_no: int
    tx_no: int
    tx_count: int
    account: str
    amount: Decimal
    credit_debit: str
    currency: str
    reversal: bool
    status: str
    booking_date: date | None
    value_date: date | None
    entry_reference: str | None
    account_servicer_ref: str | None
    end_to_end_id: str | None
    remittance: str
    creditor_reference: str | None
    bank_transaction_code: str
    counterparty: str
    additional_info: str

    @property
    def signed_amount(self) -> Decimal:
        """The amount as it moves the balance: money out is negative."""
        return -self.amount if self.credit_debit == "DBIT" else self.amount


class Reader:
    """Finds elements by their camt names in one namespace, and collects what is wrong."""

    def __init__(self, namespace: str, zone: ZoneInfo) -> None:
        self.ns = "{" + namespace + "}" if namespace else ""
        self.zone = zone
        self.problems: list[FileProblem] = []

    def _path(self, path: str) -> str:
        return "/".join(self.ns + part for part in path.split("/"))

    def find(self, element: Lined, path: str) -> Lined | None:
        """The first element at path below element, or None."""
        return element.find(self._path(path))  # type: ignore[return-value]

    def all(self, element: Lined, path: str) -> list[Lined]:
        """Every element at path below element."""
        return element.findall(self._path(path))  # type: ignore[return-value]

    def text(self, element: Lined | None, path: str) -> str | None:
        """The stripped text at path, or None when it is absent or empty."""
        found = None if element is None else self.find(element, path)
        text = (found.text or "").strip() if found is not None else ""
        return text or None

    def need(self, element: Lined, path: str, where: str) -> Lined:
        """The element at path, or FileRefused saying it is missing."""
        found = self.find(element, path)
        if found is None:
            msg = _("<{0}> is missing under <{1}>; the file is not a complete camt.053.")
            raise FileRefused(FileProblem(f"{where}/{path}", element.line, msg.format(path, where)))
        return found

    def problem(self, where: str, element: Lined | None, message: str) -> None:
        """Note one problem (the file is refused once the statement is read)."""
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(FileProblem(where, getattr(element, "line", None), message))

    def raise_problems(self) -> None:
        """Refuse the file when any problem was noted."""
        if self.problems:
            raise FileRefused(*self.problems)

    def amount(self, element: Lined, where: str, path: str = "Amt") -> Decimal | None:
        """An amount to the öre; a problem when it is missing, malformed or finer than öre."""
        found = self.find(element, path)
        text = (found.text or "").strip() if found is not None else ""
        if not AMOUNT.fullmatch(text):
            msg = _("The amount {0} is not a number like 1250.00 (no sign, a dot for decimals).")
            self.problem(where, found if found is not None else element, msg.format(repr(text)))
            return None
        value = Decimal(text)
        if value != value.quantize(CENT):
            msg = _("The amount {0} has parts of an öre; Kassabok keeps amounts to the öre.")
            self.problem(where, found, msg.format(text))
            return None
        return value.quantize(CENT)

    def moment(self, element: Lined | None, path: str, where: str) -> datetime | None:
        """A date-time (read in the company's zone when the file gives none), or None."""
        text = self.text(element, path)
        if text is None:
            return None
        try:
            moment = datetime.fromisoformat(re.sub(r"(\.\d{6})\d+", r"\1", text))
        except ValueError:
            msg = _("{0} is not an ISO 8601 date-time like 2026-11-24T18:00:00+01:00.")
            self.problem(where, self.find(element, path), msg.format(repr(text)))  # type: ignore[arg-type]
            return None
        return moment if moment.tzinfo else moment.replace(tzinfo=self.zone)

    def day(self, element: Lined, path: str, where: str) -> date | None:
        """A <Dt> or <DtTm> choice as a calendar day (the date-time's own), or None."""
        holder = self.find(element, path)
        if holder is None:
            return None
        text = self.text(holder, "Dt")
        if text is not None:
            try:
                return date.fromisoformat(text)
            except ValueError:
                msg = _("{0} is not a date like 2026-11-24.")
                self.problem(f"{where}/Dt", self.find(holder, "Dt"), msg.format(repr(text)))
                return None
        moment = self.moment(holder, "DtTm", f"{where}/DtTm")
        return moment.date() if moment is not None else None


def read_entries(
    reader: Reader, statement: Lined, where: str, account: str, currency: str
) -> list[Entry]:
    """Every entry of a statement; a batched entry split into its transactions when they add up."""
    lines: list[Entry] = []
    for n, element in enumerate(reader.all(statement, "Ntry"), start=1):
        entry = _entry(reader, element, f"{where}/Ntry[{n}]", n, account, currency)
        if entry is not None:
            lines.extend(_split(reader, element, entry))
    return lines


def _entry(
    reader: Reader, element: Lined, where: str, n: int, account: str, currency: str
) -> Entry | None:
    """One <Ntry> as a single line (its only transaction's references included)."""
    amount = reader.amount(element, f"{where}/Amt")
    side = reader.text(element, "CdtDbtInd")
    if side not in ("CRDT", "DBIT"):
        msg = _("<CdtDbtInd> is {0}; it must be CRDT (money in) or DBIT (money out).")
        reader.problem(f"{where}/CdtDbtInd", element, msg.format(repr(side or "")))
    amount_element = reader.find(element, "Amt")
    txs = reader.all(element, "NtryDtls/TxDtls")
    only = txs[0] if len(txs) == 1 else None
    booked = reader.day(element, "BookgDt", f"{where}/BookgDt")
    valued = reader.day(element, "ValDt", f"{where}/ValDt")
    if amount is None or side not in ("CRDT", "DBIT"):
        return None
    return Entry(
        entry_no=n,
        tx_no=0,
        tx_count=1,
        account=account,
        amount=amount,
        credit_debit=side,
        currency=(amount_element.get("Ccy") if amount_element is not None else None) or currency,
        reversal=reader.text(element, "RvslInd") == "true",
        status=reader.text(element, "Sts/Cd") or reader.text(element, "Sts") or "",
        booking_date=booked,
        value_date=valued,
        entry_reference=reader.text(element, "NtryRef"),
        account_servicer_ref=reader.text(element, "AcctSvcrRef"),
        **_details(reader, only, side),
        bank_transaction_code=_code(reader, element) or (_code(reader, only) if only else ""),
        additional_info=(reader.text(element, "AddtlNtryInf") or "")[:500],
    )


def _details(reader: Reader, tx: Lined | None, side: str) -> dict[str, str | None]:
    """The references, remittance and counterparty one <TxDtls> carries."""
    if tx is None:
        return {
            "end_to_end_id": None,
            "remittance": "",
            "creditor_reference": None,
            "counterparty": "",
        }
    end_to_end = reader.text(tx, "Refs/EndToEndId")
    found = reader.all(tx, "RmtInf/Ustrd") + reader.all(tx, "RmtInf/Strd/AddtlRmtInf")
    texts = [(element.text or "").strip() for element in found]
    party = "Dbtr" if side == "CRDT" else "Cdtr"
    name = reader.text(tx, f"RltdPties/{party}/Nm") or reader.text(tx, f"RltdPties/{party}/Pty/Nm")
    return {
        "end_to_end_id": None if end_to_end in (None, "NOTPROVIDED") else end_to_end,
        "remittance": " ".join(t for t in texts if t)[:2000],
        "creditor_reference": reader.text(tx, "RmtInf/Strd/CdtrRefInf/Ref"),
        "counterparty": (name or "")[:200],
    }


def _code(reader: Reader, element: Lined) -> str:
    """The bank transaction code: domain/family/sub-family, and the bank's own code."""
    paths = ("BkTxCd/Domn/Cd", "BkTxCd/Domn/Fmly/Cd", "BkTxCd/Domn/Fmly/SubFmlyCd")
    domain = [reader.text(element, path) for path in paths]
    parts = ["/".join(d for d in domain if d)] if any(domain) else []
    proprietary = reader.text(element, "BkTxCd/Prtry/Cd")
    if proprietary:
        parts.append(proprietary)
    return " | ".join(parts)[:100]


def _split(reader: Reader, element: Lined, entry: Entry) -> list[Entry]:
    """A batched entry's transactions as lines, when each has an amount and they add up."""
    txs = reader.all(element, "NtryDtls/TxDtls")
    if len(txs) < 2:
        return [entry]
    lines = []
    for n, tx in enumerate(txs, start=1):
        path = "Amt" if reader.find(tx, "Amt") is not None else "AmtDtls/TxAmt/Amt"
        if reader.find(tx, path) is None:
            return [entry]  # a transaction without its amount: the entry stays whole
        amount = reader.amount(tx, f"Ntry[{entry.entry_no}]/TxDtls[{n}]/{path}", path)
        if amount is None:
            return [entry]
        side = reader.text(tx, "CdtDbtInd") or entry.credit_debit
        lines.append(
            replace(
                entry,
                tx_no=n,
                tx_count=len(txs),
                amount=amount,
                credit_debit=side,
                bank_transaction_code=_code(reader, tx) or entry.bank_transaction_code,
                **_details(reader, tx, side),
            )
        )
    if sum(line.signed_amount for line in lines) != entry.signed_amount:
        return [entry]  # transactions that do not add up to the entry: it stays whole
    return lines
