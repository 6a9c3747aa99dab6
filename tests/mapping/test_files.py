"""Versions list, compare, and the mapping file through the UI and the command line."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient, FlaskCliRunner
from sqlmodel import Session, select

from app.companies.models import Company, Store
from app.mapping import service
from app.mapping.schema import bas_default

HX = {"HX-Request": "true"}


def url(company: Company, tail: str) -> str:
    """A path under the company's mapping page."""
    return f"/c/{company.id}/mapping{tail}"


def two_versions(session: Session, company: Company) -> None:
    """Version 1 the BAS default, version 2 with AMEX added, VAT 12 changed, TIPS removed."""
    service.save_mapping(session, company=company, data=bas_default(), user=None, comment="one")
    data = bas_default()
    data["payment_methods"]["AMEX"] = "1581"
    data["vat"]["12"] = "2622"
    del data["other"]["TIPS"]
    service.save_mapping(session, company=company, data=data, user=None, comment="two")
    session.commit()


def test_versions_list_and_compare(
    client: FlaskClient, auth: Any, session: Session, company: Company
) -> None:
    two_versions(session, company)
    auth.login("auditor@example.com")
    html = client.get(url(company, "/versions"), headers=HX).get_data(as_text=True)
    assert "v2" in html and "v1" in html and "two" in html and "<html" not in html
    html = client.get(url(company, "/compare?a=1&b=2")).get_data(as_text=True)
    for text in (
        "Payment methods › AMEX",  # places in words, not payment_methods/AMEX (issue 15.10)
        "added",
        "Output VAT per rate › 12 %",
        "2621",
        "2622",
        "Other categories › Tips",
        "removed",
    ):
        assert text in html
    html = client.get(url(company, "/compare?a=2&b=2"), headers=HX).get_data(as_text=True)
    assert "No differences" in html
    assert client.get(url(company, "/compare?a=0&b=1")).status_code == 200
    assert client.get(url(company, "/compare?a=1&b=9")).status_code == 404


def test_download_and_upload_round_trip(
    client: FlaskClient, auth: Any, session: Session, company: Company
) -> None:
    two_versions(session, company)
    auth.login("admin@example.com")
    answer = client.get(url(company, "/export"))
    assert "attachment" in answer.headers["Content-Disposition"]
    exported = answer.get_json()
    assert exported["stores"] == {"S12": {"name": "Café Centrum", "cost_center": "S12"}}
    old = client.get(url(company, "/export?version=1")).get_json()
    assert old["other"]["TIPS"] == "2890"
    assert client.get(url(company, "/export?version=7")).status_code == 404
    old["stores"]["S30"] = {"name": "Café Syd", "cost_center": "S30"}
    body = {"file": (io.BytesIO(json.dumps(old).encode()), "mapping.json")}
    answer = client.post(url(company, "/import"), headers=HX, data=body)
    html = answer.get_data(as_text=True)
    assert "Imported as version 3" in html and "Stores created: S30" in html
    assert "mapping-saved" in answer.headers["HX-Trigger"]
    latest = service.latest_mapping(session, company.id)
    assert latest.version == 3 and latest.data == service.get_version(session, company.id, 1).data
    assert session.exec(select(Store.store_id).order_by(Store.store_id)).all() == ["S12", "S30"]


def _import(client: FlaskClient, company: Company, data: dict[str, Any]):
    body = {"file": (io.BytesIO(json.dumps(data).encode()), "mapping.json")}
    return client.post(url(company, "/import"), headers=HX, data=body)


def test_an_accountant_imports_the_mapping_but_changes_no_store(
    client: FlaskClient, auth: Any, session: Session, company: Company
) -> None:
    two_versions(session, company)
    auth.login("accountant@example.com")
    exported = client.get(url(company, "/export")).get_json()
    assert "Imported as version 3" in _import(client, company, exported).get_data(as_text=True)
    for store_id, wanted in (("S30", "Café Syd"), ("S12", "Renamed")):
        changed = json.loads(json.dumps(exported))
        changed["stores"][store_id] = {"name": wanted, "cost_center": store_id}
        answer = _import(client, company, changed)
        html = answer.get_data(as_text=True)
        assert answer.status_code == 422 and "Only an admin may create or change stores" in html
        assert ("create: S30; change: -" if store_id == "S30" else "create: -; change: S12") in html
    session.expire_all()
    assert session.exec(select(Store.store_id, Store.name)).all() == [("S12", "Café Centrum")]
    assert service.latest_mapping(session, company.id).version == 3
    assert client.post(f"/c/{company.id}/stores", data={"store_id": "S31"}).status_code == 403


def test_a_bad_upload_lists_every_problem_and_changes_nothing(
    client: FlaskClient, auth: Any, session: Session, company: Company
) -> None:
    auth.login("accountant@example.com")
    bad = {
        **bas_default(),
        "schema": "mapping",
        "stores": {"S12": {"name": "X", "cost_center": ""}},
    }
    bad["vat"]["12"] = "26"
    body = {"file": (io.BytesIO(json.dumps(bad).encode()), "m.json")}
    html = client.post(url(company, "/import"), headers=HX, data=body).get_data(as_text=True)
    for text in (
        "/schema",
        "Output VAT per rate › 12 %",
        "/stores/S12/cost_center",
        "nothing changed",
    ):
        assert text in html
    assert service.latest_mapping(session, company.id) is None
    assert session.exec(select(Store.name)).all() == ["Café Centrum"]
    body = {"file": (io.BytesIO(b"{not json"), "m.json")}
    answer = client.post(url(company, "/import"), data=body)
    assert answer.status_code == 422 and "Not valid JSON" in answer.get_data(as_text=True)
    answer = client.post(url(company, "/import"), headers=HX, data={})
    assert "Choose a kassabok.mapping/1 JSON file" in answer.get_data(as_text=True)


def test_cli_export_then_import(
    runner: FlaskCliRunner, session: Session, company: Company, tmp_path: Path
) -> None:
    two_versions(session, company)
    result = runner.invoke(args=["mapping", "export", "--company", company.orgnr])
    assert result.exit_code == 0, result.output
    exported = json.loads(result.output)
    assert exported["payment_methods"]["AMEX"] == "1581" and "S12" in exported["stores"]
    exported["stores"]["S12"]["cost_center"] = "CC12"
    path = tmp_path / "m.json"
    path.write_text(json.dumps(exported))
    result = runner.invoke(args=["mapping", "import", "--company", "5566778899", str(path)])
    assert result.exit_code == 0, result.output
    assert "version 3" in result.output and "Store S12 updated" in result.output
    session.expire_all()
    assert session.exec(select(Store.cost_center)).all() == ["CC12"]
    again = runner.invoke(args=["mapping", "export", "--company", company.orgnr])
    assert json.loads(again.output) == exported
    one = runner.invoke(args=["mapping", "export", "--company", company.orgnr, "--version", "1"])
    assert "AMEX" not in one.output


def test_cli_import_reports_every_problem(
    runner: FlaskCliRunner, session: Session, company: Company, tmp_path: Path
) -> None:
    bad = bas_default()
    bad["sales"]["FOOD:13"] = "3002"
    bad["other"]["TIPS"] = 2890
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad))
    result = runner.invoke(args=["mapping", "import", "--company", company.orgnr, str(path)])
    assert result.exit_code != 0
    assert "2 problems; nothing was imported" in result.output
    assert "/sales/FOOD:13" in result.output and "/other/TIPS" in result.output
    assert service.latest_mapping(session, company.id) is None
    path.write_text("[")
    result = runner.invoke(args=["mapping", "import", "--company", company.orgnr, str(path)])
    assert result.exit_code != 0 and "not a JSON file" in result.output
    result = runner.invoke(args=["mapping", "export", "--company", "556000-0000"])
    assert result.exit_code != 0 and "No company" in result.output
