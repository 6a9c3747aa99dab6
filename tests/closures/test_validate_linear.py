"""Validation in linear time: array caps, the first 100 problems and a count, the old answers."""

from __future__ import annotations

import base64
import binascii
import copy
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker, ValidationError, validators
from sqlmodel import Session, select

from app.closures.body import MAX_VALUES, parse_json_body
from app.closures.models import RejectedPayload
from app.closures.problems import MAX_PROBLEMS, Problem
from app.closures.rules import balance_problems
from app.closures.schema_check import MAGIC, regex
from app.closures.validate import (
    SCHEMA,
    _is_date,
    _is_date_time,
    _schema_problems,
    validate_closure,
)
from tests.closure_strategies import json_values, money, valid_closures
from tests.closures.ingest_support import EXAMPLE, bearer, body, make_token
from tests.factories import make_company, make_store

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = ROOT / "docs" / "contracts"  # the repository's contract: the source of truth
COPIES = (ROOT / "tests" / "fixtures" / "contract", ROOT / "app" / "closures")
PUBLISHED = ROOT / "tests" / "fixtures" / "contract" / "published-v1"  # as first published
BESIDE = ROOT.parent / "shared" / "contracts"  # where it is published, when beside the checkout
NEW_FIELDS = ("grand_total", "z_report")  # optional, added since the first publication
URL = "/api/v1/closures"


def _pattern(validator: Any, pattern: str, instance: object, schema: dict) -> Iterator:
    if isinstance(instance, str) and not regex(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _decoded(text: str) -> bytes | None:
    """The bytes of canonical base64 text, None for anything else (an independent reading)."""
    try:
        data = binascii.a2b_base64(text, strict_mode=True)
    except binascii.Error:
        return None
    return data if len(base64.b64encode(data)) == len(text) else None


def _encoding(validator: Any, encoding: str, instance: object, schema: dict) -> Iterator:
    if isinstance(instance, str) and _decoded(instance) is None:
        yield ValidationError(f"{instance[:20]!r} is not {encoding}")


def _media(validator: Any, media: str, instance: object, schema: dict) -> Iterator:
    data = _decoded(instance) if isinstance(instance, str) else None
    if data is not None and not data.startswith(MAGIC[media]):
        yield ValidationError(f"not {media}")


_formats = FormatChecker(formats=())
_formats.checks("date")(_is_date)
_formats.checks("date-time")(_is_date_time)
ASSERTING = {"pattern": _pattern, "contentEncoding": _encoding, "contentMediaType": _media}
JSONSCHEMA = validators.extend(Draft202012Validator, ASSERTING)(SCHEMA, format_checker=_formats)


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


PDF = base64.b64encode(b"%PDF-1.4\n%\xe2\xe3\n").decode()
base64ish = st.text(alphabet="AJVBERi0x+/=\n ", max_size=24)
z_reports = st.fixed_dictionaries(
    {
        "content_type": st.just("application/pdf"),
        "filename": st.just("Z457-S12.pdf") | st.text(max_size=12),
        "data": st.just(PDF) | base64ish | base64ish.map(lambda t: PDF[:8] + t),
    }
)
grand_totals = st.fixed_dictionaries(
    {"sales": money("0", "99999999").map(str), "returns": money("0", "999999").map(str)}
)


@st.composite
def closures_with_new_fields(draw: st.DrawFn) -> dict:
    """A valid closure that may also carry a Z-report and grand totals (valid or not)."""
    closure = draw(valid_closures())
    if draw(st.booleans()):
        closure["z_report"] = draw(z_reports)
    if draw(st.booleans()):
        closure["grand_total"] = draw(grand_totals)
    return closure


@FAST
@given(closures_with_new_fields(), st.data())
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


def test_the_examples_are_valid_under_the_caps() -> None:
    for folder in (CONTRACT, PUBLISHED):
        examples = sorted((folder / "examples").glob("*.json"))
        assert examples, f"no examples in {folder}"
        for path in examples:
            assert validate_closure(json.loads(path.read_text(encoding="utf-8"))) == [], path


def test_the_copies_are_the_repository_contract() -> None:
    files = [CONTRACT / "closure.schema.json", *sorted((CONTRACT / "examples").glob("*.json"))]
    assert any("grand_total" in p.read_text(encoding="utf-8") for p in files[1:])
    assert any("z_report" in p.read_text(encoding="utf-8") for p in files[1:])
    for copy_ in COPIES:
        assert (copy_ / "closure.schema.json").read_bytes() == files[0].read_bytes(), copy_
    fixtures = COPIES[0] / "examples"
    assert sorted(p.name for p in fixtures.glob("*.json")) == [p.name for p in files[1:]]
    for path in files[1:]:
        assert (fixtures / path.name).read_bytes() == path.read_bytes(), f"copy {path.name}"


def _published() -> list[dict]:
    """The first publication, copied here, and the one beside the checkout where it exists."""
    paths = [PUBLISHED / "closure.schema.json", BESIDE / "closure.schema.json"]
    return [json.loads(p.read_text(encoding="utf-8")) for p in paths if p.is_file()]


def test_our_schema_is_the_first_publication_plus_caps_and_two_optional_fields() -> None:
    published = json.loads((PUBLISHED / "closure.schema.json").read_text(encoding="utf-8"))
    caps: dict[str, int] = {}

    def strip(node: Any, path: str = "") -> Any:
        if isinstance(node, dict):
            if "maxItems" in node:
                caps[path] = node["maxItems"]
            return {k: strip(v, f"{path}/{k}") for k, v in node.items() if k != "maxItems"}
        return [strip(v, path) for v in node] if isinstance(node, list) else node

    ours = strip(copy.deepcopy(SCHEMA))
    assert not set(NEW_FIELDS) & set(ours["required"])
    for name in NEW_FIELDS:
        del ours["properties"][name]
    assert ours == published
    assert set(caps) == {
        "/properties/sales",
        "/properties/payments",
        "/properties/tips",
        "/properties/gift_cards_sold",
        "/properties/invoice_sales",
        "/properties/invoice_sales/items/properties/lines",
    }


@FAST
@given(valid_closures())
def test_every_closure_valid_under_the_published_contract_is_valid_under_ours(
    closure: dict,
) -> None:
    published = _published()
    assert published
    for schema in published:
        assert not list(Draft202012Validator(schema).iter_errors(closure))
    assert validate_closure(closure) == []


def test_the_published_examples_are_valid_under_ours() -> None:
    for folder in (PUBLISHED, BESIDE):
        for path in sorted((folder / "examples").glob("*.json")):
            assert validate_closure(json.loads(path.read_text(encoding="utf-8"))) == [], path


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
