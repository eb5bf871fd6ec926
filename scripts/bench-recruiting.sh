#!/usr/bin/env bash
# Recruiting benchmark (not a test): the release server against the generated
# organization Bench Co (100,000 candidates, 300 requisitions, 50,000 applications;
# ARE_BENCH_CANDIDATES / _REQUISITIONS / _APPLICATIONS change that). Prints requests
# per second with p50/p99 for the pipeline board and a page of 50 candidates, and the
# latency of candidate search. Uses DATABASE_URL or the embedded DB.
source "$(dirname "$0")/common.sh"
cd "$ROOT"
"$ROOT/scripts/build.sh"
command -v wrk >/dev/null || apt_install wrk
use_database
BENCH_DB="$(database_url_named "$DATABASE_URL" are_bench_recruiting)"
drop_and_create_database "$BENCH_DB"
PORT="${ARE_BENCH_PORT:-$(free_port 3919)}"
URL="http://127.0.0.1:$PORT"
SECONDS_EACH="${ARE_BENCH_SECONDS:-15}"
CONNECTIONS="${ARE_BENCH_CONNECTIONS:-16}"
export ARE_BENCH_DIR="$ROOT/scripts/bench"

say "generating Bench Co"
DATABASE_URL="$BENCH_DB" RUST_LOG=info "$ROOT/target/release/are" generate \
  --candidates "${ARE_BENCH_CANDIDATES:-100000}" --requisitions "${ARE_BENCH_REQUISITIONS:-300}" \
  --applications "${ARE_BENCH_APPLICATIONS:-50000}"

LOG="$STATE_DIR/bench-recruiting-server.log"
DATABASE_URL="$BENCH_DB" ARE_LISTEN_ADDR="127.0.0.1:$PORT" ARE_PUBLIC_URL="$URL" \
  ARE_SITE_ROOT="$ROOT/target/site" ARE_MAIL_DIR="$STATE_DIR/bench-mail" RUST_LOG=warn \
  "$ROOT/target/release/are" >"$LOG" 2>&1 &
SERVER=$!
trap 'kill -TERM $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fs "$URL/readyz" >/dev/null 2>&1 && break; sleep 0.2; done

# A recruiter's session, and the requisition with the most applications.
cookie=$(curl -fs -o /dev/null -D - -X POST "$URL/api/auth/sign_in" \
  -H 'Accept: application/json' -H 'Sec-Fetch-Site: same-origin' \
  --data 'email=recruiter%40bench.example&password=bench-password' \
  | grep -i '^set-cookie: are_session=' | sed 's/^[^:]*: //; s/;.*//' | tr -d '\r')
[ -n "$cookie" ] || die "the bench recruiter could not sign in"
export ARE_BENCH_COOKIE="$cookie"
requisition=$(psql "$BENCH_DB" -Atc "SELECT requisition_id FROM applications
  GROUP BY requisition_id ORDER BY count(*) DESC LIMIT 1")
cards=$(psql "$BENCH_DB" -Atc "SELECT count(*) FROM applications WHERE requisition_id = '$requisition'")

result() { grep '^RESULT' | sed 's/^RESULT //'; }
field() { tr ' ' '\n' | grep "^$1=" | cut -d= -f2; }
measure() { # title, script, url
  say "$1 (${SECONDS_EACH}s, $CONNECTIONS connections)" >&2
  wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_EACH}s" -s "scripts/bench/$2" "$3" | result
}
summary() { # label, result line
  printf '%-34s %8s/s  p50 %5s ms  p95 %5s ms  p99 %5s ms  errors %s\n' "$1" \
    "$(echo "$2" | field rps)" "$(echo "$2" | field p50_ms)" "$(echo "$2" | field p95_ms)" \
    "$(echo "$2" | field p99_ms)" "$(echo "$2" | field errors)"
}
curl -fs -o /dev/null -H "Cookie: $cookie" "$URL/requisitions/$requisition/pipeline" \
  || die "the board did not load"
board=$(measure "pipeline board page" signed-in.lua "$URL/requisitions/$requisition/pipeline")
list=$(measure "candidate list page" signed-in.lua "$URL/candidates")
search=$(measure "candidate search" search.lua "$URL/api/candidates/list")

echo
summary "Pipeline board page ($cards cards)" "$board"
summary "Candidate list page (50 rows)" "$list"
summary "Candidate search (server fn)" "$search"
echo "Targets: board >= 2000/s with p99 < 50 ms; search p95 < 50 ms."
