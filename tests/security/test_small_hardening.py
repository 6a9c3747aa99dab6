"""Issue 14.11: the Fernet keys required in production, downloads never cached, ids encoded."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from cryptography.fernet import Fernet
from sqlmodel import select

from app import create_app
from app.closures.models import RejectedPayload
from app.db import utcnow
from app.reports.models import Report
from tests.closures.ingest_support import bearer, body, closure, make_token
from tests.factories import make_company, make_store, make_user

PRODUCTION = {"ENV_NAME": "production", "SECRET_KEY": "s", "DATABASE_URL": "sqlite://"}
KEY = "dGVzdC1vbmx5LWZlcm5ldC1rZXktMzItYnl0ZXMhISE="  # 32 bytes, url-safe base64


@pytest.mark.parametrize(
    ("keys", "says"),
    [
        ("", "KASSABOK_FERNET_KEYS must be set in production"),
        (" , ", "KASSABOK_FERNET_KEYS must be set in production"),
        ("not-a-key", "no Fernet key at position 1"),
        (f"{KEY},short", "no Fernet key at position 2"),
    ],
)
def test_production_refuses_to_start_without_good_fernet_keys(keys: str, says: str) -> None:
    with pytest.raises(RuntimeError, match=says):
        create_app({**PRODUCTION, "FERNET_KEYS": keys, "REDIS_URL": ""})


def test_production_starts_with_fernet_keys_and_development_needs_none() -> None:
    keys = f"{Fernet.generate_key().decode()},{Fernet.generate_key().decode()}"
    assert create_app({**PRODUCTION, "FERNET_KEYS": keys, "REDIS_URL": ""}).config["FERNET_KEYS"]
    create_app({"ENV_NAME": "testing", "FERNET_KEYS": "", "DATABASE_URL": "sqlite://"})


def test_pdf_and_raw_payload_downloads_are_no_store(app, session, client, auth) -> None:
    company = make_company(session)
    make_store(session, company, "S12")
    make_user(session, "admin@x.se", company, "admin")
    headers = bearer(make_token(session, company))
    client.post("/api/v1/closures", data=b"{not json", headers=headers)
    rejected = session.exec(select(RejectedPayload)).one()
    report = Report(
        company_id=company.id,
        period_start=date(2026, 10, 1),
        period_end=date(2026, 10, 31),
        status="done",
        size=5,
        finished_at=utcnow(),
        filename=f"{company.id}/report.pdf",
    )
    session.add(report)
    session.commit()
    path = Path(app.config["REPORTS_DIR"]) / report.filename
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.4 secret figures")
    auth.login("admin@x.se")
    raw = client.get(f"/c/{company.id}/closures/rejected/{rejected.id}/raw")
    pdf = client.get(f"/c/{company.id}/reports/{report.id}/download")
    for answer in (raw, pdf):
        assert answer.status_code == 200
        assert "attachment" in answer.headers["Content-Disposition"]
        assert answer.headers["Cache-Control"] == "no-store"
    assert pdf.get_data() == b"%PDF-1.4 secret figures"


@pytest.mark.parametrize(
    "closure_id", ["../../etc/passwd", "..", ".", "a/../../b", "x?y#z", "%2e%2e"]
)
def test_a_closure_id_in_location_stays_under_the_api(app, session, client, closure_id) -> None:
    company = make_company(session)
    make_store(session, company, "S12")
    headers = bearer(make_token(session, company))
    created = client.post(
        "/api/v1/closures", data=body(closure(closure_id=closure_id)), headers=headers
    )
    assert created.status_code == 201, created.get_json()
    location = created.headers["Location"]
    assert location == created.get_json()["url"]
    sent = urlsplit(location)
    # Resolved as a client does (RFC 3986 5.2: dot segments removed from the path).
    resolved = urlsplit(urljoin("http://localhost/x", sent.path + "?" * bool(sent.query)))
    assert resolved.path.startswith("/api/v1/closures/") and not sent.query
    assert not sent.fragment
    assert resolved.path.count("/") == 4  # one segment, however many slashes the id holds
    status = client.get(location.removeprefix("http://localhost"), headers=headers)
    assert status.status_code == 200 and status.get_json()["closure_id"] == closure_id
