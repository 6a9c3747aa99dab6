"""The daily digest over real SMTP: what needs each user, with links, in their language, once."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, select

from app import mail
from app.audit.models import AuditEvent
from app.auth.models import User
from app.digest import service
from app.digest.models import DigestSent
from tests.digest.smtp import PUBLIC, Smtp, links, parts

TODAY = date(2026, 12, 4)


def _user(session: Session, email: str) -> User:
    """The stored user with email."""
    return session.exec(select(User).where(User.email == email)).one()


def _send(app, session: Session, email: str) -> str:  # type: ignore[no-untyped-def]
    """Send email's digest for TODAY as the job does; what happened."""
    with app.app_context():
        outcome, _digest = service.send(session, _user(session, email), TODAY)
    return outcome


def test_the_digest_lists_what_needs_the_user_with_links(app, session, world, smtp: Smtp) -> None:
    """Headers, a text and an HTML part, each count and store-day linked to the public portal."""
    assert _send(app, session, "erik@example.se") == service.SENT
    (msg,) = smtp.mails()
    assert msg["To"] == "erik@example.se"
    assert msg["From"] == app.config["MAIL_DEFAULT_SENDER"]
    assert msg["Subject"] == "Kassabok: 3 store-days need you, 1 closure awaits approval"
    assert msg.get_content_type() == "multipart/alternative"
    text, html = parts(msg)
    assert html.startswith("<!doctype html>") and '<html lang="en">' in html
    cid = world.company.id
    grid = f"{PUBLIC}/c/{cid}/dashboard"
    for body in (text, html):
        found = links(body)
        assert all(u.startswith(PUBLIC + "/") for u in found), found
        assert f"{grid}?month=2026-09&status=held" in found
        assert f"{grid}?month=2026-10&status=missing" in found
        assert f"{grid}?month=2026-11&status=failed" in found
        assert f"{PUBLIC}/c/{cid}/approvals" in found
        assert f"{grid}/cell/S12/2026-09-14" in found and f"{grid}/cell/S14/2026-11-20" in found
        assert f"{PUBLIC}/account/password#digest" in found
        assert "Café Centrum AB" in body
        assert "Fix the hold; it then posts by itself" in body
        assert "Held: 1" in body and "Missing: 1" in body and "Failed: 1" in body
        assert "Awaiting approval: 1" in body
    # Oldest first, as the overview lists them.
    assert text.index("S12") < text.index("S14")


def test_each_user_reads_it_in_their_saved_language(app, session, world, smtp: Smtp) -> None:
    """Anna saved Swedish: the subject, the words and the dates are Swedish."""
    _send(app, session, "anna@example.se")
    (msg,) = smtp.mails()
    text, html = parts(msg)
    assert msg["Subject"] == (
        "Kassabok: 3 butiksdagar behöver dig, 1 dagsavslut väntar på godkännande"
    )
    assert '<html lang="sv">' in html
    for body in (text, html):
        assert "Hej Anna," in body and "i dag, 4 december 2026." in body
        assert "Parkerade: 1" in body and "Misslyckade: 1" in body and "Saknas: 1" in body
        assert "Väntar på godkännande: 1" in body
        assert "Åtgärda orsaken; sedan bokförs det av sig självt" in body


def test_a_store_manager_hears_only_of_their_stores(app, session, world, smtp: Smtp) -> None:
    """Maja manages S12: S14's failed day is not hers; nothing at all is no mail."""
    _send(app, session, "maja@example.se")
    (msg,) = smtp.mails()
    text, html = parts(msg)
    for body in (text, html):
        assert "S12" in body and "S14" not in body
        assert "/cell/S14/" not in body
    assert _send(app, session, "ada@example.se") == service.NOTHING
    assert len(smtp.mails()) == 1


def test_turned_off_means_no_mail_and_it_is_audited(app, session, world, smtp: Smtp) -> None:
    """Off sends nothing; the change is in the audit trail of the user's company."""
    erik = _user(session, "erik@example.se")
    with app.app_context():
        assert service.set_enabled(session, user=erik, enabled=False)
        assert not service.set_enabled(session, user=erik, enabled=False)  # unchanged: no event
    session.commit()
    assert _send(app, session, "erik@example.se") == service.OFF
    assert smtp.mails() == []
    (event,) = session.exec(select(AuditEvent).where(AuditEvent.user_id == erik.id)).all()
    assert event.company_id == world.company.id and event.action == "settings.changed"
    assert event.detail == {"before": {"daily_digest": True}, "after": {"daily_digest": False}}


def test_once_a_day_however_often_it_is_asked(app, session, world, smtp: Smtp) -> None:
    """A second run the same day sends nothing; the next day sends again."""
    assert _send(app, session, "erik@example.se") == service.SENT
    assert _send(app, session, "erik@example.se") == service.ALREADY
    assert len(smtp.mails()) == 1
    with app.app_context():
        erik = _user(session, "erik@example.se")
        assert service.send(session, erik, date(2026, 12, 5))[0] == service.SENT
    assert len(smtp.mails()) == 2
    assert [s.day for s in session.exec(select(DigestSent)).all()] == [TODAY, date(2026, 12, 5)]


def test_a_refused_mail_is_not_counted_as_sent(app, session, world, smtp: Smtp) -> None:
    """With the server gone the job fails; once it is back, the retry sends the day's digest."""
    app.config.update(MAIL_PORT=1, MAIL_TIMEOUT=2)
    with pytest.raises(mail.MailError):
        _send(app, session, "erik@example.se")
    assert session.exec(select(DigestSent)).all() == []
    app.config.update(MAIL_PORT=smtp.port)
    assert _send(app, session, "erik@example.se") == service.SENT
    assert len(smtp.mails()) == 1


def test_two_runs_at_once_send_one_mail(app, session, world, smtp: Smtp, monkeypatch) -> None:
    """Should two runs both find nothing sent yet, the database's (user, day) key lets one send."""
    assert _send(app, session, "erik@example.se") == service.SENT
    monkeypatch.setattr(service, "_sent", lambda *args: False)  # the other run looked too early
    assert _send(app, session, "erik@example.se") == service.ALREADY
    assert len(smtp.mails()) == 1
