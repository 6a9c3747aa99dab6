"""The demo's mail catcher: an aiosmtpd SMTP server that keeps every message as an .eml file.

`python -m app.digest.catcher FOLDER ADDRESS_FILE` listens on a free port of 127.0.0.1 and
writes host:port to ADDRESS_FILE once it accepts connections (`make run` points MAIL_SERVER
there). The tests start the same server in a thread with `serve_in_thread`.
"""

from __future__ import annotations

import asyncio
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope

from app.mail import keep


class Keeper:
    """An aiosmtpd handler: each message accepted is written to folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    async def handle_DATA(self, server: SMTP, session: Any, envelope: Envelope) -> str:  # noqa: N802
        """Keep the message as it arrived (aiosmtpd's hook for the DATA command)."""
        raw = envelope.original_content or b""
        keep(raw, self.folder)
        return "250 Message kept"


async def start(folder: Path, host: str = "127.0.0.1") -> asyncio.Server:
    """Listen on a free port of host; the server's first socket names it."""
    loop = asyncio.get_running_loop()
    return await loop.create_server(lambda: SMTP(Keeper(folder), hostname="catcher"), host, 0)


def address(server: asyncio.Server) -> tuple[str, int]:
    """The (host, port) server listens on."""
    host, port = server.sockets[0].getsockname()[:2]
    return host, port


@contextmanager
def serve_in_thread(folder: Path) -> Iterator[tuple[str, int]]:
    """Run a catcher on a loop of its own thread while the block runs; yield its address.

    The thread makes the loop too: the caller's thread may be running one already (Playwright's).
    """
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    found: dict[str, Any] = {}

    def run() -> None:
        try:
            found["server"] = loop.run_until_complete(start(folder))
        except BaseException as error:  # handed to the caller, who is waiting for the address
            found["error"] = error
            return
        finally:
            ready.set()
        loop.run_forever()
        found["server"].close()
        loop.run_until_complete(found["server"].wait_closed())
        loop.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    if not ready.wait(10) or "error" in found:
        raise RuntimeError(f"the mail catcher did not start: {found.get('error')}")
    try:
        yield address(found["server"])
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)


def main(argv: list[str]) -> int:
    """Serve until SIGTERM or SIGINT; the address goes to the file named second."""
    if len(argv) != 2:
        print("usage: python -m app.digest.catcher FOLDER ADDRESS_FILE", file=sys.stderr)
        return 2
    folder, address_file = Path(argv[0]), Path(argv[1])
    folder.mkdir(parents=True, exist_ok=True)
    loop = asyncio.new_event_loop()
    server = loop.run_until_complete(start(folder))
    host, port = address(server)
    written = address_file.with_suffix(".tmp")
    written.write_text(f"{host}:{port}\n")
    written.replace(address_file)  # whole, so a reader never sees half an address
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, loop.stop)
    try:
        loop.run_forever()
    finally:
        server.close()
        address_file.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
