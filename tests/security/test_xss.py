"""Markup sent in closures or typed as store names is shown as text, never interpreted."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from sqlmodel import col, select

from app.closures.models import Closure
from app.companies.models import Store
from tests.security.world import World, closure_payload, post_closure

SCRIPT = "<script>alert('kb')</script>"
IMG = '"><img src=x onerror=alert(1)>'
BOLD = "<b>kbbold</b>"
SSTI = "kb{{7*7}}kb"
HOSTILE = (SCRIPT, IMG, BOLD, SSTI)
RAW_MARKERS = (b"<script>alert", b"<img src=x", b"<b>kbbold", b"kb49kb")


def _hostile_closure(store: str) -> dict:
    """A valid closure whose every free-text field carries markup."""
    payload = closure_payload(store, 4242, closure_id=f"x{SCRIPT}{IMG}"[:100])
    payload["register_id"] = "R1" + BOLD
    sale = payload["invoice_sales"][0]
    sale.update(customer_name=SCRIPT + SSTI, your_reference=IMG)
    sale["lines"][0]["description"] = BOLD + SCRIPT
    return payload


@pytest.fixture
def hostile(client, session, world: World) -> World:
    """A hostile closure, a hostile refused payload and a hostile store name at home."""
    store = session.get(Store, world.home.stores["S1"])
    store.name = SCRIPT + BOLD
    session.add(store)
    session.commit()
    assert post_closure(client, world.home.token, _hostile_closure("S1")).status_code == 201
    refused = {"schema": SCRIPT, "closure_id": IMG, "store_id": BOLD, "note": SSTI}
    assert post_closure(client, world.home.token, refused).status_code == 422
    return world


def _pages(session, world: World) -> list[str]:
    """Every page that may show the hostile values."""
    home = world.home.company
    pk = session.exec(select(Closure.id).where(Closure.z_number == 4242)).one()
    return [
        "/",
        f"/c/{home}/closures",
        f"/c/{home}/closures/{pk}",
        f"/c/{home}/closures/{pk}/status",
        f"/c/{home}/closures/rejected",
        f"/c/{home}/closures/rejected?all=1",
        f"/c/{home}/approvals",
        f"/c/{home}/stores",
        f"/c/{home}/stores/{world.home.stores['S1']}",
        f"/c/{home}/stores/{world.home.stores['S1']}/edit",
        f"/c/{home}/audit",
        f"/c/{home}/mapping/",
        f"/c/{home}/dashboard?month=2026-11",
        f"/c/{home}/dashboard/cell/S1/2026-11-24",
        f"/c/{home}/reports",
    ]


def test_pages_escape_closure_fields_and_store_names(client, auth, session, hostile) -> None:
    """No page (nor its htmx fragment) carries the markup unescaped."""
    auth.login(hostile.emails["admin"])
    seen = 0
    for path in _pages(session, hostile):
        for headers in ({}, {"HX-Request": "true"}):
            answer = client.get(path, headers=headers)
            assert answer.status_code in (200, 302, 404), f"{path}: {answer.status_code}"
            for marker in RAW_MARKERS:
                assert marker not in answer.data, f"{path} {headers}: {marker!r} unescaped"
            seen += b"&lt;script&gt;" in answer.data or b"&lt;b&gt;kbbold" in answer.data
    assert seen >= 4, "the hostile values should be shown (escaped) somewhere"


def test_refused_raw_is_not_html(client, auth, session, hostile) -> None:
    """The raw refused payload is served as inert text, never as a page."""
    from app.closures.models import RejectedPayload

    auth.login(hostile.emails["admin"])
    rows = session.exec(
        select(RejectedPayload).where(RejectedPayload.company_id == hostile.home.company)
    )
    for row in rows.all():
        answer = client.get(f"/c/{hostile.home.company}/closures/rejected/{row.id}/raw")
        assert answer.status_code == 200
        kind = answer.headers["Content-Type"]
        assert "html" not in kind and "svg" not in kind and "xml" not in kind, kind
        assert answer.headers["X-Content-Type-Options"] == "nosniff"


def test_api_answers_are_json(client, hostile) -> None:
    """The API echoes the hostile closure_id only inside JSON."""
    answer = client.get(
        "/api/v1/closures/" + f"x{SCRIPT}{IMG}"[:100],
        headers={"Authorization": f"Bearer {hostile.home.token}"},
    )
    assert answer.headers["Content-Type"].startswith("application/json")


def test_pdf_report_shows_markup_as_text(app, client, auth, run_jobs, hostile, tmp_path: Path):
    """A PDF audit report prints the markup literally (pdftotext sees the tags)."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed")
    auth.login(hostile.emails["admin"])
    home = hostile.home.company
    form = {"start": "2026-11-01", "end": "2026-11-30", "language": "en"}
    assert client.post(f"/c/{home}/reports", data=form).status_code in (200, 303)
    run_jobs(("reports",))
    from app.reports.models import Report

    with app.app_context():
        from app.db import get_session

        newest = select(Report).where(Report.company_id == home).order_by(col(Report.id).desc())
        report = get_session().exec(newest).first()
    if report.status != "done":
        pytest.skip(f"the report did not build here: {report.status} {report.error}")
    pdf = client.get(f"/c/{home}/reports/{report.id}/download")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert b"/JavaScript" not in pdf.data and b"/JS " not in pdf.data
    (tmp_path / "r.pdf").write_bytes(pdf.data)
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "r.pdf"), "-"], capture_output=True, check=True
    ).stdout.decode()
    flat = "".join(text.split())
    assert "<script>" in flat and "<b>kbbold</b>" in flat, "the store name must show literally"
    assert "kb49kb" not in flat
