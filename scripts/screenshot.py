"""Take the README's screenshots: the four role journeys, on the demo's full two months.

Usage: python scripts/screenshot.py [OUT_DIR]   (default: docs/img)
The journeys (tests/e2e/test_journeys.py) start their own `make run` stack (scripts/run.sh) on
free ports and a temp instance, so nothing needs to be running; each step saves a PNG.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(out: str = "docs/img") -> int:
    """Run the journeys with their screenshots going to out; return pytest's exit code."""
    target = Path(out).resolve()
    target.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "KASSABOK_SCREENSHOTS": str(target), "KASSABOK_JOURNEY_DAYS": ""}
    journeys = str(ROOT / "tests" / "e2e" / "test_journeys.py")
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", journeys]
    return subprocess.call(command, cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:2]))
