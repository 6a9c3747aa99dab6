"""Every audit action the code records has a label, in English and in both Swedish catalogs."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from babel.messages.pofile import read_po

from app.audit.actions import ACTIONS

ROOT = Path(__file__).resolve().parents[2]
ACTION = re.compile(r"[a-z]+\.[a-z_]+")
# What each action built at run time can become (the test fails on one not listed here).
EXPANSIONS = {
    "closure.document_{state}": {"closure.document_cancelled", "closure.document_booked"},
    "closure.{doc.kind}_posted": {"closure.invoice_posted", "closure.order_posted"},
    "closure.{result}": {"closure.retrying", "closure.failed"},
    "bank.{kind}_refused": {"bank.statement_refused", "bank.settlement_refused"},
    "bank.{kind.name}_imported": {"bank.statement_imported", "bank.settlement_imported"},
    "bank.{kind.name}_refused": {"bank.statement_refused", "bank.settlement_refused"},
    "bank.fee_voucher_{result}": {"bank.fee_voucher_failed", "bank.fee_voucher_retrying"},
    "clearing.{action}": {"clearing.match", "clearing.unmatch", "clearing.forget"},
}
CATALOGS = {
    "portal": ROOT / "app" / "translations" / "sv" / "LC_MESSAGES" / "messages.po",
    "reports": ROOT / "app" / "reports" / "translations" / "sv" / "LC_MESSAGES" / "reports.po",
}


def _callee(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def recorded_actions(root: Path = ROOT / "app") -> dict[str, str]:
    """Every action passed to record() or an area's _audit helper under root, with where."""
    found: dict[str, str] = {}
    for path in sorted(root.rglob("*.py")):
        for call in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(call, ast.Call):
                continue
            values = [k.value for k in call.keywords if k.arg == "action"]
            if _callee(call) == "record" or "audit" in _callee(call).lower():
                values += call.args
            for value in values:
                where = f"{path.relative_to(ROOT)}:{call.lineno}"
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    if ACTION.fullmatch(value.value):
                        found.setdefault(value.value, where)
                elif isinstance(value, ast.JoinedStr):
                    pattern = ast.unparse(value)[2:-1]  # f'closure.{result}' -> closure.{result}
                    found.setdefault(pattern, where)
    return found


def test_the_walk_finds_plain_and_built_actions() -> None:
    found = recorded_actions()
    assert {"closure.held", "fortnox.keys_rotated", "closure.document_left"} <= set(found)
    assert "closure.{result}" in found and len(found) > 30


def test_every_recorded_action_has_a_label() -> None:
    missing, unknown = [], []
    for action, where in recorded_actions().items():
        if "{" in action:
            if action not in EXPANSIONS:
                unknown.append(f"{action} ({where}): list what it becomes in EXPANSIONS")
            missing += [f"{a} ({where})" for a in EXPANSIONS.get(action, ()) if a not in ACTIONS]
        elif action not in ACTIONS:
            missing.append(f"{action} ({where})")
    assert not unknown, "\n".join(unknown)
    assert not missing, "add to app/audit/actions.py ACTIONS:\n" + "\n".join(missing)


def test_every_label_reads_in_swedish_on_the_page_and_in_the_pdf() -> None:
    for name, po in CATALOGS.items():
        with po.open("rb") as f:
            catalog = read_po(f, locale="sv")
        untranslated = [
            label
            for label in ACTIONS.values()
            if not (catalog.get(label) and catalog.get(label).string)
        ]
        assert not untranslated, f"{name} catalog lacks Swedish for {untranslated}"


def test_the_audit_page_shows_labels_in_swedish(client, auth, session) -> None:
    from app.audit.service import record
    from tests.factories import make_company, make_user

    company = make_company(session)
    make_user(session, "sv@x.se", company, "accountant", locale="sv")
    for action in ("closure.document_booked", "fortnox.keys_rotated"):
        record(session, action=action, company_id=company.id, actor="worker", target="x")
    session.commit()
    auth.login("sv@x.se")
    html = client.get(f"/c/{company.id}/audit").get_data(as_text=True)
    assert "ersatt dokument redan bokfört" in html
    assert "krypteringsnycklar för Fortnox-token bytta" in html
