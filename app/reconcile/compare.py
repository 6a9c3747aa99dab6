"""The pure compare engine: one closure and Fortnox's documents in, a status and its diff out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal

from app.posting import prose
from app.posting.reasons import Reason, encode
from app.reconcile.facts import (
    STATE_STATUS,
    ZERO,
    Book,
    ClosureFacts,
    ExpectedDocument,
    FxVoucher,
    worst,
)

Sides = dict[tuple[str, str], list[Decimal]]
_AMOUNTS = ("expected_debit", "expected_credit", "actual_debit", "actual_credit")


@dataclass(frozen=True)
class Diff:
    """Expected against actual debit and credit on one account and cost center."""

    account: str
    cost_center: str
    expected_debit: Decimal
    expected_credit: Decimal
    actual_debit: Decimal
    actual_credit: Decimal
    label: str = ""

    @property
    def delta(self) -> Decimal:
        """Actual minus expected, as debit minus credit."""
        actual = self.actual_debit - self.actual_credit
        return actual - (self.expected_debit - self.expected_credit)


@dataclass(frozen=True)
class DocumentResult:
    """How one invoice or order stands: matched, missing, mismatch, cancelled; open, invoiced."""

    kind: str
    reference: str
    key: str
    status: str
    number: str | None = None
    problems: tuple[dict, ...] = ()  # reasons in their stored form, worded where shown


@dataclass(frozen=True)
class ClosureResult:
    """A closure's reconciliation: status, why, the rows side by side, what Fortnox holds."""

    pk: int
    status: str
    reason: str = ""  # codes and details (posting.reasons.encode), worded where shown
    rows: tuple[Diff, ...] = ()  # every account, equal or not, for the side-by-side view
    voucher: str = ""
    duplicates: tuple[str, ...] = ()
    documents: tuple[DocumentResult, ...] = ()

    @property
    def diffs(self) -> tuple[Diff, ...]:
        """Only the rows that differ."""
        return tuple(r for r in self.rows if r.delta or _sides_differ(r))

    def to_json(self) -> dict:
        """A JSON-ready form (amounts as strings) for storing and the API."""
        return _plain(asdict(self))


def stored_rows(detail: dict) -> tuple[Diff, ...]:
    """A stored closure check's rows side by side, amounts as Decimal again."""
    return tuple(
        Diff(
            r["account"],
            r.get("cost_center") or "",
            *(Decimal(r[k]) for k in _AMOUNTS),
            label=r.get("label", ""),
        )
        for r in detail.get("rows", [])
    )


def total_row(rows: tuple[Diff, ...]) -> Diff:
    """Each side's debit and credit summed: its delta is the net difference."""
    sums = [sum((getattr(r, k) for r in rows), ZERO) for k in _AMOUNTS]
    return Diff("", "", *sums)


def _sides_differ(row: Diff) -> bool:
    return (row.expected_debit, row.expected_credit) != (row.actual_debit, row.actual_credit)


def _plain(value: object) -> object:
    """Decimals as exact strings, dates as ISO, tuples as lists, all the way down."""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def sides(rows: Iterable[object]) -> Sides:
    """Debit and credit summed per (account, cost center)."""
    out: Sides = {}
    for row in rows:
        entry = out.setdefault((str(row.account), row.cost_center or ""), [ZERO, ZERO])  # type: ignore[attr-defined]
        entry[0] += row.debit  # type: ignore[attr-defined]
        entry[1] += row.credit  # type: ignore[attr-defined]
    return out


def row_diff(expected: Iterable[object], actual: Iterable[object]) -> tuple[Diff, ...]:
    """Every account of either side with expected and actual amounts, by account."""
    exp, act = sides(expected), sides(actual)
    labels = {(str(r.account), r.cost_center or ""): getattr(r, "label", "") for r in expected}  # type: ignore[attr-defined]
    out = []
    for key in sorted(set(exp) | set(act)):
        (ed, ec), (ad, ac) = exp.get(key, [ZERO, ZERO]), act.get(key, [ZERO, ZERO])
        out.append(Diff(key[0], key[1], ed, ec, ad, ac, labels.get(key, "")))
    return tuple(out)


def lookalikes(facts: ClosureFacts, book: Book) -> list[FxVoucher]:
    """Vouchers not made by Kassabok that book the same store, day and amounts."""
    if facts.expected is None or facts.expected.is_empty:
        return []
    want = sides(facts.expected.rows)
    total = facts.expected.total_debit
    found = []
    for voucher in book.foreign_on(facts.business_date):
        centers = {r.cost_center for r in voucher.rows}
        mine = [r for r in voucher.rows if r.cost_center == facts.cost_center]
        if not mine and centers == {""}:  # an import without cost centers: compare it whole
            mine = [r for r in voucher.rows]
            got = {(a, facts.cost_center): v for (a, _cc), v in sides(mine).items()}
        else:
            got = sides(mine)
        accounts = {a for a, _cc in want} == {a for a, _cc in got}
        same_total = sum((r.debit for r in mine), ZERO) == total
        if mine and (got == want or (same_total and accounts)):
            found.append(voucher)
    return found


def compare_document(doc: ExpectedDocument, book: Book) -> DocumentResult:
    """An expected invoice or order against what Fortnox holds under its key."""
    hits = book.docs_by_key.get(doc.key, [])
    if doc.number:
        hits = [d for d in hits if d.number == doc.number] or hits
    base = {"kind": doc.kind, "reference": doc.reference, "key": doc.key}
    if not hits:
        if doc.number and (doc.kind, doc.number) not in book.missing_documents:
            return DocumentResult(**base, status="pending", number=doc.number)
        return DocumentResult(**base, status="missing", number=doc.number)
    got = hits[0]
    base["number"] = got.number
    if got.cancelled:
        return DocumentResult(**base, status="cancelled")
    if doc.kind == "order":
        return DocumentResult(**base, status="invoiced" if got.invoice_reference else "open")
    problems = []
    if got.total - got.round_off != doc.total or abs(got.round_off) >= 1:
        off = {"actual": got.total, "off": got.round_off, "expected": doc.total}
        problems.append(_part("document_total", **off))
    if got.vat != doc.vat:
        problems.append(_part("document_vat", actual=got.vat, expected=doc.vat))
    if got.rows is not None:
        tip = sum((t for a, v, t in got.rows if a == doc.tips_account and v == 0), ZERO)
        if doc.tips_account and tip != doc.tip:
            problems.append(_part("document_tip", actual=tip, expected=doc.tip))
    if len(hits) > 1:
        problems.append(_part("document_keys", n=len(hits)))
    status = "mismatch" if problems else "matched"
    return DocumentResult(**base, status=status, problems=tuple(problems))


def _part(code: str, **detail: object) -> dict:
    """A part of a finding in its stored form (amounts as exact strings)."""
    return Reason(code, {k: str(v) for k, v in detail.items()}).to_json()


def _said(code: str, **detail: object) -> str:
    """One finding as stored: its code and details, worded in the reader's language where shown."""
    return encode([Reason(code, detail)])


def _unbuilt(error: str) -> str | list[dict]:
    """Why the expected voucher cannot be built, as reasons when its English is known."""
    found = [prose.read(part) for part in error.split("; ")]
    if not error or not all(found):
        return error
    return [Reason(code, detail).to_json() for code, detail in filter(None, found)]


DOC_STATUS = {"missing": "missing", "mismatch": "mismatch", "cancelled": "mismatch"}


def compare_closure(facts: ClosureFacts, book: Book) -> ClosureResult:
    """The reconciliation status of one closure revision (SPEC "Reconciliation")."""
    if facts.correction_due:
        why = _said("correction_due_after_posting")
        return ClosureResult(facts.pk, "superseded", facts.reason or why)
    if facts.state != "posted":
        return ClosureResult(facts.pk, STATE_STATUS.get(facts.state, "pending"), facts.reason)
    if facts.nothing_to_book:
        return ClosureResult(facts.pk, "matched", _said("nothing_to_book"))
    docs = tuple(compare_document(d, book) for d in facts.documents)
    if facts.expected is None:
        why = _said("expected_unbuildable", error=_unbuilt(facts.expected_error))
        return ClosureResult(facts.pk, "mismatch", why, documents=docs)
    keyed = book.by_key.get(facts.expected.key, [])
    actual = book.by_ref.get(facts.voucher) if facts.voucher else (keyed[0] if keyed else None)
    if facts.voucher and actual is None and facts.voucher not in book.missing:
        return ClosureResult(facts.pk, "pending", _said("not_read_back"))
    label = "{} {}".format(*facts.voucher[:2]) if facts.voucher else ""
    if actual is None and not facts.expected.is_empty:
        why = _said("voucher_missing", voucher=label or facts.expected.key)
        rows = row_diff(facts.expected.rows, [])
        return ClosureResult(facts.pk, "missing", why, rows, label, documents=docs)
    others = [v for v in keyed if actual is None or v.ref != actual.ref]
    extra = others + lookalikes(facts, book)
    rows = row_diff(facts.expected.rows, actual.rows if actual else [])
    result = ClosureResult(
        facts.pk,
        "matched",
        "",
        rows,
        actual.label if actual else "",
        tuple(v.label for v in extra),
        docs,
    )
    status, reason = _verdict(result, others, extra)
    return ClosureResult(**{**result.__dict__, "status": status, "reason": reason})


def _verdict(result: ClosureResult, others: list, extra: list) -> tuple[str, str]:
    """The worst finding and its reason (stored form)."""
    doc_status = worst(DOC_STATUS[d.status] for d in result.documents if d.status in DOC_STATUS)
    if doc_status == "missing":
        refs = ", ".join(d.reference for d in result.documents if d.status == "missing")
        return "missing", _said("invoice_missing", refs=refs)
    if extra:
        which = ", ".join(result.duplicates)
        if others:
            return "duplicate", _said("duplicate_key", which=", ".join([result.voucher, which]))
        return "duplicate", _said("booked_outside", which=which)
    if result.diffs:
        accounts = ", ".join(dict.fromkeys(d.account for d in result.diffs))
        return "mismatch", _said("rows_differ", accounts=accounts)
    if doc_status:
        bad = [d for d in result.documents if d.status in DOC_STATUS]
        return "mismatch", _said("invoice_differs", text=[_document(d) for d in bad])
    return "matched", ""


def _document(doc: DocumentResult) -> dict:
    """One invoice that differs: cancelled, or its problems."""
    if doc.status == "cancelled":
        return _part("document_cancelled", reference=doc.reference)
    return Reason(
        "document_mismatch", {"reference": doc.reference, "problems": doc.problems}
    ).to_json()
