"""Driving the sandbox's consent page the way a browser would."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import httpx


def consent(authorize_url: str, tenant: int, decision: str = "approve") -> str:
    """Answer the sandbox's consent page; where it sends the browser back."""
    assert httpx.get(authorize_url).status_code == 200
    answer = httpx.post(authorize_url, data={"tenant": str(tenant), "decision": decision})
    assert answer.status_code in (302, 303), answer.text
    return answer.headers["location"]


def query(url: str) -> dict[str, str]:
    """The query parameters of url, one value each."""
    return {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}
