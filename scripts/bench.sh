#!/usr/bin/env bash
# Sign-in benchmark (not a test): the release server on this machine, loaded by wrk.
# Prints sign-ins per second with p50/p95, a cheap page's p99 alone and while
# sign-ins run in parallel, and the WASM sizes. Uses DATABASE_URL or the embedded DB.
source "$(dirname "$0")/common.sh"
cd "$ROOT"
"$ROOT/scripts/build.sh"
command -v wrk >/dev/null || apt_install wrk
use_database
BENCH_DB="$(database_url_named "$DATABASE_URL" are_bench)"
drop_and_create_database "$BENCH_DB"
PORT="${ARE_BENCH_PORT:-$(free_port 3918)}"
URL="http://127.0.0.1:$PORT"
SECONDS_EACH="${ARE_BENCH_SECONDS:-15}"
export ARE_BENCH_DIR="$ROOT/scripts/bench"
LOG="$STATE_DIR/bench-server.log"
DATABASE_URL="$BENCH_DB" ARE_LISTEN_ADDR="127.0.0.1:$PORT" ARE_PUBLIC_URL="$URL" ARE_DEMO_DATA=true \
  ARE_SITE_ROOT="$ROOT/target/site" ARE_MAIL_DIR="$STATE_DIR/bench-mail" RUST_LOG=warn \
  "$ROOT/target/release/are" >"$LOG" 2>&1 &
SERVER=$!
trap 'kill -TERM $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fs "$URL/readyz" >/dev/null 2>&1 && break; sleep 0.2; done

result() { grep '^RESULT' | sed 's/^RESULT //'; }
field() { tr ' ' '\n' | grep "^$1=" | cut -d= -f2; }

say "sign-ins alone (${SECONDS_EACH}s, 8 connections)"
signin=$(wrk -t2 -c8 -d"${SECONDS_EACH}s" -s scripts/bench/signin.lua "$URL/api/auth/sign_in" | result)
echo "  $signin"
say "the sign-in page alone (${SECONDS_EACH}s, 8 connections)"
page=$(wrk -t1 -c8 -d"${SECONDS_EACH}s" -s scripts/bench/page.lua "$URL/login" | result)
echo "  $page"
say "the page while sign-ins run in parallel"
wrk -t1 -c8 -d"$((SECONDS_EACH + 4))s" -s scripts/bench/signin.lua "$URL/api/auth/sign_in" >"$STATE_DIR/bench-parallel-signin.txt" &
LOAD=$!
sleep 2
loaded=$(wrk -t1 -c8 -d"${SECONDS_EACH}s" -s scripts/bench/page.lua "$URL/login" | result)
wait $LOAD
parallel_signin=$(result <"$STATE_DIR/bench-parallel-signin.txt")
echo "  page:     $loaded"
echo "  sign-ins: $parallel_signin"

echo
echo "Sign-ins:             $(echo "$signin" | field rps)/s, p50 $(echo "$signin" | field p50_ms) ms, p95 $(echo "$signin" | field p95_ms) ms, errors $(echo "$signin" | field errors)"
echo "Page alone:           $(echo "$page" | field rps)/s, p99 $(echo "$page" | field p99_ms) ms"
echo "Page under sign-ins:  $(echo "$loaded" | field rps)/s, p99 $(echo "$loaded" | field p99_ms) ms (sign-ins meanwhile: $(echo "$parallel_signin" | field rps)/s)"
