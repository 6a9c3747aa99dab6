"""Status names and the marker for reasons stored in the source language (as posting does)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l


def _(text: str) -> str:
    """Mark a user-visible string for translation (stored in the source language)."""
    return text


# Label, one-letter mark and a short hint per status, for the grid, legend and exports.
STATUS_TEXT = {
    "matched": (_l("Matched"), "✓"),
    "pending": (_l("Pending"), "…"),
    "held": (_l("Held"), "H"),
    "failed": (_l("Failed"), "F"),
    "mismatch": (_l("Mismatch"), "≠"),
    "missing": (_l("Missing"), "?"),
    "duplicate": (_l("Duplicate"), "2"),
    "superseded": (_l("Correction due"), "S"),  # SPEC status superseded: needs someone
    "reviewed": (_l("Reviewed"), "R"),  # B: a mismatch an accountant reviewed (counts.py)
    "awaiting_approval": (_l("Awaiting approval"), "A"),  # B: the overview's needs-attention
    "chain_break": (_l("Z-chain break"), "Z"),  # A2: the overview's needs-attention (zchain.py)
    "none": (_l("No closure"), "·"),
}
DOCUMENT_TEXT = {
    "matched": _l("matched"),
    "missing": _l("missing"),
    "mismatch": _l("mismatch"),
    "cancelled": _l("cancelled"),
    "open": _l("open"),
    "invoiced": _l("invoiced"),
    "pending": _l("not read back yet"),
}
