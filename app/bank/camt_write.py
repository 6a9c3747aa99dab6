"""camt.053 statements written in the shape each version (.001.02 to .08) gives them.

The tests' statements and the demo's bank (app/bank/demo.py) are written with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from xml.sax.saxutils import escape


@dataclass
class Tx:
    """One transaction of an entry's details."""

    amount: Decimal | None = None
    end_to_end: str | None = None
    text: str = ""
    reference: str | None = None  # Strd/CdtrRefInf/Ref (an OCR number)
    party: str = ""
    side: str | None = None


@dataclass
class Ntry:
    """One entry: an amount on the account with its dates, references and transactions."""

    amount: str
    side: str = "CRDT"
    booked: str = "2026-11-26"
    valued: str = "2026-11-26"
    servicer_ref: str = "SE-REF-1"
    entry_ref: str | None = None
    code: tuple[str, str, str] = ("PMNT", "RCDT", "ESCT")
    txs: list[Tx] = field(default_factory=list)
    booked_as_moment: bool = False


def _tx(version: int, tx: Tx, side: str) -> str:
    """A <TxDtls> as this version writes it."""
    refs = f"<Refs><EndToEndId>{tx.end_to_end}</EndToEndId></Refs>" if tx.end_to_end else ""
    amount = ""
    if tx.amount is not None:
        if version >= 3:
            amount = f'<Amt Ccy="SEK">{tx.amount}</Amt><CdtDbtInd>{tx.side or side}</CdtDbtInd>'
        else:
            amount = f'<AmtDtls><TxAmt><Amt Ccy="SEK">{tx.amount}</Amt></TxAmt></AmtDtls>'
    party = ""
    if tx.party:
        role = "Dbtr" if side == "CRDT" else "Cdtr"
        name = (
            f"<Pty><Nm>{escape(tx.party)}</Nm></Pty>"
            if version >= 8
            else f"<Nm>{escape(tx.party)}</Nm>"
        )
        party = f"<RltdPties><{role}>{name}</{role}></RltdPties>"
    remittance = ""
    if tx.text or tx.reference:
        ustrd = f"<Ustrd>{escape(tx.text)}</Ustrd>" if tx.text else ""
        strd = (
            f"<Strd><CdtrRefInf><Ref>{tx.reference}</Ref></CdtrRefInf></Strd>"
            if tx.reference
            else ""
        )
        remittance = f"<RmtInf>{ustrd}{strd}</RmtInf>"
    return f"<TxDtls>{refs}{amount}{party}{remittance}</TxDtls>"


def _entry(version: int, entry: Ntry) -> str:
    """An <Ntry> as this version writes it."""
    status = "<Sts><Cd>BOOK</Cd></Sts>" if version >= 6 else "<Sts>BOOK</Sts>"
    booked = (
        f"<DtTm>{entry.booked}T09:30:00+01:00</DtTm>"
        if entry.booked_as_moment
        else f"<Dt>{entry.booked}</Dt>"
    )
    domain, family, sub = entry.code
    code = (
        f"<BkTxCd><Domn><Cd>{domain}</Cd><Fmly><Cd>{family}</Cd>"
        f"<SubFmlyCd>{sub}</SubFmlyCd></Fmly></Domn></BkTxCd>"
    )
    details = "".join(_tx(version, tx, entry.side) for tx in entry.txs)
    batch = f"<Btch><NbOfTxs>{len(entry.txs)}</NbOfTxs></Btch>" if len(entry.txs) > 1 else ""
    ref = f"<NtryRef>{entry.entry_ref}</NtryRef>" if entry.entry_ref else ""
    return (
        f'<Ntry>{ref}<Amt Ccy="SEK">{entry.amount}</Amt><CdtDbtInd>{entry.side}</CdtDbtInd>'
        f"{status}<BookgDt>{booked}</BookgDt><ValDt><Dt>{entry.valued}</Dt></ValDt>"
        f"<AcctSvcrRef>{entry.servicer_ref}</AcctSvcrRef>{code}"
        f"{f'<NtryDtls>{batch}{details}</NtryDtls>' if details else ''}</Ntry>"
    )


def statement(
    entries: list[Ntry],
    version: int = 2,
    statement_id: str = "STMT-2026-11-26",
    iban: str = "SE4550000000058398257466",
    opening: str = "1000.00",
    period: tuple[str, str] = ("2026-11-26", "2026-11-26"),
) -> bytes:
    """A whole camt.053.001.0N file with one statement of the given entries over period."""
    lo, hi = period
    total = sum(
        Decimal(e.amount.replace(",", ".")) * (1 if e.side == "CRDT" else -1) for e in entries
    )
    closing = Decimal(opening) + total
    balances = "".join(
        f'<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp><Amt Ccy="SEK">{abs(value)}</Amt>'
        f"<CdtDbtInd>{'CRDT' if value >= 0 else 'DBIT'}</CdtDbtInd>"
        f"<Dt><Dt>{day}</Dt></Dt></Bal>"
        for code, value, day in (("OPBD", Decimal(opening), lo), ("CLBD", closing, hi))
    )
    body = "".join(_entry(version, e) for e in entries)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.0{version}">\n'
        "<BkToCstmrStmt><GrpHdr><MsgId>MSG-1</MsgId>"
        f"<CreDtTm>{hi}T18:00:00</CreDtTm></GrpHdr>\n"
        f"<Stmt><Id>{statement_id}</Id><CreDtTm>{hi}T18:00:00+01:00</CreDtTm>"
        f"<FrToDt><FrDtTm>{lo}T00:00:00+01:00</FrDtTm><ToDtTm>{hi}T23:59:59+01:00</ToDtTm>"
        f"</FrToDt><Acct><Id><IBAN>{iban}</IBAN></Id><Ccy>SEK</Ccy></Acct>{balances}\n"
        f"{body}\n</Stmt></BkToCstmrStmt></Document>\n"
    ).encode()
