"""Evidence fixtures: the posting and reconcile fixtures, a company on the Fortnox sandbox."""

from __future__ import annotations

from tests.posting.conftest import _app_context, receive  # noqa: F401
from tests.reconcile.conftest import fx  # noqa: F401
from tests.sandbox_fixtures import fortnox_company, sandbox  # noqa: F401
