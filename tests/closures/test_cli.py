"""`flask closures import`: a file or stdin, one line per item, a summary, exit 1 on refusals."""

from __future__ import annotations

import json
from pathlib import Path

from sqlmodel import Session, select

from app.audit.models import AuditEvent
from app.closures.models import Closure, RejectedPayload
from tests.closures.ingest_support import closure
from tests.factories import make_company, make_store


def ndjson(*payloads: object) -> str:
    return "".join(json.dumps(p) + "\n" for p in payloads)


def test_import_an_ndjson_file(runner, session: Session, tmp_path: Path) -> None:
    company = make_company(session)
    make_store(session, company, "S12")
    path = tmp_path / "day.ndjson"
    path.write_text(ndjson(closure(), closure(closure_id="b", z_number=458)), encoding="utf-8")
    result = runner.invoke(args=["closures", "import", str(path), "--company", company.orgnr])
    assert result.exit_code == 0, result.output
    assert "line 1: created opn-7731:S12:R1:Z457 r1" in result.output
    assert "line 2: created b r1" in result.output
    assert "2 item(s): 2 created; 0 refused and kept." in result.output
    assert len(session.exec(select(Closure)).all()) == 2
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "closure.upload")).one()
    assert event.actor == "cli" and event.detail["created"] == 2


def test_import_from_stdin_exits_1_when_any_is_refused(runner, session: Session) -> None:
    company = make_company(session)
    make_store(session, company, "S12")
    bad = closure(closure_id="bad", store_id="S99")
    data = ndjson(closure(), closure(), bad) + "{not json\n"
    result = runner.invoke(args=["closures", "import", "-"], input=data)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == "line 1: created opn-7731:S12:R1:Z457 r1"
    assert lines[1] == "line 2: unchanged opn-7731:S12:R1:Z457 r1"
    assert lines[2] == "line 3: invalid bad"
    assert lines[3].startswith('    /store_id: Store "S99" is not one of')
    assert lines[4] == "line 4: invalid -"
    assert "4 item(s): 1 created, 2 invalid, 1 unchanged; 2 refused and kept." in result.output
    kept = session.exec(select(RejectedPayload).order_by(RejectedPayload.id)).all()
    assert [(r.source, r.origin) for r in kept] == [
        ("cli", "stdin line 3"),
        ("cli", "stdin line 4"),
    ]


def test_import_a_json_array_keeps_each_items_line(runner, session, tmp_path: Path) -> None:
    company = make_company(session)
    make_store(session, company, "S12")
    path = tmp_path / "week.json"
    path.write_text(json.dumps([closure(), closure(revision=2)], indent=2), encoding="utf-8")
    result = runner.invoke(args=["closures", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "line 2: created opn-7731:S12:R1:Z457 r1" in result.output
    assert "revision opn-7731:S12:R1:Z457 r2" in result.output


def test_company_must_be_named_when_there_are_several(runner, session, tmp_path) -> None:
    make_company(session)
    make_company(session, name="Annat AB", orgnr="556000-0001")
    path = tmp_path / "x.json"
    path.write_text(json.dumps(closure()))
    result = runner.invoke(args=["closures", "import", str(path)])
    assert result.exit_code == 2 and "--company" in result.output
    result = runner.invoke(args=["closures", "import", str(path), "--company", "nope"])
    assert result.exit_code == 2 and "no company has that organisation number" in result.output
