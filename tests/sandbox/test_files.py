"""The sandbox's inbox, archive and voucher file connections, held to Fortnox's specification."""

from __future__ import annotations

import io
from typing import Any

import pytest
from flask import Flask
from werkzeug.test import TestResponse

from sandbox import spec
from sandbox.faults import LostResponse
from tests.sandbox.conftest import ALL_SCOPES, Fortnox, error_of, voucher
from tests.sandbox.shapes import problems

FILES = ALL_SCOPES + " inbox archive connectfile"
PDF = b"%PDF-1.4\n% a Z-report\n%%EOF\n"


@pytest.fixture
def files(sandbox_app: Flask) -> Fortnox:
    """A seeded company connected with the file scopes too, one voucher A1 booked."""
    fx = Fortnox(sandbox_app.test_client())
    fx.tenant = fx.create_tenant()
    fx.connect(fx.tenant, FILES)
    made = fx.post("/3/vouchers", voucher((1910, "125", "0", ""), (3001, "0", "125", "")))
    assert made.status_code == 201, made.data
    return fx


def upload(
    fx: Fortnox, where: str = "/3/archive", name: str = "Z458.pdf", **kw: Any
) -> TestResponse:
    """POST one file as multipart/form-data, its part named "file"."""
    data = {"file": (io.BytesIO(PDF), name, "application/pdf")}
    headers = {"Authorization": f"Bearer {kw.pop('token', None) or fx.token}"}
    return fx.client.post(where, data=data, headers=headers, content_type="multipart/form-data")


def declared(method: str, path: str, response: TestResponse) -> list[str]:
    """Where an answer breaks its path's response schema in the spec (undeclared keys, types)."""
    operation = spec.operation(method, path)
    assert operation is not None
    schema = operation.response_schema(response.status_code)
    body = {k: v for k, v in response.json.items() if k != "MetaInformation"}
    return problems(schema, body) + sorted(set(spec.props(schema)) ^ set(body))


def connect(fx: Fortnox, file_id: str, number: str = "1", year: Any = None) -> TestResponse:
    """POST /3/voucherfileconnections for voucher A<number>."""
    body = {"FileId": file_id, "VoucherNumber": number, "VoucherSeries": "A"}
    if year is not None:
        body["VoucherYear"] = year
    return fx.post("/3/voucherfileconnections", {"VoucherFileConnection": body})


def test_an_upload_answers_the_file_row_and_keeps_the_bytes(files: Fortnox) -> None:
    made = upload(files)
    assert made.status_code == 201, made.data
    assert declared("POST", "/3/archive", made) == []
    row = made.json["File"]
    assert (row["Name"], row["Size"], row["ArchiveFileId"]) == ("Z458.pdf", len(PDF), row["Id"])
    back = files.get(f"/3/archive/{row['Id']}")
    assert back.status_code == 200 and back.data == PDF and back.mimetype == "application/pdf"
    listed = files.get("/3/archive")
    assert declared("GET", "/3/archive", listed) == []
    assert [f["Name"] for f in listed.json["Folder"]["Files"]] == ["Z458.pdf"]
    assert files.get(f"/3/archive?fileid={row['Id']}").data == PDF


def test_the_inbox_has_its_nine_static_folders_and_takes_uploads_into_one(files: Fortnox) -> None:
    root = files.get("/3/inbox")
    assert declared("GET", "/3/inbox", root) == []
    names = [f["Name"] for f in root.json["Folder"]["Folders"]]
    assert names == ["Inbox_a", "Inbox_d", "Inbox_s", "Inbox_v", "Inbox_b", "Inbox_l",
                     "Inbox_kf", "Inbox_o", "Inbox_of"]  # fmt: skip
    made = upload(files, "/3/inbox?path=Inbox_v")
    assert made.status_code == 201 and made.json["File"]["Path"] == "Inbox_v"
    folder = files.get("/3/inbox/Inbox_v").json["Folder"]
    assert [f["Id"] for f in folder["Files"]] == [made.json["File"]["Id"]]
    assert files.get(f"/3/inbox/{made.json['File']['Id']}").data == PDF
    assert upload(files, "/3/inbox?path=Inbox_zz").status_code == 404


def test_an_upload_must_be_multipart_with_a_file_part(files: Fortnox) -> None:
    as_json = files.post("/3/archive", {"file": "JVBERi0="})
    assert as_json.status_code == 400 and error_of(as_json)["code"] == 1000031
    headers = {"Authorization": f"Bearer {files.token}"}
    wrong = files.client.post(
        "/3/archive", data={"document": (io.BytesIO(PDF), "a.pdf")}, headers=headers
    )
    assert wrong.status_code == 400 and error_of(wrong)["code"] == 2001392


def test_a_file_connects_to_one_voucher_once(files: Fortnox) -> None:
    file_id = upload(files).json["File"]["Id"]
    made = connect(files, file_id)
    assert made.status_code == 201, made.data
    assert declared("POST", "/3/voucherfileconnections", made) == []
    connection = made.json["VoucherFileConnection"]
    assert (connection["FileId"], connection["VoucherSeries"], connection["VoucherNumber"]) == (
        file_id,
        "A",
        "1",
    )
    assert connection["VoucherDescription"] == "Z1 S12" and connection["VoucherYear"] > 0
    again = connect(files, file_id)
    assert again.status_code == 400 and error_of(again)["code"] == 2009401
    assert files.get(f"/3/voucherfileconnections/{file_id}").json == made.json
    deleting = files.call("DELETE", f"/3/archive/{file_id}")
    assert deleting.status_code == 400  # a connected file stays


def test_a_connection_needs_a_file_and_a_voucher_that_exist(files: Fortnox) -> None:
    file_id = upload(files).json["File"]["Id"]
    assert connect(files, "no-such-file").status_code == 404
    assert connect(files, file_id, number="99").status_code == 404
    assert connect(files, file_id, year=999).status_code == 404
    missing = files.post(
        "/3/voucherfileconnections", {"VoucherFileConnection": {"FileId": file_id}}
    )
    assert missing.status_code == 400 and "VoucherSeries" in error_of(missing)["message"]


def test_the_list_is_searched_by_the_parameters_the_tag_documents(files: Fortnox) -> None:
    files.post("/3/vouchers", voucher((1910, "50", "0", ""), (3001, "0", "50", "")))
    first, second = (upload(files, name=f"Z{n}.pdf").json["File"]["Id"] for n in (1, 2))
    connect(files, first, "1")
    connect(files, second, "2")
    everything = files.get("/3/voucherfileconnections")
    assert declared("GET", "/3/voucherfileconnections", everything) == []
    assert len(everything.json["VoucherFileConnections"]) == 2
    one = files.get("/3/voucherfileconnections?voucherseries=A&vouchernumber=2").json
    assert [c["FileId"] for c in one["VoucherFileConnections"]] == [second]
    assert one["MetaInformation"]["@TotalResources"] == 1


def test_the_search_parameters_pass_even_a_strict_sandbox(tmp_path) -> None:
    from sandbox.app import create_app
    from tests.sandbox.conftest import CLIENT_ID, REDIRECT, SECRET

    app = create_app(tmp_path, strict_params=True, clients=[(CLIENT_ID, SECRET, REDIRECT)])
    fx = Fortnox(app.test_client())
    fx.tenant = fx.create_tenant()
    fx.connect(fx.tenant, FILES)
    assert fx.get("/3/voucherfileconnections?voucherseries=A&voucheryear=1").status_code == 200
    assert fx.get("/3/voucherfileconnections?costcenter=S12").status_code == 400


@pytest.mark.parametrize(
    ("path", "scope"),
    [
        ("/3/archive", "archive"),
        ("/3/inbox", "inbox"),
        ("/3/voucherfileconnections", "connectfile"),
    ],
)
def test_each_resource_needs_its_scope(files: Fortnox, path: str, scope: str) -> None:
    token = files.connect(files.tenant, FILES.replace(f" {scope}", ""))["access_token"]
    refused = files.get(path, token=token)
    assert refused.status_code == 403
    assert error_of(refused) == {
        "error": 1,
        "message": "Det finns ingen aktiv licens för önskat scope",
        "code": 2001101,
    }
    assert upload(files, path, token=token).status_code in (403, 405)


def test_without_the_archive_licence_every_file_resource_answers_403(files: Fortnox) -> None:
    turned = files.client.put(f"/_sandbox/tenants/{files.tenant}/licences", json={"archive": False})
    assert turned.status_code == 200 and turned.json == {"archive": False}
    for path in ("/3/archive", "/3/inbox", "/3/voucherfileconnections"):
        assert files.get(path).status_code == 403, path
    assert upload(files).status_code == 403
    files.client.put(f"/_sandbox/tenants/{files.tenant}/licences", json={"archive": True})
    assert upload(files).status_code == 201
    bad = files.client.put(f"/_sandbox/tenants/{files.tenant}/licences", json={"archive": "no"})
    assert bad.status_code == 400


def test_a_lost_upload_is_kept_and_found_again(files: Fortnox) -> None:
    """lost_response drops the answer after the write: the file is there, its id unknown."""
    files.client.post("/_sandbox/faults", json={"rate": 1, "kinds": ["lost_response"], "seed": 1})
    with pytest.raises(LostResponse):
        upload(files, name="Z-lost.pdf")
    files.client.post("/_sandbox/faults", json={"rate": 0, "kinds": [], "seed": 1})
    names = [f["Name"] for f in files.get("/3/archive").json["Folder"]["Files"]]
    assert names == ["Z-lost.pdf"]


def test_a_lost_connection_is_kept_and_listed(files: Fortnox) -> None:
    file_id = upload(files).json["File"]["Id"]
    files.client.post("/_sandbox/faults", json={"rate": 1, "kinds": ["lost_response"], "seed": 1})
    with pytest.raises(LostResponse):
        connect(files, file_id)
    files.client.post("/_sandbox/faults", json={"rate": 0, "kinds": [], "seed": 1})
    listed = files.get("/3/voucherfileconnections?voucherseries=A&vouchernumber=1").json
    assert [c["FileId"] for c in listed["VoucherFileConnections"]] == [file_id]


@pytest.mark.parametrize("kind", ["500", "503", "429"])
def test_faults_reach_the_file_resources_too(files: Fortnox, kind: str) -> None:
    files.client.post("/_sandbox/faults", json={"rate": 1, "kinds": [kind], "seed": 1})
    assert upload(files).status_code == int(kind)
    files.client.post("/_sandbox/faults", json={"rate": 0, "kinds": [], "seed": 1})
    assert files.get("/3/archive").json["Folder"]["Files"] == []  # nothing was kept


def test_faults_can_be_aimed_at_some_requests_only(files: Fortnox) -> None:
    aimed = {"rate": 1, "kinds": ["503"], "seed": 1, "only": ["POST /3/voucherfileconnections"]}
    assert files.client.post("/_sandbox/faults", json=aimed).json["only"] == aimed["only"]
    file_id = upload(files).json["File"]["Id"]  # not aimed at: kept
    assert connect(files, file_id).status_code == 503
    assert files.get("/3/voucherfileconnections").status_code == 200
    wrong = files.client.post("/_sandbox/faults", json={**aimed, "only": ["vouchers"]})
    assert wrong.status_code == 400 and "METHOD /path" in wrong.json["error"]
