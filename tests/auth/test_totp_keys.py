"""TOTP secrets follow a Fernet key rotation: `flask users rotate-keys`."""

from __future__ import annotations

import time

import pyotp
import pytest
from cryptography.fernet import Fernet, InvalidToken

from app.auth import totp
from tests.factories import make_user

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def test_rotate_keys_moves_totp_secrets_to_the_newest_key(app, session, runner) -> None:
    """After rotation the stored secret opens with the new key alone and codes still sign in."""
    user = make_user(session, "anna@example.se")
    secret = totp.new_secret()
    app.config["FERNET_KEYS"] = OLD
    with app.app_context():
        assert totp.enable(session, user=user, secret=secret, code=pyotp.TOTP(secret).now())
    session.commit()
    app.config["FERNET_KEYS"] = f"{NEW},{OLD}"
    out = runner.invoke(args=["users", "rotate-keys"])
    assert out.exit_code == 0 and "1 user(s)" in out.output
    session.expire_all()
    session.refresh(user)
    assert Fernet(NEW).decrypt(user.totp_secret.encode()).decode() == secret
    with pytest.raises(InvalidToken):
        Fernet(OLD).decrypt(user.totp_secret.encode())
    app.config["FERNET_KEYS"] = NEW
    with app.app_context():
        assert totp.accept(session, user=user, code=pyotp.TOTP(secret).at(time.time() + 30))
