"""The bank tests' day on a store chain's account, written by app/bank/camt_write.py."""

from __future__ import annotations

from decimal import Decimal

from app.bank.camt_write import Ntry, Tx, statement


def day_statement(version: int = 2, statement_id: str = "STMT-2026-11-26") -> bytes:
    """A day on a store chain's account: a card payout, a Swish batch of two, a fee."""
    return statement(
        [
            Ntry(
                "1387.35",
                servicer_ref="ADYEN-412",
                txs=[Tx(end_to_end="TX4711", text="ADYEN PAYOUT BATCH 412", party="Adyen N.V.")],
            ),
            Ntry(
                "500.00",
                servicer_ref="SWISH-0001",
                entry_ref="N2",
                txs=[
                    Tx(Decimal("200.00"), "SW-1", "Swish S12", party="Kund Ett"),
                    Tx(
                        Decimal("300.00"),
                        "SW-2",
                        "Swish S14",
                        reference="123456789",
                        party="Kund Två",
                    ),
                ],
            ),
            Ntry(
                "49.00",
                side="DBIT",
                servicer_ref="FEE-11",
                code=("ACMT", "MDOP", "CHRG"),
                booked_as_moment=True,
                txs=[Tx(text="Månadsavgift")],
            ),
        ],
        version=version,
        statement_id=statement_id,
    )
