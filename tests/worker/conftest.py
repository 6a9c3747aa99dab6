"""The worker tests share the posting fixtures."""

from tests.posting.conftest import _app_context, books, receive  # noqa: F401
