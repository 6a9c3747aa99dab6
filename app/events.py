"""Domain events: a lower area announces a change, the higher areas that care subscribe.

Closures, mapping, settings and the Fortnox connection know nothing of posting; posting listens.
Posting knows nothing of the Z-report's attaching, the closure page nothing of posting's part of
it. A lower area also asks this way for what only a higher one knows (the board's statuses, a
reason's words). The factory wires every subscriber (app.register_subscribers), in the order they
must run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# (session, closure_pk, older=[its earlier revisions, oldest first, read under the closure's
# lock]): a revision is stored, uncommitted, in a savepoint the receivers share.
CLOSURE_RECEIVED = "closure-received"
# (session, company_id): the mapping, the company's settings or its connection changed.
BOOKS_CHANGED = "books-changed"
# (session, company_id, codes=set[str]): pre-flight went green for these hold codes.
HOLDS_MAY_CLEAR = "holds-may-clear"
# (session, company_id, voucher: dict, year: int): Fortnox's answer to a voucher just made,
# uncommitted, in the sender's transaction (reconcile caches it, rows and all).
VOUCHER_SENT = "voucher-sent"
# (session, closure_pk): a closure's voucher is in Fortnox, committed; receivers never raise.
CLOSURE_POSTED = "closure-posted"
# (session, company, closure): the closure page is built; each receiver answers its part (a dict).
CLOSURE_PAGE = "closure-page"
# (session, closure): the POS API's account of a closure is built; each receiver answers its part.
CLOSURE_ACCOUNT = "closure-account"
# (): the statuses a closure can have on the month board, worst first: the deciding receiver
# answers {status: (word, mark)} in the reader's language.
CLOSURE_STATUS_WORDS = "closure-status-words"
# (session, ids: list[int] | Select, order: tuple): the deciding receiver answers each closure's
# board status, [(closure id, status)] in order.
CLOSURE_STATUSES = "closure-statuses"
# (state, hold_code): the deciding receiver answers the board status of a closure no check has
# seen yet (a revision stored in the asking transaction), without reading anything.
CLOSURE_STATUS_UNCHECKED = "closure-status-unchecked"
# (key, value): an audit event's detail is read; a receiver that knows it answers its words,
# the others None.
DETAIL_WORDS = "detail-words"

_subscribers: dict[str, list[Callable[..., Any]]] = {}


def subscribe(event: str, receiver: Callable[..., Any]) -> None:
    """Call receiver on each announcement of event, after those subscribed before it (once)."""
    receivers = _subscribers.setdefault(event, [])
    if receiver not in receivers:
        receivers.append(receiver)


def announce(event: str, *args: Any, **kwargs: Any) -> list[Any]:
    """Call event's receivers in order with the arguments; their answers, in that order."""
    return [receiver(*args, **kwargs) for receiver in list(_subscribers.get(event, ()))]


def receivers(event: str) -> list[Callable[..., Any]]:
    """Who listens to event, in calling order."""
    return list(_subscribers.get(event, ()))
