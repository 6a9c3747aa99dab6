"""Fortnox REST API v3 resources, all on one blueprint mounted at /3."""

from __future__ import annotations

from sandbox.api import bookkeeping, customers, invoices, orders, settings, vouchers  # noqa: F401
from sandbox.api.common import bp

__all__ = ["bp"]
