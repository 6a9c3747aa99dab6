"""Validation in linear time: array caps, the first 100 problems and a count, the old answers."""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker, ValidationError, validators
from sqlmodel import Session, select

from app.closures.body import MAX_VALUES, parse_json_body
from app.closures.models import RejectedPayload
from app.closures.problems import MAX_PROBLEMS, Problem
from app.closures.rules import balance_problems
from app.closures.schema_check import regex
from app.closures.validate import (
    SCHEMA,
    _is_date,
    _is_date_time,
    _schema_problems,
    validate_closure,
)
from tests.closure_strategies import json_values, valid_closures
from tests.closures.ingest_support import EXAMPLE, bearer, body, make_token
from tests.factories import make_company, make_store

ROOT = Path(__file__).resolve().parents[2]
PUBLISHED = ROOT / "tests" / "fixtures" / "contract"  # the published contract, copied verbatim
BESIDE = ROOT.parent / "shared" / "contracts"  # where it is published, when beside the checkout
URL = "/api/v1/closures"


def _pattern(validator: Any, pattern: str, instance: object, schema: dict) -> Iterator:
    if isinstance(instance, str) and not regex(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


_formats = FormatChecker(formats=())
_formats.checks("date")(_is_date)
_formats.checks("date-time")(_is_date_time)
JSONSCHEMA = validators.extend(Draft202012Validator, {"pattern": _pattern})(
    SCHEMA, format_checker=_formats
)


def reference(payload: object) -> list[Problem]:
    """The answer as jsonschema gave it before: every error sorted by path, duplicates dropped."""

    def order(error: ValidationError) -> list[tuple[int, int, str]]:
        return [(0, p, "") if isinstance(p, int) else (1, 0, str(p)) for p in error.absolute_path]

    problems: list[Problem] = []
    for error in sorted(JSONSCHEMA.iter_errors(payload), key=order):
        for problem in _schema_problems(error):  # type: ignore[arg-type]
            if problem not in problems:
                problems.append(problem)
    return problems or balance_problems(payload)  # type: ignore[arg-type]


FAST = settings(max_examples=300, deadline=None)


@FAST
@given(json_values)
def test_same_problems_as_jsonschema_on_any_json(value: object) -> None:
    assert validate_closure(value) == reference(value)[:MAX_PROBLEMS] or (
        len(reference(value)) > MAX_PROBLEMS
    )


@FAST
@given(valid_closures(), st.data())
def test_same_problems_as_jsonschema_on_a_closure_with_values_replaced(
    closure: dict, data: st.DataObject
) -> None:
    for _round in range(data.draw(st.integers(1, 4))):
        node: Any = closure
        while isinstance(node, dict | list) and node and data.draw(st.booleans()):
            keys = list(node) if isinstance(node, dict) else range(len(node))
            key = data.draw(st.sampled_from(keys))
            if not isinstance(node[key], dict | list) or not data.draw(st.booleans()):
                node[key] = data.draw(json_values | st.just({}) | st.just([{}]))
                break
            node = node[key]
    assert validate_closure(closure) == reference(closure)


def test_published_examples_still_valid_under_the_caps() -> None:
    examples = sorted((PUBLISHED / "examples").glob("*.json"))
    assert examples, "no published examples in tests/fixtures/contract"
    for path in examples:
        assert validate_closure(json.loads(path.read_text(encoding="utf-8"))) == [], path.name


@pytest.mark.skipif(not BESIDE.is_dir(), reason="no published contract beside the checkout")
def test_the_copy_of_the_published_contract_is_current() -> None:
    for path in [BESIDE / "closure.schema.json", *sorted((BESIDE / "examples").glob("*.json"))]:
        copied = PUBLISHED / path.relative_to(BESIDE)
        assert copied.read_bytes() == path.read_bytes(), f"copy {path.name} again"


def test_our_schema_is_the_published_one_plus_array_caps() -> None:
    published = json.loads((PUBLISHED / "closure.schema.json").read_text(encoding="utf-8"))
    caps: dict[str, int] = {}

    def strip(node: Any, path: str = "") -> Any:
        if isinstance(node, dict):
            if "maxItems" in node:
                caps[path] = node["maxItems"]
            return {k: strip(v, f"{path}/{k}") for k, v in node.items() if k != "maxItems"}
        return [strip(v, path) for v in node] if isinstance(node, list) else node

    assert strip(copy.deepcopy(SCHEMA)) == published
    assert set(caps) == {
        "/properties/sales",
        "/properties/payments",
        "/properties/tips",
        "/properties/gift_cards_sold",
        "/properties/invoice_sales",
        "/properties/invoice_sales/items/properties/lines",
    }


def test_ten_thousand_empty_lines_answer_100_problems_and_the_count() -> None:
    payload = copy.deepcopy(EXAMPLE)
    lines = 10_000
    payload["invoice_sales"][0]["lines"] = [{}] * lines
    payload["invoice_sales"] = payload["invoice_sales"] * 2
    started = time.process_time()
    problems = validate_closure(payload)
    spent = time.process_time() - started
    # Two maxItems problems and 7 missing fields on each of 500 + 500 lines read.
    assert problems.total == 2 + 2 * 500 * 7
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[0].pointer == "/invoice_sales/0/lines"
    assert "at most 500" in problems[0].message
    assert problems[1].pointer == "/invoice_sales/0/lines/0/description"
    assert problems[-1] == Problem(
        "", f"… and {problems.total - MAX_PROBLEMS} more problems ({problems.total} in all); "
        "fix the ones above and send the closure again.",
    )  # fmt: skip
    assert spent < 2.0  # jsonschema with the old de-duplication took over a minute


def test_payment_lines_past_the_cap_are_one_problem() -> None:
    payload = copy.deepcopy(EXAMPLE)
    payload["payments"] = [{"method": "CASH", "amount": "x"}] * 5_000
    problems = validate_closure(payload)
    assert problems[0].pointer == "/payments" and "at most 100" in problems[0].message
    assert problems.total == 1 + 100  # only the first 100 lines are read


def test_a_body_with_more_values_than_a_closure_has_is_refused_unparsed() -> None:
    raw = b'{"payments": [' + b"{}," * MAX_VALUES + b"{}]}"
    payload, [problem] = parse_json_body(raw)
    assert payload is None and f"more than {MAX_VALUES} JSON values" in problem.message
    within = b'{"a": "' + b"[{},]" * MAX_VALUES + b'"}'  # brackets in a string count for nothing
    assert parse_json_body(within) == ({"a": "[{},]" * MAX_VALUES}, [])


def test_the_refusal_kept_holds_100_problems_and_says_how_many(client, session: Session) -> None:
    company = make_company(session)
    make_store(session, company, "S12")
    headers = bearer(make_token(session, company))
    payload = copy.deepcopy(EXAMPLE)
    payload["sales"] = [{}] * 6_000
    resp = client.post(URL, data=body(payload), headers=headers, content_type="application/json")
    assert resp.status_code == 422
    errors = resp.get_json()["errors"]
    assert len(errors) == MAX_PROBLEMS + 1
    assert "(5001 in all)" in errors[-1]["message"]  # the cap's problem and 5 × 1000 fields
    kept = session.exec(select(RejectedPayload)).one()
    assert kept.errors == errors
