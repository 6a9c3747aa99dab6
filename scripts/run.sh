#!/usr/bin/env bash
# `make run`: migrate, seed the demo, start Redis, the Fortnox sandbox, the worker and the portal.
# Ctrl-C stops every process this script started, in reverse order: portal, worker, sandbox, Redis.
# VERBOSE=1 shows the worker's routine log (jobs, registry cleaning) as well.
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

# Each background process leads a process group of its own (setsid): the terminal's Ctrl-C then
# reaches this script alone, not Redis and the worker at once (the worker lost Redis mid-stop).
pids=()
start() { setsid "$@" & pids+=($!); }
stop() {  # stop PID: TERM it, again after 5 s (rq's cold shutdown), then KILL its group after 10 s
  local pid=$1 n
  kill -TERM "$pid" 2>/dev/null || true
  for n in $(seq 100); do
    kill -0 -- "-$pid" 2>/dev/null || return 0  # the leader and what it started are gone
    [ "$n" = 50 ] && { kill -TERM "$pid" 2>/dev/null || true; }
    sleep 0.1
  done
  kill -KILL -- "-$pid" 2>/dev/null || true
}
cleanup() {
  trap '' INT TERM HUP  # a second Ctrl-C must not leave the rest running
  trap - EXIT
  echo; echo "Stopping..."
  for ((i=${#pids[@]}-1; i>=0; i--)); do stop "${pids[i]}"; done
  wait 2>/dev/null || true
}
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM HUP
trap cleanup EXIT

wait_for() {  # wait_for DESCRIPTION COMMAND...: retry COMMAND for up to 15 s
  local what=$1; shift
  for _ in $(seq 150); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "$what did not start" >&2; exit 1
}

$BIN/alembic upgrade head
$BIN/flask seed demo

if [ -z "${REDIS_URL:-}" ]; then
  rm -f "$INSTANCE/redis.url"
  start $BIN/python -m app.devredis "$INSTANCE/redis.url"
  wait_for "Redis" test -s "$INSTANCE/redis.url"
  REDIS_URL=$(cat "$INSTANCE/redis.url"); export REDIS_URL
fi

if [ -f sandbox/__main__.py ] && [ -z "${FORTNOX_CLIENT_ID:-}" ]; then
  SANDBOX=http://127.0.0.1:$SANDBOX_PORT
  start $BIN/python -m sandbox serve --port "$SANDBOX_PORT" --data "$INSTANCE/sandbox" --client-id kassabok \
    --client-secret s3cret --redirect-uri "$KASSABOK_PUBLIC_URL/fortnox/callback"
  wait_for "The Fortnox sandbox" $BIN/python -c "import urllib.request as u; u.urlopen('$SANDBOX/_sandbox/tenants')"
  $BIN/python scripts/sandbox_tenants.py "$SANDBOX"
  export FORTNOX_AUTH_URL=$SANDBOX FORTNOX_API_URL=$SANDBOX
  export FORTNOX_CLIENT_ID=kassabok FORTNOX_CLIENT_SECRET=s3cret
  # Two months of closures (or DEMO_DAYS days), posted to the sandbox and reconciled (skipped
  # once closures exist).
  $BIN/flask seed closures --sandbox "$SANDBOX" ${DEMO_DAYS:+--days "$DEMO_DAYS"}
fi

# A local mail catcher (aiosmtpd) unless MAIL_SERVER names a real one: every mail the portal and
# the worker send (digests, reset links) is kept in $INSTANCE/mail, and admins read it in the portal.
if [ -z "${MAIL_SERVER:-}" ]; then
  export MAIL_CATCHER_DIR=$INSTANCE/mail
  rm -f "$INSTANCE/mail.addr"
  start $BIN/python -m app.digest.catcher "$MAIL_CATCHER_DIR" "$INSTANCE/mail.addr"
  wait_for "The mail catcher" test -s "$INSTANCE/mail.addr"
  MAIL_ADDR=$(cat "$INSTANCE/mail.addr")
  export MAIL_SERVER=${MAIL_ADDR%:*} MAIL_PORT=${MAIL_ADDR##*:} MAIL_USE_TLS=0 MAIL_USE_SSL=0
fi

if [ -f worker/__main__.py ]; then
  # rq logs its maintenance every 15 s and each job at INFO: that buried the logins below.
  start $BIN/python -m worker --log-level "$([ "${VERBOSE:-0}" = 1 ] && echo INFO || echo WARNING)"
fi

# The portal's own control socket (gunicornc), not the one every gunicorn shares in ~/.gunicorn;
# none where the path is too long for a unix socket.
CONTROL=(--control-socket "$INSTANCE/gunicorn.ctl")
[ ${#INSTANCE} -gt 90 ] && CONTROL=(--no-control-socket)
start $BIN/gunicorn --bind "127.0.0.1:$PORT" --workers 2 --threads 4 --access-logfile - \
  "${CONTROL[@]}" wsgi:app
wait_for "The portal" $BIN/python -c "import urllib.request as u; u.urlopen('$KASSABOK_PUBLIC_URL/auth/login')"

cat <<MSG

  Kassabok is running: $KASSABOK_PUBLIC_URL
  Sign in with password "kassabok-demo" as
    admin@demo.kassabok.se        admin of both demo companies
    accountant@demo.kassabok.se   accountant of both (the agency view)
    manager@demo.kassabok.se      store manager of store S12 only
    auditor@demo.kassabok.se      auditor (English)
  ${SANDBOX:+Fortnox sandbox: $SANDBOX (authorize there as the demo company)}
  ${MAIL_ADDR:+Mail is caught, not sent: $KASSABOK_PUBLIC_URL/mail/caught (as the admin; SMTP $MAIL_ADDR)}
  Press Ctrl-C to stop.

MSG
wait -n "${pids[@]}" || true
