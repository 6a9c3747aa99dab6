"""The Z-chain: gaps, grand-total jumps, repeats and resets, to the öre; revisions are no repeat."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from app.evidence.chain import Break, find_breaks, link_of
from tests.evidence.support import day

D = Decimal


def _chain(*payloads: dict, since: date | None = None) -> list[Break]:
    return find_breaks(
        [link_of(p, date.fromisoformat(p["business_date"])) for p in payloads], since
    )


def test_an_unbroken_chain_with_returns_has_no_break() -> None:
    assert not _chain(
        day(104, "2026-11-03", "1000.00", "0", ("5000.00", "100.00")),
        day(105, "2026-11-04", "2500.50", "40.10", ("7500.50", "140.10")),
        day(106, "2026-11-05", "0.01", "0", ("7500.51", "140.10")),
    )


def test_a_missing_z_is_a_gap_with_what_the_grand_total_says_it_sold() -> None:
    [gap] = _chain(
        day(104, "2026-11-03", "1000.00", "0", ("5000.00", "0.00")),
        day(106, "2026-11-05", "800.00", "0", ("7034.56", "0.00")),
    )
    assert (gap.kind, gap.z_numbers, gap.missing) == ("z_gap", (105,), 1)
    assert gap.amount == D("1234.56") and gap.day == date(2026, 11, 5)
    assert gap.to_json()["amount"] == "1234.56"
    [blind] = _chain(day(7, "2026-11-01"), day(11, "2026-11-06"))
    assert blind.z_numbers == (8, 9, 10) and blind.amount is None  # no grand totals to tell


def test_a_jump_is_the_sales_that_never_reached_us_to_the_ore() -> None:
    breaks = _chain(
        day(104, "2026-11-03", "1000.00", "0", ("5000.00", "10.00")),
        day(105, "2026-11-04", "1000.00", "25.00", ("6000.01", "45.00")),
    )
    assert [(b.kind, b.side, b.z_numbers, b.amount) for b in breaks] == [
        ("grand_total_jump", "sales", (104, 105), D("0.01")),
        ("grand_total_jump", "returns", (104, 105), D("10.00")),
    ]


def test_a_grand_total_that_goes_down_is_a_reset_not_a_jump() -> None:
    [reset] = _chain(
        day(104, "2026-11-03", "1000.00", "0", ("5000.00", "10.00")),
        day(105, "2026-11-04", "300.00", "0", ("300.00", "0.00")),
    )
    assert (reset.kind, reset.side, reset.amount) == ("register_reset", "sales", D("-4700.00"))
    across_a_gap = _chain(
        day(1, "2026-11-01", "10.00", "0", ("10.00", "0.00")),
        day(3, "2026-11-03", "10.00", "0", ("5.00", "0.00")),
    )
    assert [(b.kind, b.amount) for b in across_a_gap] == [
        ("register_reset", D("-5.00")),
        ("z_gap", None),  # a reset leaves nothing to say what the missing Z sold
    ]


def test_the_same_z_under_two_ids_with_other_content_is_a_repeat() -> None:
    first = day(105, "2026-11-04", "1000.00", closure_id="pos:a")
    other = day(105, "2026-11-04", "1200.00", closure_id="pos:b")
    [repeat] = _chain(day(104, "2026-11-03"), first, other, day(106, "2026-11-05"))
    assert (repeat.kind, repeat.z_numbers, repeat.closures) == (
        "z_repeat",
        (105,),
        ("pos:a", "pos:b"),
    )
    resent = day(105, "2026-11-04", "1000.00", closure_id="pos:c")
    resent["revision"] = 3
    assert not _chain(day(104, "2026-11-03"), first, resent, day(106, "2026-11-05"))


def test_a_repeat_does_not_hide_a_jump_it_makes_untestable() -> None:
    a = day(105, "2026-11-04", "1000.00", "0", ("2000.00", "0.00"), closure_id="pos:a")
    b = day(105, "2026-11-04", "1200.00", "0", ("2200.00", "0.00"), closure_id="pos:b")
    kinds = [x.kind for x in _chain(day(104, "2026-11-03", "1000.00", "0", ("1000.00", "0")), a, b)]
    assert kinds == ["z_repeat"]


def test_breaks_belong_to_the_later_z_and_registers_apart() -> None:
    breaks = _chain(
        day(104, "2026-10-31"),
        day(106, "2026-11-02"),
        day(7, "2026-10-30", register="R2"),
        day(9, "2026-10-31", register="R2"),
        since=date(2026, 11, 1),
    )
    assert [(b.register, b.z_numbers) for b in breaks] == [("R1", (105,))]


def test_a_huge_gap_lists_the_first_hundred_and_counts_all() -> None:
    [gap] = _chain(day(1, "2026-11-01"), day(100_002, "2026-11-02"))
    assert len(gap.z_numbers) == 100 and gap.missing == 100_000 and gap.z_numbers[0] == 2


cents = st.integers(0, 10**9).map(lambda c: Decimal(c).scaleb(-2))


@given(st.lists(st.tuples(cents, cents), min_size=2, max_size=12), st.data())
def test_a_chain_kept_exactly_never_breaks_and_one_ore_off_always_does(
    days: list[tuple[Decimal, Decimal]], data: st.DataObject
) -> None:
    payloads, gt_s, gt_r = [], D("0.00"), D("0.00")
    for z, (sold, back) in enumerate(days, start=1):
        gt_s, gt_r = gt_s + sold, gt_r + back
        payloads.append(day(z, "2026-11-01", f"{sold}", f"{back}", (f"{gt_s}", f"{gt_r}")))
    assert not _chain(*payloads)
    at = data.draw(st.integers(1, len(payloads) - 1))
    payloads[at]["grand_total"]["sales"] = f"{D(payloads[at]['grand_total']['sales']) + D('0.01')}"
    kinds = {b.kind for b in _chain(*payloads)}
    assert kinds <= {"grand_total_jump", "register_reset"} and kinds
