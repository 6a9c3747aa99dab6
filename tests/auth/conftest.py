"""The sign-in area's tests: a real SMTP server (aiosmtpd) for the reset mails."""

from __future__ import annotations

from tests.digest.smtp import smtp  # noqa: F401  (the fixture)
