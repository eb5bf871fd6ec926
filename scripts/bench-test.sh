#!/usr/bin/env bash
# Test-taking benchmark (not a test): the release server against `are generate-invites`
# (ARE_BENCH_INVITES_COUNT invites, 2,000 by default). Prints the p95 of every invited
# candidate starting the test within 60 seconds (then loading the test page), autosaves
# per second with p50/p99 across those sessions, and the test page's WASM size.
# Uses DATABASE_URL or the embedded DB.
source "$(dirname "$0")/common.sh"
cd "$ROOT"
"$ROOT/scripts/build.sh"
command -v wrk >/dev/null || apt_install wrk
command -v python3 >/dev/null || apt_install python3
use_database
BENCH_DB="$(database_url_named "$DATABASE_URL" are_bench_test)"
drop_and_create_database "$BENCH_DB"
PORT="${ARE_BENCH_PORT:-$(free_port 3921)}"
URL="http://127.0.0.1:$PORT"
SECONDS_EACH="${ARE_BENCH_SECONDS:-15}"
CONNECTIONS="${ARE_BENCH_CONNECTIONS:-32}"
export ARE_BENCH_DIR="$ROOT/scripts/bench" ARE_BENCH_PORT="$PORT" ARE_BENCH_THREADS=2
export ARE_BENCH_INVITES="$STATE_DIR/bench-invites.txt"

say "generating ${ARE_BENCH_INVITES_COUNT:-2000} invites"
DATABASE_URL="$BENCH_DB" RUST_LOG=info "$ROOT/target/release/are" generate-invites \
  --invites "${ARE_BENCH_INVITES_COUNT:-2000}" --out "$ARE_BENCH_INVITES"

LOG="$STATE_DIR/bench-test-server.log"
DATABASE_URL="$BENCH_DB" ARE_LISTEN_ADDR="127.0.0.1:$PORT" ARE_PUBLIC_URL="$URL" \
  ARE_SITE_ROOT="$ROOT/target/site" ARE_MAIL_DIR="$STATE_DIR/bench-mail" RUST_LOG=warn \
  "$ROOT/target/release/are" >"$LOG" 2>&1 &
SERVER=$!
trap 'kill -TERM $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fs "$URL/readyz" >/dev/null 2>&1 && break; sleep 0.2; done

field() { tr ' ' '\n' | grep "^$1=" | cut -d= -f2; }
say "starts: every invite once, spread over ${ARE_BENCH_START_WINDOW:-60} seconds"
starts=$(python3 scripts/bench/test-starts.py | grep '^RESULT')
say "autosaves (${SECONDS_EACH}s, $CONNECTIONS connections)"
saves=$(wrk -t"$ARE_BENCH_THREADS" -c"$CONNECTIONS" -d"${SECONDS_EACH}s" -s scripts/bench/test-save.lua \
  "$URL/api/test/save" | grep '^RESULT')
saved=$(psql "$BENCH_DB" -Atc "SELECT count(*) FROM answers")

# The WASM the test page itself preloads (after the starts, so the link is under way).
first_token="$(sed -n 2p "$ARE_BENCH_INVITES")"
wasm_path="$(curl -fs "$URL/test/$first_token" | grep -o '/pkg/[^"]*\.wasm' | head -n 1)"
[ -n "$wasm_path" ] || die "the test page names no WASM"
wasm="target/site$wasm_path"
echo
printf '%-30s %s in %s s, p50 %s ms, p95 %s ms, p99 %s ms, errors %s\n' "Test starts" \
  "$(echo "$starts" | field starts)" "$(echo "$starts" | field seconds)" \
  "$(echo "$starts" | field start_p50_ms)" "$(echo "$starts" | field start_p95_ms)" \
  "$(echo "$starts" | field start_p99_ms)" "$(echo "$starts" | field errors)"
printf '%-30s p50 %s ms, p95 %s ms\n' "Test page after start" \
  "$(echo "$starts" | field page_p50_ms)" "$(echo "$starts" | field page_p95_ms)"
printf '%-30s %8s/s  p50 %5s ms  p99 %5s ms  errors %s  (%s answers stored)\n' "Autosaves" \
  "$(echo "$saves" | field rps)" "$(echo "$saves" | field p50_ms)" "$(echo "$saves" | field p99_ms)" \
  "$(echo "$saves" | field errors)" "$saved"
printf '%-30s %s bytes gzipped (%s bytes raw, %s)\n' "Test page WASM" \
  "$(gzip -9 -c "$wasm" | wc -c)" "$(stat -c %s "$wasm")" "$(basename "$wasm")"
echo "Targets: saves >= 2000/s with p99 < 50 ms; starts p95 < 500 ms with no errors; WASM <= 100 KB gzipped."
