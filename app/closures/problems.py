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


MAX_PROBLEMS = 100


class Problems(list[Problem]):
    """The first MAX_PROBLEMS problems (and a line saying how many more), with the total."""

    total: int = 0


def capped(problems: list[Problem], total: int | None = None) -> Problems:
    """At most MAX_PROBLEMS problems, then one that tells how many there are in all."""
    total = len(problems) if total is None else total
    kept = Problems(problems[:MAX_PROBLEMS])
    kept.total = total
    if total > len(kept):
        msg = _(
            "… and {0} more problems ({1} in all); fix the ones above and send the closure again."
        )
        kept.append(Problem("", msg.format(total - len(kept), total)))
    return kept
