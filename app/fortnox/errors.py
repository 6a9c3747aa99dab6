"""What can go wrong talking to Fortnox, as types the rest of Kassabok can act on."""

from __future__ import annotations

from typing import Any

from flask_babel import force_locale, gettext


class FortnoxError(Exception):
    """Anything Fortnox (or the way to it) answered other than success."""

    def __init__(self, message: str, *, status: int | None = None, code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code

    def __str__(self) -> str:
        parts = [self.message]
        if self.code is not None:
            parts.append(f"(code {self.code})")
        if self.status is not None:
            parts.append(f"[HTTP {self.status}]")
        return " ".join(parts)


class Retryable(FortnoxError):
    """Try again later; when outcome_unknown, Fortnox may already have done it."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: int | None = None,
        outcome_unknown: bool = False,
    ) -> None:
        super().__init__(message, status=status, code=code)
        self.outcome_unknown = outcome_unknown

    def human(self) -> str:
        """What went wrong, in the user's language, with the technical words after it."""
        if self.status == 429:
            out = gettext("Fortnox's rate limit was reached.")
        elif self.status is not None and self.status >= 500:
            out = gettext("Fortnox had a passing fault (HTTP %(status)s).", status=self.status)
        else:
            out = gettext("Fortnox could not be reached for the moment.")
        said = self.message.strip()
        if said:
            out += f" ({said})"
        if self.outcome_unknown:
            out += " " + gettext(
                "Fortnox may have done it already: it is looked up before a retry."
            )
        return out


class NeedsAction(FortnoxError):
    """Fortnox refused the request; a person must change something first."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: int | None = None,
        fix: str = "",
        explanation: str = "",
    ) -> None:
        super().__init__(message, status=status, code=code)
        self.fix = fix
        self.explanation = explanation

    def human(self) -> str:
        """What went wrong, in the user's language, with Fortnox's own words verbatim."""
        from app.fortnox.messages import BY_CODE, explain

        text, fix = explain(self.code, self.status)
        fix = self.fix or fix
        said = self.message.strip()
        if self.code not in BY_CODE and _fortnox_words(said, self.code, self.status):
            # A refusal Kassabok has no words of its own for: Fortnox's text says what is wrong.
            out = gettext("Fortnox refused: “%(said)s”", said=said)
        else:
            out = gettext("Fortnox refused: %(what)s", what=text)
            if said and said != text:
                out += f" ({said})"
        return f"{out} {fix}".strip()


def _fortnox_words(said: str, code: int | None, status: int | None) -> bool:
    """True when said is Fortnox's own text, not Kassabok's English stand-in for a silent answer."""
    if not said or status is None:
        return False
    from app.fortnox.messages import explain

    with force_locale("en"):
        return said != explain(code, status)[0]


class NotFound(NeedsAction):
    """Fortnox has no such resource."""


class AuthLost(FortnoxError):
    """The connection no longer works: someone must authorize Kassabok in Fortnox again."""


class NotConnected(AuthLost):
    """The company has never been connected (or was disconnected)."""


def error_information(body: Any) -> tuple[str, int | None]:
    """Fortnox's own message and code: ErrorInformation in any key case, else a bare message."""
    if not isinstance(body, dict):
        return "", None
    info = next((v for k, v in body.items() if k.lower() == "errorinformation"), None)
    if not isinstance(info, dict):
        # e.g. 401 {"message": "unauthorized"} or an OAuth-style {"error_description": ...}
        top = {k.lower(): v for k, v in body.items()}
        said = next((top[k] for k in _BARE if isinstance(top.get(k), str) and top[k]), "")
        return said, None
    fields = {k.lower(): v for k, v in info.items()}
    code = fields.get("code")
    try:
        code = int(code) if code not in (None, "") else None
    except (TypeError, ValueError):
        code = None
    return str(fields.get("message") or ""), code


_BARE = ("message", "error_description", "error")
