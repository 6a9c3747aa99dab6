"""Secrets at rest (Fortnox tokens, TOTP seeds): Fernet under FERNET_KEYS, the first encrypting."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app


def _fernet() -> MultiFernet:
    """A MultiFernet over FERNET_KEYS (comma-separated, newest first)."""
    keys = [k.strip() for k in str(current_app.config.get("FERNET_KEYS") or "").split(",")]
    keys = [k for k in keys if k]
    if not keys:
        raise RuntimeError("FERNET_KEYS (KASSABOK_FERNET_KEYS) must be set to store tokens")
    return MultiFernet([Fernet(k) for k in keys])


def encrypt(text: str) -> str:
    """The ciphertext of text ("" stays "")."""
    return _fernet().encrypt(text.encode()).decode() if text else ""


def decrypt(token: str) -> str:
    """The plaintext of a ciphertext made by encrypt under any configured key."""
    return _apply("decrypt", token)


def rotate(token: str) -> str:
    """The same plaintext re-encrypted under the newest key (the first of FERNET_KEYS)."""
    return _apply("rotate", token)


def _apply(method: str, token: str) -> str:
    """Run MultiFernet's decrypt or rotate on a stored ciphertext ("" stays "")."""
    if not token:
        return ""
    try:
        return getattr(_fernet(), method)(token.encode()).decode()
    except InvalidToken as err:
        raise RuntimeError("a stored Fortnox token cannot be decrypted with FERNET_KEYS") from err
