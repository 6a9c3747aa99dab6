"""The account page's switch for the daily e-mail: it shows the state, changes it, audits it."""

from __future__ import annotations

from sqlmodel import col, select

from app.audit.models import AuditEvent
from app.digest.models import DigestPreference
from tests.factories import make_company, make_user


def test_turn_the_daily_email_off_and_on(client, auth, session) -> None:
    """Off and on again from the account page; each change is one audit event."""
    company = make_company(session)
    erik = make_user(session, "erik@example.se", company, "accountant")
    auth.login("erik@example.se")
    page = client.get("/account/password").get_data(as_text=True)
    assert 'id="digest"' in page and "Turn the daily e-mail off" in page
    answer = client.post("/account/digest", data={"enabled": "off"})
    assert answer.status_code == 303 and answer.headers["Location"].endswith(
        "/account/password#digest"
    )
    page = client.get("/account/password").get_data(as_text=True)
    assert "The daily e-mail is off." in page and "Turn the daily e-mail on" in page
    assert not session.get(DigestPreference, erik.id).enabled
    client.post("/account/digest", data={"enabled": "on"})
    session.expire_all()
    assert session.get(DigestPreference, erik.id).enabled
    mine = select(AuditEvent).where(AuditEvent.user_id == erik.id)
    events = session.exec(mine.order_by(col(AuditEvent.id))).all()
    assert [(e.company_id, e.detail["after"]["daily_digest"]) for e in events] == [
        (company.id, False),
        (company.id, True),
    ]


def test_a_bad_value_says_what_to_do(client, auth, session) -> None:
    """Anything but on or off changes nothing and says why."""
    erik = make_user(session, "erik@example.se", make_company(session), "accountant")
    auth.login("erik@example.se")
    client.post("/account/digest", data={"enabled": "maybe"})
    page = client.get("/account/password").get_data(as_text=True)
    assert "Choose whether the daily e-mail is on or off." in page
    assert session.get(DigestPreference, erik.id) is None
