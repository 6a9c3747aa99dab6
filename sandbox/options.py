"""Settings of one sandbox instance."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Options:
    """Lifetimes, rate limit, fault timing and the OAuth clients registered at start."""

    token_ttl: int = 3600
    refresh_ttl: int = 45 * 24 * 3600
    code_ttl: int = 600
    rate_count: int = 25
    rate_window: float = 5.0
    slow_seconds: float = 2.0
    control: bool = True
    strict_params: bool = False  # True: a parameter the path does not document answers 400
    clients: list[tuple[str, str, str]] = field(default_factory=list)
