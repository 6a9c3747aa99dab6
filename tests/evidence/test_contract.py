"""The contract's two optional fields: z_report checked in linear time, grand_total kept."""

from __future__ import annotations

import base64
import copy
import json
import time
from decimal import Decimal
from pathlib import Path

import pytest
from sqlmodel import Session, select

from app.closures.models import Closure
from app.closures.validate import validate_closure
from tests.closures.ingest_support import bearer, body, make_token
from tests.factories import make_company, make_store

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "contracts" / "examples"
WITH_BOTH = json.loads((EXAMPLES / "cafe-z-report.json").read_text(encoding="utf-8"))


def _with(**z_report: object) -> dict:
    payload = copy.deepcopy(WITH_BOTH)
    payload["z_report"].update(z_report)
    return payload


def test_the_example_with_both_fields_is_valid_and_its_pdf_is_a_pdf() -> None:
    assert validate_closure(WITH_BOTH) == []
    assert base64.b64decode(WITH_BOTH["z_report"]["data"]).startswith(b"%PDF-1.")
    old = {k: v for k, v in WITH_BOTH.items() if k not in ("z_report", "grand_total")}
    assert validate_closure(old) == []  # both stay optional


@pytest.mark.parametrize(
    ("change", "pointer", "words"),
    [
        ({"data": "not base64!"}, "/z_report/data", "not base64"),
        ({"data": "JVBERi0xLjQK\n"}, "/z_report/data", "no line breaks"),
        ({"data": base64.b64encode(b"PK\x03\x04zip").decode()}, "/z_report/data", "not a PDF"),
        ({"data": ""}, "/z_report/data", "not a PDF"),
        ({"content_type": "image/png"}, "/z_report/content_type", "application/pdf"),
        ({"filename": "../../etc/passwd.pdf"}, "/z_report/filename", "plain file name"),
        ({"filename": "Z457.exe"}, "/z_report/filename", "ending in .pdf"),
        ({"filename": "a\u0000.pdf"}, "/z_report/filename", "plain file name"),
        ({"filename": "x" * 197 + ".pdf"}, "/z_report/filename", "at most 200"),
    ],
)
def test_a_bad_z_report_is_one_clear_problem(change: dict, pointer: str, words: str) -> None:
    problems = validate_closure(_with(**change))
    assert [p.pointer for p in problems] == [pointer], problems
    assert words in problems[0].message


def test_a_z_report_over_one_mib_is_refused_in_linear_time() -> None:
    big = base64.b64encode(b"%PDF-1.4\n" + b"0" * (1024 * 1024)).decode()
    started = time.process_time()
    problems = validate_closure(_with(data=big))
    assert time.process_time() - started < 0.5
    assert [p.pointer for p in problems] == ["/z_report/data"]
    assert "larger than 1 MiB" in problems[0].message and "1398104" in problems[0].message
    at_cap = base64.b64encode(b"%PDF-1.4\n" + b"0" * (1024 * 1024 - 9)).decode()
    assert validate_closure(_with(data=at_cap)) == []


@pytest.mark.parametrize(
    ("grand_total", "pointer"),
    [
        ({"sales": 1284613.5, "returns": "3412.00"}, "/grand_total/sales"),
        ({"sales": "1284613.50"}, "/grand_total/returns"),
        ({"sales": "1 284 613,50", "returns": "0"}, "/grand_total/sales"),
        ({"sales": "1.00", "returns": "0", "net": "1.00"}, "/grand_total/net"),
    ],
)
def test_grand_totals_are_amounts_like_the_others(grand_total: dict, pointer: str) -> None:
    payload = copy.deepcopy(WITH_BOTH)
    payload["grand_total"] = grand_total
    assert [p.pointer for p in validate_closure(payload)] == [pointer]


def test_the_api_takes_both_fields_and_keeps_the_grand_totals(client, session: Session) -> None:
    company = make_company(session)
    make_store(session, company, "S12")
    headers = bearer(make_token(session, company))
    resp = client.post(
        "/api/v1/closures", data=body(WITH_BOTH), headers=headers, content_type="application/json"
    )
    assert resp.status_code == 201, resp.get_json()
    kept = session.exec(select(Closure)).one()
    assert kept.grand_total_sales == Decimal("1284613.50")
    assert kept.grand_total_returns == Decimal("3412.00")
    assert kept.payload["z_report"]["filename"] == "Z458-S12-R1-2026-11-25.pdf"
    plain = {k: v for k, v in WITH_BOTH.items() if k != "grand_total"}
    plain["closure_id"], plain["z_number"] = "opn-7731:S12:R1:Z459", 459
    resp = client.post(
        "/api/v1/closures", data=body(plain), headers=headers, content_type="application/json"
    )
    assert resp.status_code == 201
    older = session.exec(select(Closure).where(Closure.z_number == 459)).one()
    assert older.grand_total_sales is None and older.grand_total_returns is None


def test_a_bad_z_report_is_refused_by_the_api_with_its_pointer(client, session: Session) -> None:
    company = make_company(session)
    make_store(session, company, "S12")
    headers = bearer(make_token(session, company))
    resp = client.post(
        "/api/v1/closures",
        data=body(_with(data=base64.b64encode(b"GIF89a").decode())),
        headers=headers,
        content_type="application/json",
    )
    assert resp.status_code == 422
    [error] = resp.get_json()["errors"]
    assert error["pointer"] == "/z_report/data" and "not a PDF" in error["message"]


def test_a_z_report_at_the_cap_fits_the_api_body_limit(client, session: Session) -> None:
    company = make_company(session)
    make_store(session, company, "S12")
    headers = bearer(make_token(session, company))
    pdf = b"%PDF-1.4\n" + b"0" * (1024 * 1024 - 9)
    payload = _with(data=base64.b64encode(pdf).decode())
    raw = body(payload)
    assert len(raw) < client.application.config["MAX_CONTENT_LENGTH"]
    resp = client.post(
        "/api/v1/closures", data=raw, headers=headers, content_type="application/json"
    )
    assert resp.status_code == 201, resp.get_json()
    kept = session.exec(select(Closure)).one()
    assert base64.b64decode(kept.payload["z_report"]["data"]) == pdf
