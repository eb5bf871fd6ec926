#!/usr/bin/env bash
# Proctoring benchmark (not a test): the release server against `are generate-invites`
# (ARE_BENCH_INVITES_COUNT started sessions, 500 by default). Prints proctoring events
# ingested per second (batches of 20) with p50/p99 while autosaves run at the same time,
# the autosaves' own figures beside them, snapshot uploads (50 KB) per second with p99,
# and, as the machine's ceiling for the same shape of work in the same run, the batch's
# bare INSERT under pgbench. Uses DATABASE_URL or the embedded DB.
source "$(dirname "$0")/common.sh"
cd "$ROOT"
"$ROOT/scripts/build.sh"
command -v wrk >/dev/null || apt_install wrk
command -v python3 >/dev/null || apt_install python3
command -v bc >/dev/null || apt_install bc
use_database
BENCH_DB="$(database_url_named "$DATABASE_URL" are_bench_proctoring)"
drop_and_create_database "$BENCH_DB"
PORT="${ARE_BENCH_PORT:-$(free_port 3923)}"
URL="http://127.0.0.1:$PORT"
SECONDS_EACH="${ARE_BENCH_SECONDS:-15}"
export ARE_BENCH_DIR="$ROOT/scripts/bench" ARE_BENCH_PORT="$PORT" ARE_BENCH_THREADS=1
export ARE_BENCH_INVITES="$STATE_DIR/bench-proctoring-invites.txt" ARE_BENCH_START_WINDOW=10
FILES="$STATE_DIR/bench-files"
rm -rf "$FILES"

say "generating ${ARE_BENCH_INVITES_COUNT:-500} invites"
DATABASE_URL="$BENCH_DB" RUST_LOG=info "$ROOT/target/release/are" generate-invites \
  --invites "${ARE_BENCH_INVITES_COUNT:-500}" --out "$ARE_BENCH_INVITES"

LOG="$STATE_DIR/bench-proctoring-server.log"
DATABASE_URL="$BENCH_DB" ARE_LISTEN_ADDR="127.0.0.1:$PORT" ARE_PUBLIC_URL="$URL" \
  ARE_SITE_ROOT="$ROOT/target/site" ARE_MAIL_DIR="$STATE_DIR/bench-mail" ARE_FILES_DIR="$FILES" \
  RUST_LOG=warn "$ROOT/target/release/are" >"$LOG" 2>&1 &
SERVER=$!
trap 'kill -TERM $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fs "$URL/readyz" >/dev/null 2>&1 && break; sleep 0.2; done

field() { tr ' ' '\n' | grep "^$1=" | cut -d= -f2; }
say "starting every session"
python3 scripts/bench/test-starts.py | grep '^RESULT' >/dev/null

say "events and autosaves at once (${SECONDS_EACH}s each, 16 + 16 connections)"
wrk -t1 -c16 -d"${SECONDS_EACH}s" -s scripts/bench/test-save.lua "$URL/api/test/save" \
  | grep '^RESULT' >"$STATE_DIR/bench-saves.txt" &
SAVES=$!
events=$(wrk -t1 -c16 -d"${SECONDS_EACH}s" -s scripts/bench/test-events.lua "$URL/api/test/events" | grep '^RESULT')
wait "$SAVES"
saves=$(cat "$STATE_DIR/bench-saves.txt")
stored=$(psql "$BENCH_DB" -Atc "SELECT count(*) FROM proctoring_events")

# The same with the events paced near their target (16 connections, a pause of
# ARE_BENCH_EVENTS_DELAY_MS before each batch): do autosaves keep theirs beside them?
PACE="${ARE_BENCH_EVENTS_DELAY_MS:-18}"
say "events paced (${PACE} ms between a connection's batches) and autosaves at once (${SECONDS_EACH}s)"
wrk -t1 -c16 -d"${SECONDS_EACH}s" -s scripts/bench/test-save.lua "$URL/api/test/save" \
  | grep '^RESULT' >"$STATE_DIR/bench-saves.txt" &
SAVES=$!
paced=$(ARE_BENCH_EVENTS_DELAY_MS="$PACE" wrk -t1 -c16 -d"${SECONDS_EACH}s" -s scripts/bench/test-events.lua "$URL/api/test/events" | grep '^RESULT')
wait "$SAVES"
paced_saves=$(cat "$STATE_DIR/bench-saves.txt")

say "snapshot uploads (${SECONDS_EACH}s, 8 connections)"
snapshots=$(wrk -t1 -c8 -d"${SECONDS_EACH}s" -s scripts/bench/test-snapshot.lua "$URL/api/test/snapshot" | grep '^RESULT')
files=$(psql "$BENCH_DB" -Atc "SELECT count(*) FROM files")

say "ceiling: the batch's INSERT under pgbench (16 clients)"
command -v pgbench >/dev/null && PGBENCH=pgbench || PGBENCH="$(pg_bindir)/pgbench"
ceiling=$("$PGBENCH" -n -c16 -j2 -T"$SECONDS_EACH" -f scripts/bench/events-insert.sql "$BENCH_DB" 2>/dev/null \
  | awk '/^tps/ {print $3}')
latency=$("$PGBENCH" -n -c16 -j2 -T5 -f scripts/bench/events-insert.sql "$BENCH_DB" 2>/dev/null \
  | awk '/latency average/ {print $4}')

rps=$(echo "$events" | field rps)
echo
printf '%-34s %8.0f events/s (%s batches/s)  p50 %5s ms  p99 %5s ms  errors %s  (%s events stored)\n' \
  "Events (batches of 20)" "$(echo "$rps * 20" | bc)" "$rps" "$(echo "$events" | field p50_ms)" \
  "$(echo "$events" | field p99_ms)" "$(echo "$events" | field errors)" "$stored"
printf '%-34s %8s/s  p50 %5s ms  p99 %5s ms  errors %s\n' "Autosaves at the same time" \
  "$(echo "$saves" | field rps)" "$(echo "$saves" | field p50_ms)" "$(echo "$saves" | field p99_ms)" \
  "$(echo "$saves" | field errors)"
printf '%-34s %8.0f events/s (%s batches/s)  p50 %5s ms  p99 %5s ms  errors %s\n' \
  "Events paced near their target" "$(echo "$(echo "$paced" | field rps) * 20" | bc)" "$(echo "$paced" | field rps)" \
  "$(echo "$paced" | field p50_ms)" "$(echo "$paced" | field p99_ms)" "$(echo "$paced" | field errors)"
printf '%-34s %8s/s  p50 %5s ms  p99 %5s ms  errors %s\n' "Autosaves beside the paced events" \
  "$(echo "$paced_saves" | field rps)" "$(echo "$paced_saves" | field p50_ms)" "$(echo "$paced_saves" | field p99_ms)" \
  "$(echo "$paced_saves" | field errors)"
printf '%-34s %8s/s  p50 %5s ms  p99 %5s ms  errors %s  (%s files stored)\n' "Snapshot uploads (50 KB)" \
  "$(echo "$snapshots" | field rps)" "$(echo "$snapshots" | field p50_ms)" "$(echo "$snapshots" | field p99_ms)" \
  "$(echo "$snapshots" | field errors)" "$files"
printf '%-34s %8.0f events/s (%s batches/s, %s ms average): the app reaches %s%% of it\n' \
  "Ceiling: the bare INSERT (pgbench)" "$(echo "$ceiling * 20" | bc)" "$ceiling" "$latency" \
  "$(echo "scale=0; 100 * $rps / $ceiling" | bc)"
echo "Targets: events >= 10000/s with p99 < 50 ms while autosaves stay >= 2000/s with p99 < 50 ms."
