"""The closure pages: upload a file, the list (scoped by store), one closure, refused payloads."""

from __future__ import annotations

import io
import json

import pytest
from sqlmodel import Session, select

from app.audit.models import AuditEvent
from app.closures.models import Closure, RejectedPayload
from tests.closures.ingest_support import EXAMPLE, closure
from tests.factories import make_company, make_store, make_user


@pytest.fixture
def world(session: Session) -> dict:
    """A company with two stores and one user per role."""
    company = make_company(session)
    s12 = make_store(session, company, "S12")
    s14 = make_store(session, company, "S14", name="Café Hamnen")
    make_user(session, "admin@example.se", company, "admin")
    make_user(session, "acc@example.se", company, "accountant")
    make_user(session, "aud@example.se", company, "auditor")
    make_user(session, "mgr@example.se", company, "store_manager", stores=[s14])
    return {"company": company, "s12": s12, "s14": s14, "base": f"/c/{company.id}/closures"}


def upload(client, base: str, text: str, name: str = "day.ndjson", **kw):
    data = {"file": (io.BytesIO(text.encode("utf-8")), name)}
    return client.post(f"{base}/upload", data=data, content_type="multipart/form-data", **kw)


def lines(*payloads: object) -> str:
    return "\n".join(json.dumps(p) for p in payloads) + "\n"


def test_ndjson_upload_shows_each_item(client, auth, session, world) -> None:
    auth.login("acc@example.se")
    bad = closure(closure_id="bad-1")
    bad["sales"][0]["gross"] = "1.00"
    text = lines(closure(), closure(), bad, closure(closure_id="s14", store_id="S14"))
    resp = upload(client, world["base"], text)
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert "<html" in html and "day.ndjson" in html
    assert html.count('class="outcome-created"') == 2
    assert 'class="outcome-unchanged"' in html and 'class="outcome-invalid"' in html
    assert "/sales/0/gross" in html and "bad-1" in html
    assert len(session.exec(select(Closure)).all()) == 2
    [kept] = session.exec(select(RejectedPayload)).all()
    assert (kept.source, kept.origin, kept.closure_id) == ("upload", "day.ndjson line 3", "bad-1")
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "closure.upload")).one()
    assert event.actor == "acc@example.se" and event.detail["items"] == 4


def test_htmx_upload_answers_the_results_fragment(client, auth, world) -> None:
    auth.login("admin@example.se")
    resp = upload(
        client, world["base"], json.dumps([EXAMPLE]), "one.json", headers={"HX-Request": "true"}
    )
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith('<section id="upload-results"')
    assert "opn-7731:S12:R1:Z457" in html


def test_upload_without_a_file_says_so(client, auth, world) -> None:
    auth.login("admin@example.se")
    resp = client.post(f"{world['base']}/upload", data={}, content_type="multipart/form-data")
    assert "Choose a JSON or NDJSON file" in resp.get_data(as_text=True)


@pytest.mark.parametrize("email", ["mgr@example.se", "aud@example.se"])
def test_only_admins_and_accountants_upload(client, auth, world, email) -> None:
    auth.login(email)
    assert client.get(f"{world['base']}/upload").status_code == 403
    assert upload(client, world["base"], lines(EXAMPLE)).status_code == 403


def test_outsiders_get_404(client, auth, session, world) -> None:
    make_user(session, "other@example.se", make_company(session, "Annat AB", "556000-0001"))
    auth.login("other@example.se")
    for path in ("", "/upload", "/rejected"):
        assert client.get(world["base"] + path).status_code == 404


def test_the_list_shows_latest_revisions_and_filters(client, auth, world) -> None:
    auth.login("admin@example.se")
    upload(
        client,
        world["base"],
        lines(closure(), closure(revision=2), closure(closure_id="x", store_id="S14", z_number=12)),
    )
    html = client.get(world["base"]).get_data(as_text=True)
    assert "Z457" in html and "Z12" in html and html.count("<tr>") == 3  # header + two closures
    only = client.get(f"{world['base']}?store={world['s14'].id}", headers={"HX-Request": "true"})
    fragment = only.get_data(as_text=True)
    assert "<html" not in fragment and "Z12" in fragment and "Z457" not in fragment
    none = client.get(f"{world['base']}?state=posted").get_data(as_text=True)
    assert "No closures match these filters." in none


def test_a_store_manager_sees_only_their_stores(client, auth, world) -> None:
    auth.login("admin@example.se")
    upload(
        client,
        world["base"],
        lines(closure(), closure(closure_id="x", store_id="S14", z_number=12)),
    )
    auth.logout()
    auth.login("mgr@example.se")
    html = client.get(world["base"]).get_data(as_text=True)
    assert "Z12" in html and "Z457" not in html
    assert (
        client.get(f"{world['base']}?store={world['s12'].id}").get_data(as_text=True).count("Z457")
        == 0
    )
    assert client.get(f"{world['base']}/rejected").status_code == 403


def test_closure_page_sums_the_day_and_lists_revisions(client, auth, session, world) -> None:
    auth.login("admin@example.se")
    upload(client, world["base"], lines(closure(), closure(revision=2)))
    first = session.exec(select(Closure).where(Closure.revision == 1)).one()
    html = client.get(f"{world['base']}/{first.id}").get_data(as_text=True)
    assert "opn-7731:S12:R1:Z457" in html and "Revision 2" in html
    assert "13,400.00" in html or "13 400,00" in html  # sales gross, via the money filter
    auth.logout()
    auth.login("mgr@example.se")
    assert client.get(f"{world['base']}/{first.id}").status_code == 404


def test_refused_payloads_are_listed_downloaded_and_resolved(client, auth, session, world) -> None:
    auth.login("acc@example.se")
    raw = b'{"closure_id": "broken", "sales": [}'
    upload(client, world["base"], raw.decode(), "broken.json")
    page = client.get(f"{world['base']}/rejected").get_data(as_text=True)
    assert "broken.json line 1" in page and "not valid JSON" in page
    item = session.exec(select(RejectedPayload)).one()
    download = client.get(f"{world['base']}/rejected/{item.id}/raw")
    assert download.status_code == 200 and download.data == raw
    assert "attachment" in download.headers["Content-Disposition"]
    resp = client.post(
        f"{world['base']}/rejected/{item.id}/resolve", headers={"HX-Request": "true"}
    )
    row = resp.get_data(as_text=True)
    assert resp.status_code == 200 and row.lstrip().startswith(f'<tr id="rejected-{item.id}"')
    assert "Resolved" in row
    session.refresh(item)
    assert item.resolved_at is not None and item.resolved_by is not None
    assert "Nothing refused is waiting." in client.get(f"{world['base']}/rejected").get_data(
        as_text=True
    )
    assert "broken.json" in client.get(f"{world['base']}/rejected?all=1").get_data(as_text=True)


def test_auditors_read_refused_payloads_but_do_not_resolve(client, auth, session, world) -> None:
    auth.login("acc@example.se")
    upload(client, world["base"], "nope", "x.json")
    auth.logout()
    auth.login("aud@example.se")
    page = client.get(f"{world['base']}/rejected").get_data(as_text=True)
    assert "x.json line 1" in page and "Mark resolved" not in page
    item = session.exec(select(RejectedPayload)).one()
    assert client.post(f"{world['base']}/rejected/{item.id}/resolve").status_code == 403


def test_resolving_without_htmx_redirects_303(client, auth, session, world) -> None:
    auth.login("acc@example.se")
    upload(client, world["base"], "nope", "x.json")
    item = session.exec(select(RejectedPayload)).one()
    resp = client.post(f"{world['base']}/rejected/{item.id}/resolve")
    assert resp.status_code == 303 and resp.headers["Location"].endswith("/rejected")
