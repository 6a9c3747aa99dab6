#!/usr/bin/env bash
# `make run`: migrate, seed the demo, start Redis, the Fortnox sandbox, the worker and the portal.
# Ctrl-C stops every process this script started.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PORT=${PORT:-5000}
export KASSABOK_ENV=${KASSABOK_ENV:-development}
export FLASK_APP=app:create_app
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
export KASSABOK_PUBLIC_URL=${KASSABOK_PUBLIC_URL:-http://127.0.0.1:$PORT}
# The database, Redis, sandbox data and reports live here (the tests' journeys use a temp dir).
export KASSABOK_INSTANCE=${KASSABOK_INSTANCE:-$PWD/instance}
INSTANCE=$KASSABOK_INSTANCE
SANDBOX_PORT=${SANDBOX_PORT:-8765}
mkdir -p "$INSTANCE"

pids=()
cleanup() {
  trap - INT TERM EXIT
  echo; echo "Stopping..."
  for ((i=${#pids[@]}-1; i>=0; i--)); do kill "${pids[i]}" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup INT TERM EXIT

wait_for() {  # wait_for DESCRIPTION COMMAND...: retry COMMAND for up to 15 s
  local what=$1; shift
  for _ in $(seq 150); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "$what did not start" >&2; exit 1
}

$BIN/alembic upgrade head
$BIN/flask seed demo

if [ -z "${REDIS_URL:-}" ]; then
  rm -f "$INSTANCE/redis.url"
  $BIN/python -m app.devredis "$INSTANCE/redis.url" & pids+=($!)
  wait_for "Redis" test -s "$INSTANCE/redis.url"
  REDIS_URL=$(cat "$INSTANCE/redis.url"); export REDIS_URL
fi

if [ -f sandbox/__main__.py ] && [ -z "${FORTNOX_CLIENT_ID:-}" ]; then
  SANDBOX=http://127.0.0.1:$SANDBOX_PORT
  $BIN/python -m sandbox serve --port "$SANDBOX_PORT" --data "$INSTANCE/sandbox" --client-id kassabok \
    --client-secret s3cret --redirect-uri "$KASSABOK_PUBLIC_URL/fortnox/callback" & pids+=($!)
  wait_for "The Fortnox sandbox" $BIN/python -c "import urllib.request as u; u.urlopen('$SANDBOX/_sandbox/tenants')"
  $BIN/python scripts/sandbox_tenants.py "$SANDBOX"
  export FORTNOX_AUTH_URL=$SANDBOX FORTNOX_API_URL=$SANDBOX
  export FORTNOX_CLIENT_ID=kassabok FORTNOX_CLIENT_SECRET=s3cret
  # Two months of closures (or DEMO_DAYS days), posted to the sandbox and reconciled (skipped
  # once closures exist).
  $BIN/flask seed closures --sandbox "$SANDBOX" ${DEMO_DAYS:+--days "$DEMO_DAYS"}
fi

if [ -f worker/__main__.py ]; then
  $BIN/python -m worker & pids+=($!)
fi

$BIN/gunicorn --bind "127.0.0.1:$PORT" --workers 2 --threads 4 --access-logfile - wsgi:app & pids+=($!)
wait_for "The portal" $BIN/python -c "import urllib.request as u; u.urlopen('$KASSABOK_PUBLIC_URL/auth/login')"

cat <<MSG

  Kassabok is running: $KASSABOK_PUBLIC_URL
  Sign in with password "kassabok-demo" as
    admin@demo.kassabok.se        admin of both demo companies
    accountant@demo.kassabok.se   accountant of both (the agency view)
    manager@demo.kassabok.se      store manager of store S12 only
    auditor@demo.kassabok.se      auditor (English)
  ${SANDBOX:+Fortnox sandbox: $SANDBOX (authorize there as the demo company)}
  Press Ctrl-C to stop.

MSG
wait -n "${pids[@]}" || true
