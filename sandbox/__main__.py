"""Command line: python -m sandbox serve --host 127.0.0.1 --port 8765 --data DIR."""

from __future__ import annotations

import argparse
import logging
import os
import sys


def parse(argv: list[str]) -> argparse.Namespace:
    """Arguments, with SANDBOX_* environment variables as defaults."""
    env = os.environ.get
    parser = argparse.ArgumentParser(prog="python -m sandbox", description="Fortnox sandbox")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the sandbox server")
    serve.add_argument("--host", default=env("SANDBOX_HOST", "127.0.0.1"))
    serve.add_argument("--port", type=int, default=int(env("SANDBOX_PORT", "8765")))
    serve.add_argument("--data", default=env("SANDBOX_DATA", "instance/sandbox"))
    for flag, var in (
        ("--client-id", "SANDBOX_CLIENT_ID"),
        ("--client-secret", "SANDBOX_CLIENT_SECRET"),
        ("--redirect-uri", "SANDBOX_REDIRECT_URI"),
    ):
        serve.add_argument(
            flag,
            action="append",
            default=[v for v in [env(var)] if v],
            help=f"repeatable; env {var}",
        )
    serve.add_argument("--token-ttl", type=int, default=int(env("SANDBOX_TOKEN_TTL", "3600")))
    serve.add_argument(
        "--refresh-ttl", type=int, default=int(env("SANDBOX_REFRESH_TTL", str(45 * 86400)))
    )
    serve.add_argument("--rate-count", type=int, default=int(env("SANDBOX_RATE_COUNT", "25")))
    serve.add_argument("--rate-window", type=float, default=float(env("SANDBOX_RATE_WINDOW", "5")))
    serve.add_argument(
        "--slow-seconds", type=float, default=float(env("SANDBOX_SLOW_SECONDS", "2"))
    )
    serve.add_argument(
        "--no-control",
        action="store_true",
        default=env("SANDBOX_NO_CONTROL") == "1",
        help="turn off the /_sandbox/ control API",
    )
    serve.add_argument(
        "--strict-params",
        action="store_true",
        default=env("SANDBOX_STRICT_PARAMS") == "1",
        help="answer 400 to a query parameter the path does not document (Fortnox ignores it)",
    )
    serve.add_argument("--verbose", action="store_true", help="log every request")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the chosen command."""
    args = parse(sys.argv[1:] if argv is None else argv)
    ids, secrets, uris = args.client_id, args.client_secret, args.redirect_uri
    if not len(ids) == len(secrets) == len(uris):
        print(
            "--client-id, --client-secret and --redirect-uri must come in triples", file=sys.stderr
        )
        return 2
    from sandbox.app import create_app

    app = create_app(
        args.data,
        token_ttl=args.token_ttl,
        refresh_ttl=args.refresh_ttl,
        rate_count=args.rate_count,
        rate_window=args.rate_window,
        slow_seconds=args.slow_seconds,
        control=not args.no_control,
        strict_params=args.strict_params,
        clients=list(zip(ids, secrets, uris, strict=True)),
    )
    if not args.verbose:
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
    print(f"Fortnox sandbox on http://{args.host}:{args.port} (data in {args.data})", flush=True)
    app.run(host=args.host, port=args.port, threaded=True, use_reloader=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
