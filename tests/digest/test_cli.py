"""`flask digest send [--user EMAIL] [--dry-run]`."""

from __future__ import annotations

import re

from sqlmodel import select

from app.digest.models import DigestSent
from tests.digest.smtp import PUBLIC, Smtp


def test_dry_run_prints_and_sends_nothing(runner, session, world, smtp: Smtp) -> None:
    """--dry-run shows each digest; nothing is sent or recorded."""
    result = runner.invoke(args=["digest", "send", "--user", "erik@example.se", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "erik@example.se: would be sent (4 items)" in result.output
    assert "Subject: Kassabok: 3 store-days need you" in result.output
    assert f"{PUBLIC}/c/{world.company.id}/dashboard/cell/S14/2026-11-20" in result.output
    assert smtp.mails() == [] and session.exec(select(DigestSent)).all() == []


def test_send_to_one_then_everyone(runner, world, smtp: Smtp) -> None:
    """--user sends one; then everyone gets theirs once, the first not again."""
    result = runner.invoke(args=["digest", "send", "--user", " Erik@Example.se "])
    assert result.exit_code == 0 and "erik@example.se: sent (4 items)" in result.output
    result = runner.invoke(args=["digest", "send"])
    assert result.exit_code == 0, result.output
    assert "erik@example.se: already sent today" in result.output
    assert "ada@example.se: nothing to report" in result.output
    assert "maja@example.se: sent" in result.output
    assert sorted(m["To"] for m in smtp.mails()) == [
        "anna@example.se",
        "erik@example.se",
        "maja@example.se",
    ]


def test_an_unknown_user_is_a_clear_error(runner, world, smtp: Smtp) -> None:
    """A mistyped address says what to check."""
    result = runner.invoke(args=["digest", "send", "--user", "nobody@example.se"])
    assert result.exit_code != 0
    assert "No active member of any company has the email 'nobody@example.se'" in result.output


def test_a_refusing_server_fails_the_command(app, runner, world, smtp: Smtp) -> None:
    """Each refused mail is named, and the exit code says so."""
    app.config.update(MAIL_PORT=1, MAIL_TIMEOUT=2)
    result = runner.invoke(args=["digest", "send", "--user", "erik@example.se"])
    assert result.exit_code == 1
    assert "erik@example.se: not sent: the mail server" in result.output
    assert "1 digest(s) could not be sent; run again to retry." in result.output


def test_each_digest_of_one_run_keeps_its_readers_language(runner, world, smtp: Smtp) -> None:
    """Anna (Swedish), Erik (English) and Maja (Swedish) in one run: no language leaks over."""
    result = runner.invoke(args=["digest", "send", "--dry-run"])
    assert result.exit_code == 0, result.output
    blocks = dict(
        re.findall(
            r"^(\w+)@example\.se: (.*?)(?=^\w+@example\.se: |\Z)", result.output, re.M | re.S
        )
    )
    anna, erik, maja = blocks["anna"], blocks["erik"], blocks["maja"]
    assert "Hej Anna," in anna and "Hello Erik," in erik and "Hej Maja," in maja
    assert "Hello Erik," not in anna and "Hej Anna" not in erik
