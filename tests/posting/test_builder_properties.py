"""Properties of the builders over generated valid closures: balance, VAT, determinism."""

from __future__ import annotations

import copy
from collections import defaultdict
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from app.posting.builder import BuildSettings, build_voucher
from app.posting.invoices import build_invoices
from tests.closure_strategies import FULL_MAPPING, VAT_ACCOUNTS, valid_closures

FAST = settings(max_examples=200, deadline=None)
# Without tips on invoices allowed a tipped invoice sale is a hold, not a voucher.
build_settings = st.builds(
    BuildSettings,
    series=st.sampled_from(["A", "K"]),
    invoice=st.booleans(),
    tip_on_invoice=st.just(True),
    use_order=st.booleans(),
)


@FAST
@given(valid_closures(), build_settings)
def test_every_valid_closure_gives_a_balanced_voucher(closure: dict, how: BuildSettings) -> None:
    draft = build_voucher(closure, FULL_MAPPING, how, "S12")
    assert draft.total_debit == draft.total_credit
    seen = set()
    for row in draft.rows:
        assert (row.debit > 0) != (row.credit > 0) and min(row.debit, row.credit) == 0
        assert row.debit.as_tuple().exponent == row.credit.as_tuple().exponent == -2
        side = "debit" if row.debit else "credit"
        assert (row.account, side) not in seen
        seen.add((row.account, side))
    assert draft.is_empty == (draft.rows == ())


@FAST
@given(valid_closures(), build_settings)
def test_output_vat_per_rate_is_the_closures_vat(closure: dict, how: BuildSettings) -> None:
    expected: dict[str, Decimal] = defaultdict(Decimal)
    for line in closure["sales"]:
        expected[line["vat_rate"]] += Decimal(line["vat"])
    if how.invoice:
        for sale in closure.get("invoice_sales", []):
            for line in sale["lines"]:
                expected[line["vat_rate"]] -= Decimal(line["vat"])
    draft = build_voucher(closure, FULL_MAPPING, how, "S12")
    for rate, account in VAT_ACCOUNTS.items():
        booked = sum((r.credit - r.debit for r in draft.rows if r.account == account), Decimal(0))
        assert booked == expected[rate]


@FAST
@given(valid_closures(), build_settings)
def test_building_is_deterministic(closure: dict, how: BuildSettings) -> None:
    again = copy.deepcopy(dict(reversed(list(closure.items()))))
    first = build_voucher(closure, FULL_MAPPING, how, "S12")
    assert first == build_voucher(again, copy.deepcopy(FULL_MAPPING), how, "S12")
    assert build_invoices(closure, FULL_MAPPING, how, "S12") == build_invoices(
        again, FULL_MAPPING, how, "S12"
    )


@FAST
@given(valid_closures())
def test_invoices_carry_exactly_what_the_voucher_leaves_out(closure: dict) -> None:
    on = BuildSettings(invoice=True, tip_on_invoice=True)
    drafts = build_invoices(closure, FULL_MAPPING, on, "S12")
    paid = sum(
        (Decimal(p["amount"]) for p in closure["payments"] if p["method"] == "INVOICE"),
        Decimal(0),
    )
    assert sum((d.expected_total for d in drafts), Decimal(0)) == paid
    for draft in drafts:
        vat = sum((r.price * r.quantity * r.vat / 100 for r in draft.rows), Decimal(0))
        assert abs(vat - draft.expected_vat) <= Decimal("0.01") * len(draft.rows)
