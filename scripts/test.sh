#!/usr/bin/env bash
# Runs every test: formatting, lints (server and WASM), unit and integration tests
# against PostgreSQL (a fresh database per test), and the browser tests in Chromium.
# Without DATABASE_URL it uses the embedded PostgreSQL (see scripts/db.sh).
source "$(dirname "$0")/common.sh"
cd "$ROOT"
# A CI run builds once: incremental caches would only take disk.
if [ -n "${CI:-}" ]; then export CARGO_INCREMENTAL=0; fi
ensure_rust_tools
ensure_browser_tools
ensure_moto
ensure_document_tools

say "cargo fmt --check"
cargo fmt --all -- --check
say "cargo clippy (server)"
cargo clippy --all-targets --locked -- -D warnings
say "cargo clippy (WASM: the staff pages' bundle, then the test page's)"
cargo clippy -p frontend --target wasm32-unknown-unknown --locked -- -D warnings
cargo clippy -p test-page --target wasm32-unknown-unknown --locked -- -D warnings

use_database
say "unit and integration tests (S3 on a local moto_server)"
start_moto
trap 'kill "$MOTO_PID" 2>/dev/null || true' EXIT
cargo test --locked
kill "$MOTO_PID" 2>/dev/null || true

say "browser tests (against the release build, as people get it)"
"$ROOT/scripts/build.sh"
E2E_DB="$(database_url_named "$DATABASE_URL" "${ARE_E2E_DB_NAME:-are_e2e}")"
drop_and_create_database "$E2E_DB"
E2E_PORT="${ARE_E2E_PORT:-$(free_port 3917)}"
E2E_MAIL="$STATE_DIR/e2e-mail"
rm -rf "$E2E_MAIL" "$STATE_DIR/e2e-files"
LOG="$STATE_DIR/e2e-server.log"
DATABASE_URL="$E2E_DB" ARE_LISTEN_ADDR="127.0.0.1:$E2E_PORT" ARE_PUBLIC_URL="http://127.0.0.1:$E2E_PORT" \
  ARE_MAIL_DIR="$E2E_MAIL" ARE_DEMO_DATA=true ARE_SITE_ROOT="$ROOT/target/site" \
  ARE_FILES_DIR="$STATE_DIR/e2e-files" \
  "$ROOT/target/release/are" >"$LOG" 2>&1 &
SERVER=$!
# Under `set -e` a failing command in the EXIT trap becomes the script's status: each
# step here must not fail (the server may be gone already).
trap 'kill -TERM "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$E2E_PORT/readyz" >/dev/null 2>&1 && break
  kill -0 "$SERVER" 2>/dev/null || { cat "$LOG" >&2; die "the server did not start"; }
  sleep 0.2
done
(cd end2end && ARE_E2E_BASE_URL="http://127.0.0.1:$E2E_PORT" ARE_E2E_MAIL_DIR="$E2E_MAIL" npm test) \
  || { tail -40 "$LOG" >&2; die "browser tests failed (server log: $LOG)"; }
# The browser tests followed invitation and test links: their secrets must not be logged.
say "no link secret in the server's log"
if grep -Eq '/(test|invite|unlock|reset|signup)/[A-Za-z0-9_-]{40,}' "$LOG"; then
  grep -Eo '/(test|invite|unlock|reset|signup)/[A-Za-z0-9_-]{40,}' "$LOG" | head -3 >&2
  die "a link secret reached the server's log ($LOG)"
fi
# Nor may one stay in the database once its email has left (or failed for good).
say "no link secret in a sent email's row"
psql="psql"
command -v psql >/dev/null || psql="$(pg_bindir)/psql"
KEPT="$("$psql" "$E2E_DB" -Atc "SELECT count(*) FROM emails e WHERE e.status <> 'queued'
  AND e::text ~ '/(test|invite|unlock|reset|signup)/[A-Za-z0-9_-]{40,}'")"
[ "$KEPT" = 0 ] || die "$KEPT sent email(s) keep a link secret in the database (table emails of $E2E_DB)"
kill -TERM "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true
# Stopped and reaped: its number may be another process's by the end.
trap - EXIT
say "two app servers behind HAProxy (scripts/two-servers.sh)"
ARE_BIN="$ROOT/target/release/are" "$ROOT/scripts/two-servers.sh"
say "all tests passed"
