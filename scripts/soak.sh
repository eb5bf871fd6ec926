#!/usr/bin/env bash
# Soak (a benchmark, not a test): one server process under ARE_SOAK_MINUTES (10) minutes of
# mixed load, all at once: pipeline board views, candidate searches, autosaves of 500
# running test sessions, sign-ins and note writes. Every minute it prints each kind's
# requests per second, p50 and p99, non-2xx/3xx and 5xx answers, socket errors, and the
# server's RSS; at the end a summary against the targets (no 5xx; each kind's p99 within
# 2x of its short benchmark, measured alone in the same run before the soak; RSS at the
# end within 10 % of RSS after minute 1). A benchmark: it prints PASS or MISS per target
# and exits 0 unless it could not run.
#
# Data: `are generate` (Bench Co; ARE_SOAK_CANDIDATES / _REQUISITIONS / _APPLICATIONS,
# 50,000 / 150 / 25,000 by default, half of bench-recruiting.sh's) and
# `are generate-invites --invites 500`, in a fresh database `are_soak` beside
# DATABASE_URL's (or the embedded cluster's).
# The server: ARE_BIN (default target/release/are, built by scripts/build.sh when
# ARE_BIN is not given) with ARE_SITE_ROOT (default target/site), RUST_LOG=warn.
# The load: wrk is closed-loop, so each kind has a few connections that pause before
# every request (ARE_SOAK_<KIND>_CONNECTIONS and ARE_SOAK_<KIND>_DELAY_MS, KIND one of
# BOARD SEARCH SAVE SIGNIN NOTE); see KINDS below for the defaults and the day they make.
source "$(dirname "$0")/common.sh"
cd "$ROOT"
MINUTES="${ARE_SOAK_MINUTES:-10}"
SHORT_SECONDS="${ARE_SOAK_SHORT_SECONDS:-15}"
[[ "$MINUTES" =~ ^[1-9][0-9]*$ ]] || die "ARE_SOAK_MINUTES must be a whole number of minutes (1 or more)"
if [ -z "${ARE_BIN:-}" ]; then
  "$ROOT/scripts/build.sh"
  ARE_BIN="$ROOT/target/release/are"
fi
SITE="${ARE_SITE_ROOT:-$ROOT/target/site}"
[ -x "$ARE_BIN" ] || die "no server binary at $ARE_BIN"
[ -d "$SITE" ] || die "no built site at $SITE (ARE_SITE_ROOT)"
command -v wrk >/dev/null || apt_install wrk
command -v python3 >/dev/null || apt_install python3
command -v curl >/dev/null || apt_install curl
use_database
if command -v psql >/dev/null && command -v pgbench >/dev/null; then
  PSQL=psql PGBENCH=pgbench
else
  ensure_pg_binaries
  PSQL="$PG_BIN/psql" PGBENCH="$PG_BIN/pgbench"
fi
SOAK_DB="$(database_url_named "$DATABASE_URL" are_soak)"
YARDSTICK_DB="$(database_url_named "$DATABASE_URL" are_soak_pgbench)"
drop_and_create_database "$SOAK_DB"
PORT="${ARE_BENCH_PORT:-$(free_port 3925)}"
URL="http://127.0.0.1:$PORT"
OUT="$STATE_DIR/soak"
rm -rf "$OUT" && mkdir -p "$OUT"
export ARE_BENCH_DIR="$ROOT/scripts/bench" ARE_BENCH_PORT="$PORT"
export ARE_BENCH_INVITES="$OUT/invites.txt" ARE_BENCH_BOARDS="$OUT/boards.txt"
export ARE_BENCH_APPLICATIONS="$OUT/applications.txt"
export ARE_SOAK_OUT="$OUT" ARE_SOAK_MINUTES="$MINUTES"

# The kinds: name, script, path, the soak's connections and pause (ms), and the short
# benchmark's connections (unpaced, as bench-recruiting.sh, bench-test.sh and bench.sh
# run them; note writes have no benchmark of their own and run like the recruiting ones).
# The soak's defaults make a busy day for one process: 500 candidates each saving about
# every 2 s (10 x 40 ms, ~240/s), recruiters opening boards (4 x 40 ms, ~95/s), searching
# (2 x 100 ms, ~18/s) and writing notes (1 x 200 ms, ~5/s), and a sign-in about every
# half second (1 x 500 ms, ~2/s): some 360 requests/s, well under what each kind does alone.
KINDS="board search save signin note"
declare -A SCRIPT=([board]=board.lua [search]=search.lua [save]=test-save.lua
  [signin]=signin-staff.lua [note]=note-add.lua)
declare -A TARGET=([board]=/ [search]=/api/candidates/list [save]=/api/test/save
  [signin]=/api/auth/sign_in [note]=/api/notes/add)
declare -A CONNS=([board]=4 [search]=2 [save]=10 [signin]=1 [note]=1)
declare -A DELAY=([board]=40 [search]=100 [save]=40 [signin]=500 [note]=200)
declare -A SHORT_CONNS=([board]=16 [search]=16 [save]=32 [signin]=8 [note]=16)
for kind in $KINDS; do
  upper="${kind^^}"
  c="ARE_SOAK_${upper}_CONNECTIONS" d="ARE_SOAK_${upper}_DELAY_MS"
  CONNS[$kind]="${!c:-${CONNS[$kind]}}"
  DELAY[$kind]="${!d:-${DELAY[$kind]}}"
done
export ARE_SOAK_KINDS="$KINDS"

SERVER="" LOADS=()
cleanup() {
  local pid
  for pid in "${LOADS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${LOADS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "$SERVER" ]; then
    kill -TERM "$SERVER" 2>/dev/null || true
    wait "$SERVER" 2>/dev/null || true
  fi
  "$PSQL" "$(database_url_named "$DATABASE_URL" postgres)" -qc \
    'DROP DATABASE IF EXISTS are_soak_pgbench WITH (FORCE)' >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say "generating Bench Co (${ARE_SOAK_CANDIDATES:-50000} candidates, ${ARE_SOAK_REQUISITIONS:-150} requisitions, ${ARE_SOAK_APPLICATIONS:-25000} applications) and 500 invites"
# (sqlx calls the bulk statements slow; they are meant to be)
DATABASE_URL="$SOAK_DB" RUST_LOG=warn,sqlx::query=error "$ARE_BIN" generate \
  --candidates "${ARE_SOAK_CANDIDATES:-50000}" --requisitions "${ARE_SOAK_REQUISITIONS:-150}" \
  --applications "${ARE_SOAK_APPLICATIONS:-25000}"
DATABASE_URL="$SOAK_DB" RUST_LOG=warn,sqlx::query=error "$ARE_BIN" generate-invites --invites 500 --out "$ARE_BENCH_INVITES"

# The machine's yardstick: PostgreSQL's own select-only benchmark, before and after.
yardstick() { # before|after
  local tps
  tps=$("$PGBENCH" -n -S -c8 -j2 -T10 "$YARDSTICK_DB" 2>/dev/null | awk '/^tps/ {print $3; exit}')
  echo "RESULT tps=${tps:-0}" >"$OUT/pgbench-$1.txt"
  echo "  pgbench -S: ${tps:-failed} tps"
}
say "the machine's yardstick: pgbench -S (10 s, 8 clients)"
drop_and_create_database "$YARDSTICK_DB"
"$PGBENCH" -i -q -s 10 "$YARDSTICK_DB" >/dev/null 2>&1 || die "pgbench -i failed"
yardstick before

LOG="$OUT/server.log"
DATABASE_URL="$SOAK_DB" ARE_LISTEN_ADDR="127.0.0.1:$PORT" ARE_PUBLIC_URL="$URL" \
  ARE_SITE_ROOT="$SITE" ARE_MAIL_DIR="$OUT/mail" ARE_FILES_DIR="$OUT/files" RUST_LOG=warn \
  "$ARE_BIN" serve >"$LOG" 2>&1 &
SERVER=$!
for _ in $(seq 1 150); do
  curl -fs "$URL/readyz" >/dev/null 2>&1 && break
  kill -0 "$SERVER" 2>/dev/null || { tail -20 "$LOG" >&2; die "the server exited (log: $LOG)"; }
  sleep 0.2
done
curl -fs "$URL/readyz" >/dev/null || die "the server did not become ready (log: $LOG)"
STARTED=$SECONDS
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$SERVER/status" 2>/dev/null || echo 0; }
# Beside each RSS: its anonymous part (the heap, stacks) and its file-backed part (the
# binary's pages read so far), the server's threads, and seconds since it started.
memory() { # label
  awk -v label="$1" -v age=$((SECONDS - STARTED)) '
    /^RssAnon:/ {anon = $2} /^RssFile:/ {file = $2} /^Threads:/ {threads = $2}
    END {print label, anon + 0, file + 0, threads + 0, age}' "/proc/$SERVER/status" 2>/dev/null
}
alive() { kill -0 "$SERVER" 2>/dev/null || { tail -20 "$LOG" >&2; die "the server exited (log: $LOG)"; }; }
echo "0 $(rss_kb)" >"$OUT/rss.txt"
memory 0 >"$OUT/memory.txt"

# A recruiter's session for boards, searches and notes; the 20 busiest requisitions'
# boards, and 2,000 of their applications for the notes.
cookie=$(curl -fs -o /dev/null -D - -X POST "$URL/api/auth/sign_in" \
  -H 'Accept: application/json' -H 'Sec-Fetch-Site: same-origin' \
  --data 'email=recruiter%40bench.example&password=bench-password' \
  | grep -i '^set-cookie: are_session=' | sed 's/^[^:]*: //; s/;.*//' | tr -d '\r')
[ -n "$cookie" ] || die "the bench recruiter could not sign in"
export ARE_BENCH_COOKIE="$cookie"
"$PSQL" "$SOAK_DB" -Atc "SELECT requisition_id FROM applications GROUP BY requisition_id
  ORDER BY count(*) DESC, requisition_id LIMIT 20" >"$ARE_BENCH_BOARDS"
"$PSQL" "$SOAK_DB" -Atc "SELECT id FROM applications WHERE requisition_id IN
  (SELECT requisition_id FROM applications GROUP BY requisition_id
   ORDER BY count(*) DESC, requisition_id LIMIT 20) ORDER BY md5(id::text) LIMIT 2000" >"$ARE_BENCH_APPLICATIONS"
cards=$("$PSQL" "$SOAK_DB" -Atc "SELECT round(avg(n)) FROM (SELECT count(*) AS n FROM applications
  GROUP BY requisition_id ORDER BY count(*) DESC LIMIT 20) t")
curl -fs -o /dev/null -H "Cookie: $cookie" "$URL/requisitions/$(head -n 1 "$ARE_BENCH_BOARDS")/pipeline" \
  || die "the board did not load"

say "starting the 500 test sessions (each once, over 10 s)"
starts=$(ARE_BENCH_START_WINDOW=10 python3 scripts/bench/test-starts.py | grep '^RESULT' || true)
echo "  $starts"
case "$starts" in *" errors=0 "*) ;; *) die "not every test session started" ;; esac

# A sign-in reserves an attempt before the password check and releases it on success; one
# cut short (wrk stops mid-request at the end of every run) stays pending and, a minute on,
# counts as a failure, whose growing delay would slow every later sign-in from this address. Those
# are the harness's, not users': after every run they are removed, and counted.
clear_abandoned() {
  local n
  n=$("$PSQL" "$SOAK_DB" -Atc "WITH d AS (DELETE FROM sign_in_failures WHERE pending RETURNING 1)
    SELECT count(*) FROM d")
  echo "$1 ${n:-0}" >>"$OUT/abandoned.txt"
}
: >"$OUT/abandoned.txt"

# Autosaves' sequence numbers: each wrk run's start above the last one's, so every save writes.
RUNS=0
next_run() { RUNS=$((RUNS + 1)); export ARE_BENCH_SEQ_BASE=$((RUNS * 100000000)); }

say "short benchmarks: each kind alone, unpaced, ${SHORT_SECONDS}s (their benchmarks' connections)"
for kind in $KINDS; do
  alive
  next_run
  ARE_BENCH_THREADS=2 wrk -t2 -c"${SHORT_CONNS[$kind]}" -d"${SHORT_SECONDS}s" \
    -s "scripts/bench/${SCRIPT[$kind]}" "$URL${TARGET[$kind]}" >"$OUT/short-$kind.txt" 2>&1 || true
  printf '  %-8s %s\n' "$kind" "$(grep '^RESULT' "$OUT/short-$kind.txt" || echo "failed: $OUT/short-$kind.txt")"
  clear_abandoned "short-$kind"
done
say "each kind alone at the soak's pacing, ${SHORT_SECONDS}s"
for kind in $KINDS; do
  alive
  next_run
  ARE_BENCH_THREADS=1 ARE_SOAK_SCRIPT="${SCRIPT[$kind]}" ARE_SOAK_DELAY_MS="${DELAY[$kind]}" \
    wrk -t1 -c"${CONNS[$kind]}" -d"${SHORT_SECONDS}s" --timeout 10s -s scripts/bench/soak.lua "$URL${TARGET[$kind]}" \
    >"$OUT/alone-$kind.txt" 2>&1 || true
  printf '  %-8s %s\n' "$kind" "$(grep '^RESULT' "$OUT/alone-$kind.txt" || echo "failed: $OUT/alone-$kind.txt")"
  clear_abandoned "alone-$kind"
done
echo "-1 $(rss_kb)" >>"$OUT/rss.txt"
memory -1 >>"$OUT/memory.txt"

say "soak: ${MINUTES} minute(s) of all five kinds at once (boards: the 20 busiest, ${cards} cards on average)"
for kind in $KINDS; do
  printf '  %-8s %2s connections, %4s ms pause before each request\n' "$kind" "${CONNS[$kind]}" "${DELAY[$kind]}"
done
printf '%6s  %-8s %8s %8s %8s %11s %5s %14s\n' minute kind 'req/s' 'p50 ms' 'p99 ms' 'non-2xx/3xx' 5xx 'sock+timeouts'
for minute in $(seq 1 "$MINUTES"); do
  alive
  next_run
  LOADS=()
  for kind in $KINDS; do
    ARE_BENCH_THREADS=1 ARE_SOAK_SCRIPT="${SCRIPT[$kind]}" ARE_SOAK_DELAY_MS="${DELAY[$kind]}" \
      ARE_SOAK_QUANTILES="$OUT/m$minute-$kind.q" \
      wrk -t1 -c"${CONNS[$kind]}" -d60s --timeout 10s -s scripts/bench/soak.lua "$URL${TARGET[$kind]}" \
      >"$OUT/m$minute-$kind.txt" 2>&1 &
    LOADS+=($!)
  done
  for pid in "${LOADS[@]}"; do wait "$pid" || true; done
  LOADS=()
  alive
  echo "$minute $(rss_kb)" >>"$OUT/rss.txt"
  memory "$minute" >>"$OUT/memory.txt"
  clear_abandoned "minute-$minute"
  python3 scripts/bench/soak-report.py minute "$minute"
done

say "the machine's yardstick again"
yardstick after
saved=$("$PSQL" "$SOAK_DB" -Atc "SELECT count(*) FROM answers")
notes=$("$PSQL" "$SOAK_DB" -Atc "SELECT count(*) FROM application_notes")
sessions=$("$PSQL" "$SOAK_DB" -Atc "SELECT count(*) FROM staff_sessions")
python3 scripts/bench/soak-report.py summary
echo "Database afterwards: $saved answers, $notes notes, $sessions staff sessions. Server log: $LOG ($(grep -c . "$LOG" || true) lines)"
