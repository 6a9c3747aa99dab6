"""A forgotten password is reset through a single-use, time-limited link by e-mail."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from sqlmodel import select

from app.auth.models import PasswordReset
from app.db import utcnow
from tests.digest.smtp import PUBLIC, Smtp, links, parts
from tests.factories import PASSWORD, make_company, make_user

EMAIL = "anna@example.se"
NEW = "Blue-otter-kettle-42"


@pytest.fixture
def outbox(app, tmp_path: Path) -> Path:
    """The folder the test app's mail goes to."""
    app.config["MAIL_OUTBOX"] = str(tmp_path / "outbox")
    return tmp_path / "outbox"


@pytest.fixture
def anna(session):
    """A member of one company."""
    return make_user(session, EMAIL, make_company(session), "accountant")


def _mails(outbox: Path) -> list:
    """The messages in the outbox, oldest first."""
    return [
        message_from_bytes(p.read_bytes(), policy=policy.default)
        for p in sorted(outbox.glob("*.eml"))
    ]


@pytest.fixture
def ask(client, run_jobs):
    """Ask for a reset link for email, then let the worker mail it."""

    def post(email: str):
        answer = client.post("/account/forgot", data={"email": email})
        run_jobs(("sync",))
        return answer

    return post


def _link(outbox: Path) -> str:
    """The reset path in the newest mail."""
    body = _mails(outbox)[-1].get_content()
    return re.search(r"http://[^/\s]+(/account/reset/\S+)", body).group(1)


def test_reset_by_mail(client, auth, session, outbox: Path, anna, ask) -> None:
    """The link sets a new password once; the old one and every session end."""
    other = client.application.test_client()
    other.post("/auth/login", data={"email": EMAIL, "password": PASSWORD})
    answer = ask("  Anna@Example.se ")
    assert answer.status_code == 303 and answer.headers["Location"] == "/auth/login"
    (mail,) = _mails(outbox)
    assert mail["To"] == EMAIL and "Kassabok" in mail["Subject"]
    link = _link(outbox)
    token = link.rsplit("/", 1)[1]
    stored = session.exec(select(PasswordReset)).one()
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in stored.token_hash
    assert client.get(link).status_code == 200
    weak = client.post(link, data={"new": "aaaaaaaaaa", "confirm": "aaaaaaaaaa"})
    assert weak.status_code == 422
    assert client.post(link, data={"new": NEW, "confirm": NEW}).status_code == 303
    assert other.get("/").status_code == 302
    assert client.get(link).status_code == 404
    assert client.post(link, data={"new": NEW + "x", "confirm": NEW + "x"}).status_code == 404
    assert auth.login(EMAIL).status_code == 401
    assert auth.login(EMAIL, NEW).status_code == 303


def test_unknown_address_answers_alike_and_sends_nothing(client, outbox: Path, anna, ask) -> None:
    """Asking for an unknown address looks the same and mails nobody."""
    known = ask(EMAIL)
    unknown = ask("nobody@example.se")
    assert known.status_code == unknown.status_code == 303
    assert known.headers["Location"] == unknown.headers["Location"]
    assert [m["To"] for m in _mails(outbox)] == [EMAIL]


def test_an_expired_link_does_not_work(client, session, outbox: Path, anna, ask) -> None:
    """After PASSWORD_RESET_MINUTES the link answers 404."""
    ask(EMAIL)
    link = _link(outbox)
    reset = session.exec(select(PasswordReset)).one()
    reset.expires_at = utcnow() - timedelta(seconds=1)
    session.add(reset)
    session.commit()
    assert client.get(link).status_code == 404
    assert client.post(link, data={"new": NEW, "confirm": NEW}).status_code == 404


def test_a_new_password_spends_every_open_link(client, outbox: Path, anna, ask) -> None:
    """Of two links asked for, the second is dead once the first is used."""
    ask(EMAIL)
    first = _link(outbox)
    ask(EMAIL)
    second = _link(outbox)
    assert first != second
    assert client.post(first, data={"new": NEW, "confirm": NEW}).status_code == 303
    assert client.get(second).status_code == 404


def test_reset_mails_are_limited_per_hour(app, client, outbox: Path, anna, ask) -> None:
    """No more than PASSWORD_RESET_MAILS mails an hour reach one address."""
    for _ in range(app.config["PASSWORD_RESET_MAILS"] + 3):
        assert ask(EMAIL).status_code == 303
    assert len(_mails(outbox)) == app.config["PASSWORD_RESET_MAILS"]


def test_a_made_up_token_is_404(client, anna) -> None:
    """Guessed or overlong tokens open nothing."""
    assert client.get("/account/reset/not-a-token").status_code == 404
    assert client.get("/account/reset/" + "a" * 300).status_code == 404


def test_the_request_only_queues_the_mail(client, outbox: Path, anna, run_jobs) -> None:
    """The answer does not wait for the mail server: the worker sends the link, first in line."""
    from app.queue import get_queue

    client.post("/account/forgot", data={"email": EMAIL})
    assert _mails(outbox) == []
    with client.application.app_context():
        (job,) = get_queue("sync").get_jobs()
    assert job.func_name == "worker.jobs.auth.send_reset_link"
    run_jobs(("sync",))
    assert [m["To"] for m in _mails(outbox)] == [EMAIL]


def test_the_reset_mail_goes_over_smtp_in_the_users_language(
    client, session, smtp: Smtp, ask
) -> None:
    """Saved Swedish: a Swedish mail whose link opens the public portal's reset page."""
    make_user(session, "maja@example.se", make_company(session), "store_manager", locale="sv")
    ask("maja@example.se")
    (mail,) = smtp.mails()
    assert mail["To"] == "maja@example.se"
    assert mail["Subject"] == "Återställ ditt lösenord i Kassabok"
    (link,) = links(parts(mail)[0])
    assert link.startswith(f"{PUBLIC}/account/reset/")
    assert client.get(link.removeprefix(PUBLIC)).status_code == 200


def test_a_refused_reset_mail_fails_its_job(app, client, smtp: Smtp, anna, run_jobs) -> None:
    """With the server down the job fails (rq retries it later) and the page still answers."""
    from rq.registry import ScheduledJobRegistry

    from app.queue import get_queue

    app.config.update(MAIL_PORT=1, MAIL_TIMEOUT=2)
    assert client.post("/account/forgot", data={"email": EMAIL}).status_code == 303
    run_jobs(("sync",))
    assert smtp.mails() == []
    with app.app_context():
        assert ScheduledJobRegistry(queue=get_queue("sync")).count == 1  # the retry
