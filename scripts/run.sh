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
mkdir -p instance

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
  rm -f instance/redis.url
  $BIN/python -m app.devredis instance/redis.url & pids+=($!)
  wait_for "Redis" test -s instance/redis.url
  REDIS_URL=$(cat instance/redis.url); export REDIS_URL
fi

if [ -f sandbox/__main__.py ] && [ -z "${FORTNOX_CLIENT_ID:-}" ]; then
  SANDBOX=http://127.0.0.1:8765
  $BIN/python -m sandbox serve --port 8765 --data instance/sandbox --client-id kassabok \
    --client-secret s3cret --redirect-uri "$KASSABOK_PUBLIC_URL/fortnox/callback" & pids+=($!)
  wait_for "The Fortnox sandbox" $BIN/python -c "import urllib.request as u; u.urlopen('$SANDBOX/_sandbox/tenants')"
  $BIN/python scripts/sandbox_tenants.py "$SANDBOX"
  export FORTNOX_AUTH_URL=$SANDBOX FORTNOX_API_URL=$SANDBOX
  export FORTNOX_CLIENT_ID=kassabok FORTNOX_CLIENT_SECRET=s3cret
  # Two months of closures, posted to the sandbox and reconciled (skipped once closures exist).
  $BIN/flask seed closures --sandbox "$SANDBOX"
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
