"""What is wrong with something sent to us: a JSON pointer and a message that says what to fix."""

from __future__ import annotations

from dataclasses import dataclass


def _(text: str) -> str:
    """Mark a user-visible string for translation (identity until a catalogue exists)."""
    return text


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a closure: where (an RFC 6901 pointer) and what to fix."""

    pointer: str
    message: str


def pointer(*parts: str | int) -> str:
    """Build an RFC 6901 JSON pointer from path parts."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)
