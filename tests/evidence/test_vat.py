"""The VAT tie-out, pure: tills against Kassabok's documents and everything else on the accounts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from app.evidence.vat import Invoice, Till, Voucher, invoice_vat, tie_out
from app.evidence.vat_service import accounts_of
from tests.closure_strategies import BAS_MAPPING

D = Decimal
DAY = date(2026, 11, 24)
ACCOUNTS = accounts_of(BAS_MAPPING)


def till(z: int, vat: dict[str, str], state: str = "posted") -> Till:
    key = f"KB:S12-Z{z}-r1"
    return Till(f"Z{z} S12", DAY, state, {r: D(a) for r, a in vat.items()},
                frozenset({key, f"{key}-REV", f"{key}-R1-1"}))  # fmt: skip


def voucher(label: str, rows: list[tuple[str, str, str]], key: str | None = None, **kw) -> Voucher:
    return Voucher(
        label,
        DAY,
        kw.pop("description", "hand entry"),
        key,
        kw.pop("reference_type", "MANUAL"),
        kw.pop("reference_number", ""),
        tuple((a, D(d), D(c)) for a, d, c in rows),
    )


def kassabok(z: int, net: str, vat: str, account: str = "3002", vat_account: str = "2621"):
    gross = str(D(net) + D(vat))
    rows = [("1580", gross, "0"), (account, "0", net), (vat_account, "0", vat)]
    return voucher(f"A {z}", rows, key=f"KB:S12-Z{z}-r1")


def test_accounts_come_from_the_mapping_with_bas_where_it_is_silent() -> None:
    assert ACCOUNTS.vat == {"25": "2611", "12": "2621", "6": "2631"}
    assert ACCOUNTS.sales["3002"] == "12" and ACCOUNTS.sales["3004"] == "0"
    custom = accounts_of({"vat": {"12": "2622"}, "sales": {"FOOD:12": "3010"}})
    assert custom.vat["12"] == "2622" and custom.vat["25"] == "2611"
    assert custom.sales["3010"] == "12"


def test_a_month_that_ties_out_lists_nothing() -> None:
    result = tie_out(
        ACCOUNTS, [till(457, {"12": "120.00"})], [kassabok(457, "1000.00", "120.00")], []
    )
    [r25, r12, r6] = result.lines
    assert (r12.tills, r12.vouchers, r12.others, r12.difference) == (D("120"), D("120"), 0, 0)
    assert r25.difference == r6.difference == 0
    assert result.documents == [] and result.deviations == []


def test_the_difference_is_made_up_by_the_documents_listed() -> None:
    tills = [till(457, {"12": "120.00"}), till(458, {"12": "60.00", "25": "25.00"}, "held")]
    vouchers = [
        kassabok(457, "1000.00", "119.00"),  # booked one krona short
        voucher("M 3", [("1930", "250.00", "0"), ("3001", "0", "200.00"), ("2611", "0", "50.00")]),
        voucher(
            "A 9",
            [("1580", "112.00", "0"), ("3002", "0", "100.00"), ("2621", "0", "12.00")],
            key="KB:S99-Z1-r1",
        ),  # fmt: skip
    ]
    result = tie_out(ACCOUNTS, tills, vouchers, [])
    r25, r12 = result.lines[0], result.lines[1]
    assert (r25.tills, r25.others, r25.difference) == (D("25"), D("50"), D("25"))
    assert (r12.tills, r12.vouchers, r12.difference) == (D("180"), D("131"), D("-49"))
    listed = [(d.rate, d.kind, d.label, d.amount, d.why) for d in result.documents]
    assert listed == [
        ("25", "closure", "Z458 S12", D("-25.00"), "held"),
        ("25", "other", "M 3", D("50.00"), "hand entry"),
        ("12", "closure", "Z457 S12", D("-1.00"), "posted"),
        ("12", "closure", "Z458 S12", D("-60.00"), "held"),
        ("12", "orphan", "A 9", D("12.00"), "KB:S99-Z1-r1"),
    ]
    for line in result.lines:
        assert result.explained(line.rate) == line.difference


def test_kassabok_invoices_count_once_and_their_fortnox_voucher_is_not_another() -> None:
    tills = [till(457, {"12": "222.85"})]
    vouchers = [
        kassabok(457, "1000.00", "120.00"),
        voucher(
            "B 7",
            [("1510", "960.00", "0"), ("3002", "0", "857.15"), ("2621", "0", "102.85")],
            reference_type="INVOICE",
            reference_number="7",
        ),  # fmt: skip
    ]
    inv = Invoice("7", DAY, "KB:S12-Z457-r1-R1-1", {"12": D("102.85")})
    result = tie_out(ACCOUNTS, tills, vouchers, [inv])
    r12 = result.lines[1]
    assert (r12.vouchers, r12.invoices, r12.others, r12.difference) == (
        D("120.00"), D("102.85"), 0, 0)  # fmt: skip
    cancelled = Invoice("7", DAY, inv.key, inv.vat, cancelled=True)
    r12 = tie_out(ACCOUNTS, tills, vouchers, [cancelled]).lines[1]
    assert r12.invoices == 0 and r12.difference == D("-102.85")


def test_a_voucher_more_than_a_point_off_its_rate_is_flagged_exactly() -> None:
    ok = voucher(
        "A 1", [("1580", "1125.00", "0"), ("3001", "0", "900.00"), ("2611", "0", "225.00")]
    )
    edge = voucher(
        "A 2", [("1580", "1134.00", "0"), ("3001", "0", "900.00"), ("2611", "0", "234.00")]
    )
    off = voucher(
        "A 3", [("1580", "1134.01", "0"), ("3001", "0", "900.00"), ("2611", "0", "234.01")]
    )
    wrong_rate = voucher(
        "A 4", [("1580", "112.00", "0"), ("3001", "0", "100.00"), ("2621", "0", "12.00")]
    )
    settlement = voucher("A 5", [("2611", "5000.00", "0"), ("2650", "0", "5000.00")])
    result = tie_out(ACCOUNTS, [], [ok, edge, off, wrong_rate, settlement], [])
    flagged = [(d.label, d.rate, d.effective) for d in result.deviations]
    assert flagged == [
        ("A 3", "25", D("26.00")),
        ("A 4", "25", D("0.00")),
        ("A 4", "12", None),  # VAT at 12 % on a voucher with no sales at 12 %
    ]


def test_an_invoice_with_two_rates_is_split_row_by_row() -> None:
    assert invoice_vat([("3002", 12, D("857.12")), ("2890", 0, D("40"))], D("102.85")) == {
        "12": D("102.85")
    }
    split = invoice_vat([("3002", 12, D("100.00")), ("3001", 25, D("10.02"))], D("14.50"))
    assert split == {"12": D("12.00"), "25": D("2.50")}
