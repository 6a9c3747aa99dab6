"""Fortnox REST API v3 resources, all on one blueprint mounted at /3."""

from __future__ import annotations

from sandbox.api import (  # noqa: F401
    bookkeeping,
    customers,
    fileconnections,
    files,
    invoices,
    orders,
    settings,
    vouchers,
)
from sandbox.api.common import bp

__all__ = ["bp"]
