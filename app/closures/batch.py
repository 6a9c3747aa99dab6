"""A file of closures (one JSON object, a JSON array, or NDJSON) taken in item by item."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from app.audit.service import record
from app.closures.ingest import IngestResult, ingest
from app.closures.validate import parse_json_body
from app.companies.models import Company

NDJSON_SUFFIXES = (".ndjson", ".jsonl")
_SPACE = " \t\r\n"


@dataclass(frozen=True)
class Item:
    """One closure's bytes in a file, and the line it starts on."""

    line: int
    raw: bytes


@dataclass(frozen=True)
class ItemOutcome:
    """What became of one item of a file."""

    line: int
    result: IngestResult

    @property
    def closure_id(self) -> str | None:
        """The closure_id the item carried, when it could be read."""
        if self.result.closure is not None:
            return self.result.closure.closure_id
        return self.result.rejected.closure_id if self.result.rejected else None

    @property
    def refused(self) -> bool:
        """Whether the item was refused (and kept)."""
        return self.result.status_code >= 400


def split_items(data: bytes, filename: str = "") -> list[Item]:
    """The closures in a file, each with the line it starts on; a blank file holds none."""
    if not data.strip():
        return []
    if filename.lower().endswith(NDJSON_SUFFIXES):
        return _lines(data)
    value, problems = parse_json_body(data)
    if not problems:
        return _array(data) if isinstance(value, list) else [Item(1, data)]
    lines = _lines(data)
    if len(lines) > 1 and all(item.raw.lstrip().startswith(b"{") for item in lines):
        return lines
    return [Item(1, data)]


def _lines(data: bytes) -> list[Item]:
    """NDJSON: every non-blank line is one item."""
    return [
        Item(number, line.rstrip(b"\r"))
        for number, line in enumerate(data.split(b"\n"), start=1)
        if line.strip()
    ]


def _array(data: bytes) -> list[Item]:
    """The exact text of each element of a JSON array that is known to parse."""
    text = data.decode("utf-8").removeprefix("\ufeff")
    decoder = json.JSONDecoder()
    items: list[Item] = []
    at = text.index("[") + 1
    while True:
        while text[at] in _SPACE + ",":
            at += 1
        if text[at] == "]":
            return items
        _value, end = decoder.raw_decode(text, at)
        items.append(Item(text.count("\n", 0, at) + 1, text[at:end].encode("utf-8")))
        at = end


def ingest_file(
    session: Session,
    *,
    company: Company,
    data: bytes,
    filename: str,
    source: str,
    user: Any = None,
    actor: str | None = None,
) -> list[ItemOutcome]:
    """Ingest every closure in a file, committing after each so a long file saves as it goes."""
    outcomes: list[ItemOutcome] = []
    for item in split_items(data, filename):
        result = ingest(
            session,
            company=company,
            raw=item.raw,
            source=source,
            user=user,
            actor=actor,
            origin=f"{filename or source} line {item.line}",
        )
        session.commit()
        outcomes.append(ItemOutcome(item.line, result))
    record(
        session,
        action="closure.upload",
        company_id=company.id,
        user=user,
        actor=actor,
        target=filename[:200],
        detail={"source": source, "items": len(outcomes), **summary(outcomes)},
    )
    session.commit()
    return outcomes


def summary(outcomes: list[ItemOutcome]) -> dict[str, int]:
    """How many items ended each way (created, revision, unchanged, conflict, invalid)."""
    return dict(Counter(outcome.result.outcome for outcome in outcomes))
