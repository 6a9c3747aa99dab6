"""The evidence pages' words: break kinds, what each break means, VAT documents and states."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from app.evidence.chain import Break
from app.i18n import money as format_money

KIND_TEXT = {
    "z_gap": _l("Z missing"),
    "grand_total_jump": _l("Grand total jump"),
    "z_repeat": _l("Z sent twice"),
    "register_reset": _l("Register reset"),
}
SIDE_TEXT = {"sales": _l("sales"), "returns": _l("returns")}
DOCUMENT_KIND = {
    "closure": _l("Closure"),
    "other": _l("Booked by someone else"),
    "orphan": _l("Kassabok document without a closure this month"),
}
STATE_TEXT = {
    "posted": _l("posted, with other VAT than the till"),
    "held": _l("held: not posted"),
    "failed": _l("failed: not posted"),
    "received": _l("not posted yet"),
    "queued": _l("not posted yet"),
    "posting": _l("not posted yet"),
    "awaiting_approval": _l("awaiting approval"),
    "superseded": _l("a correction is due"),
}


def anchor(brk: Break) -> str:
    """The id of a break's row on the chain page (its key, safe in a URL fragment)."""
    return "break-" + re.sub(r"[^A-Za-z0-9_-]+", "-", brk.key).strip("-")


def numbers(brk: Break) -> str:
    """The Z numbers of a break as people write them: Z105, Z104–Z105, or Z8–Z10 (3)."""
    z = brk.z_numbers
    if brk.kind == "z_gap" and brk.missing > 1:
        last = z[0] + brk.missing - 1
        return f"Z{z[0]}–Z{last} ({brk.missing})"
    return "–".join(f"Z{n}" for n in z)


MEANING = {
    "gap_sold": _l(
        "%(z)s never reached Kassabok; the register's grand total says it sold %(amount)s."
    ),
    "gap": _l("%(z)s never reached Kassabok; no grand total tells what it sold."),
    "jump_more": _l(
        "The grand total of %(side)s rose %(amount)s more than %(last)s's own lines: %(side)s "
        "that never reached Kassabok."
    ),
    "jump_less": _l(
        "The grand total of %(side)s rose %(amount)s less than %(last)s's own lines: the closure "
        "holds %(side)s the register did not count."
    ),
    "reset": _l(
        "The grand total of %(side)s went down by %(amount)s at %(last)s: the register was reset "
        "or replaced."
    ),
    "repeat": _l(
        "%(z)s arrived under %(n)s closure ids with different content; only one can be the "
        "register's."
    ),
}


def _case(brk: Break) -> str:
    """Which sentence tells what a break means."""
    if brk.kind == "z_gap":
        return "gap" if brk.amount is None else "gap_sold"
    if brk.kind == "grand_total_jump":
        return "jump_more" if (brk.amount or 0) > 0 else "jump_less"
    return "reset" if brk.kind == "register_reset" else "repeat"


def explain(brk: Break, money: Callable[[Decimal], str] = format_money) -> str:
    """What a break means, in a sentence an auditor can follow (amounts written by money)."""
    return str(MEANING[_case(brk)]) % {
        "z": numbers(brk),
        "last": f"Z{brk.z_numbers[-1]}",
        "amount": "" if brk.amount is None else money(abs(brk.amount)),
        "side": str(SIDE_TEXT.get(brk.side, "")),
        "n": len(brk.closures),
    }
