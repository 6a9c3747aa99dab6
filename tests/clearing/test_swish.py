"""Swish straight to the bank, pure: per payment, summed per day, refunds, short, unmatched."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from app.clearing.facts import DayStatus, Decision, Entry, Line, Taking, tokens
from app.clearing.match import match
from app.clearing.rollforward import roll_forward
from app.clearing.swish import is_swish, numbers_in

S01, S02 = "1231111111", "1232222222"
NUMBERS = {S01: "S01", S02: "S02"}
JAN = (date(2026, 1, 1), date(2026, 1, 31))
LATER = date(2026, 2, 20)


def _taking(store: str, day: int, amount: str, account: str = "1930") -> Taking:
    return Taking(store, date(2026, 1, day), "SWISH", account, Decimal(amount), (f"{store}-{day}",))


def _entry(n: int, day: int, amount: str, text: str) -> Entry:
    return Entry(n, date(2026, 1, day), Decimal(amount), tokens(text))


def _run(takings: list[Taking], entries: list[Entry], today: date = LATER, **kw):
    out = match(takings, [], entries, stores={}, today=today, swish=NUMBERS, **kw)
    return out, {(d.store, d.day.day): d for d in out.days}


def test_swish_numbers_are_read_however_they_are_written() -> None:
    words = tokens("SWISH FRAN 123 111 11 11 REF 46701234567", "123-222 22 22", "X1233333333Y")
    assert numbers_in(words) == {S01, S02}
    assert is_swish(_entry(1, 5, "10", "Betalning 1231111111"), NUMBERS)
    assert not is_swish(_entry(1, 5, "10", "ADYEN PAYOUT 1231111111999"), NUMBERS)


def test_per_payment_and_daily_summed_entries_settle_their_days() -> None:
    takings = [_taking("S01", 5, "300.00"), _taking("S02", 5, "500.00")]
    entries = [
        _entry(1, 5, "100.00", f"Swish {S01} Kund A"),
        _entry(2, 5, "200.00", f"Swish {S01} Kund B"),
        _entry(3, 7, "500.00", "SWISH 123 222 22 22 DAGSSUMMA 2026-01-05"),
    ]
    out, days = _run(takings, entries)
    assert days[("S01", 5)].status == DayStatus.SETTLED and days[("S01", 5)].entry_ids == [1, 2]
    assert days[("S02", 5)].status == DayStatus.SETTLED and days[("S02", 5)].entry_ids == [3]
    assert days[("S02", 5)].in_bank == Decimal("500.00") and out.unmatched == []
    rf = roll_forward("1930", out.days, out.payouts, *JAN)
    assert rf.sales == Decimal("800.00") and rf.payouts == Decimal("800.00")
    assert rf.closing == 0 and rf.findings == [] and rf.unexplained == 0


def test_a_refund_debit_nets_and_a_weekend_is_paid_on_monday() -> None:
    # Friday 9th 450 net of a 50 refund; Saturday and Sunday booked on Monday 12th with Monday's.
    takings = [_taking("S01", n, a) for n, a in ((9, "450.00"), (10, "80.00"), (11, "120.00"))]
    takings.append(_taking("S01", 12, "60.00"))
    entries = [
        _entry(1, 9, "500.00", f"Swish {S01}"),
        _entry(2, 9, "-50.00", f"Swish återbetalning {S01}"),
        _entry(3, 12, "30.00", f"Swish {S01}"),
        _entry(4, 12, "50.00", f"Swish {S01}"),
        _entry(5, 12, "120.00", f"Swish {S01}"),
        _entry(6, 12, "60.00", f"Swish {S01}"),
    ]
    out, days = _run(takings, entries)
    assert {k: d.status for k, d in days.items()} == {
        ("S01", 9): "settled",
        ("S01", 10): "settled",
        ("S01", 11): "settled",
        ("S01", 12): "settled",
    }
    assert days[("S01", 9)].entry_ids == [1, 2]
    rf = roll_forward("1930", out.days, out.payouts, *JAN)
    assert rf.closing == 0 and rf.unexplained == 0


def test_a_day_paid_across_midnight_settles_with_the_next_days_entries() -> None:
    takings = [_taking("S01", 16, "300.00"), _taking("S01", 19, "400.00")]
    entries = [
        _entry(1, 16, "100.00", f"Swish {S01}"),
        _entry(2, 19, "200.00", f"Swish {S01}"),  # paid late on Friday 16th, booked Monday
        _entry(3, 19, "150.00", f"Swish {S01}"),
        _entry(4, 19, "250.00", f"Swish {S01}"),
    ]
    _out, days = _run(takings, entries)
    assert days[("S01", 16)].status == "settled" and days[("S01", 16)].entry_ids == [1, 2]
    assert days[("S01", 19)].status == "settled" and days[("S01", 19)].entry_ids == [3, 4]


def test_a_short_day_is_in_transit_then_short_by_what_it_lacks() -> None:
    takings = [_taking("S01", 14, "1000.00"), _taking("S01", 15, "200.00")]
    entries = [_entry(1, 15, "900.00", f"Swish {S01}"), _entry(2, 15, "200.00", "Swish")]
    _out, early = _run(takings, entries, today=date(2026, 1, 16))
    assert early[("S01", 14)].status == DayStatus.IN_TRANSIT
    assert early[("S01", 15)].status == DayStatus.SETTLED  # the one store: no number needed
    out, days = _run(takings, entries)
    short = days[("S01", 14)]
    assert (short.status, short.difference, short.in_bank) == ("short", Decimal("100.00"), 900)
    assert short.entry_ids == [1]
    rf = roll_forward("1930", out.days, out.payouts, *JAN)
    [finding] = rf.findings
    assert (finding.kind, finding.amount, finding.store, finding.day) == (
        "swish_short",
        Decimal("100.00"),
        "S01",
        date(2026, 1, 14),
    )
    assert finding.entry_ids == (1,) and rf.closing == Decimal("100.00") and rf.unexplained == 0
    # A day's sum naming the day is all the day gets: short at once, whatever else is open.
    named = [
        _entry(1, 15, "900.00", "SWISH DAGSSUMMA 2026-01-14"),
        _entry(2, 15, "150.00", "Swish"),
    ]
    _out, early = _run(takings, named, today=date(2026, 1, 16))
    assert (early[("S01", 14)].status, early[("S01", 14)].difference) == ("short", 100)
    assert early[("S01", 15)].status == DayStatus.IN_TRANSIT and not early[("S01", 15)].entry_ids


def test_nothing_in_the_bank_is_late_and_strangers_stay_unmatched() -> None:
    takings = [_taking("S01", 20, "250.00"), _taking("S02", 20, "75.00", account="1581")]
    entries = [
        _entry(1, 20, "250.00", "Swish 123 999 99 99"),  # a number no store has
        _entry(2, 21, "75.00", "Swish"),  # two stores take Swish: whose is it?
        _entry(3, 21, "99.00", "ADYEN PAYOUT B1"),
    ]
    out, days = _run(takings, entries)
    assert days[("S01", 20)].status == days[("S02", 20)].status == DayStatus.LATE
    assert [e.id for e in out.unmatched] == [1, 2, 3]
    rf = roll_forward("1581", out.days, out.payouts, *JAN)
    assert [f.kind for f in rf.findings] == ["late"] and rf.unexplained == 0
    # The accountant says the anonymous credit is S02's Swish; refuses the stranger for S01.
    decided = [Decision(2, "match", "swish", "S02"), Decision(1, "unmatch")]
    out, days = _run(takings, entries, decisions=decided)
    assert days[("S02", 20)].status == "settled" and days[("S01", 20)].status == "late"
    assert [e.id for e in out.unmatched] == [1, 3]
    assert {p.how for p in out.payouts} == {"manual"}


def test_swish_settled_by_an_acquirer_is_left_to_its_lines_and_swish_is_no_card_payout() -> None:
    takings = [_taking("S01", 1, "300.00"), _taking("S02", 5, "300.00")]
    lines = [
        Line(1, "S01", JAN[0], "SWISH", "sale", Decimal("300.00"), None, None, "P1", JAN[0]),
        Line(2, "S03", JAN[0], "CARD", "sale", Decimal("300.00"), None, None, "P2", JAN[0]),
    ]
    entries = [
        _entry(1, 5, "300.00", f"Swish {S01}"),
        _entry(2, 5, "300.00", f"Swish {S02}"),
    ]
    out = match(takings, lines, entries, stores={}, today=LATER, swish=NUMBERS)
    days = {(d.store, d.day.day): d for d in out.days}
    assert days[("S02", 5)].status == "settled" and days[("S02", 5)].entry_ids == [2]
    assert days[("S01", 1)].line_ids == [1]  # the acquirer's line, not the bank path
    by_ref = {p.reference: p for p in out.payouts}
    assert by_ref["P1"].how == by_ref["P2"].how == ""  # a Swish credit pays no payout by amount
    assert [e.id for e in out.unmatched] == [1]
