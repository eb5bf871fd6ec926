#!/usr/bin/env bash
# Documents benchmark (not a test): extraction throughput over 1,000 generated résumés of
# 1-3 pages (PDF and DOCX) beside poppler's pdftotext and unzip on the same files; the
# careers page's requests per second with p99 beside its bare query under pgbench; and
# applications per second with a 200 KB résumé beside pgbench's write transaction
# (simple-update). Uses DATABASE_URL or the embedded DB.
source "$(dirname "$0")/common.sh"
cd "$ROOT"
"$ROOT/scripts/build.sh"
command -v wrk >/dev/null || apt_install wrk
command -v bc >/dev/null || apt_install bc
command -v unzip >/dev/null || apt_install unzip
ensure_document_tools
use_database
command -v psql >/dev/null && PSQL=psql || PSQL="$(pg_bindir)/psql"
command -v pgbench >/dev/null && PGBENCH=pgbench || PGBENCH="$(pg_bindir)/pgbench"
BENCH_DB="$(database_url_named "$DATABASE_URL" are_bench_documents)"
YARDSTICK_DB="$(database_url_named "$DATABASE_URL" are_bench_documents_pgbench)"
drop_and_create_database "$BENCH_DB"
drop_and_create_database "$YARDSTICK_DB"
PORT="${ARE_BENCH_PORT:-$(free_port 3921)}"
URL="http://127.0.0.1:$PORT"
SECONDS_EACH="${ARE_BENCH_SECONDS:-15}"
export ARE_BENCH_DIR="$ROOT/scripts/bench"
result() { grep '^RESULT' | sed 's/^RESULT //'; }
field() { tr ' ' '\n' | grep "^$1=" | cut -d= -f2; }

say "extraction: ${ARE_BENCH_DOCUMENTS:-1000} generated résumés"
extraction=$(DATABASE_URL="$BENCH_DB" "$ROOT/target/release/are" bench-extraction \
  --count "${ARE_BENCH_DOCUMENTS:-1000}")

say "generating Bench Co and posting 40 of its open requisitions"
DATABASE_URL="$BENCH_DB" RUST_LOG=warn "$ROOT/target/release/are" generate \
  --candidates 20000 --requisitions 300 --applications 10000
"$PSQL" "$BENCH_DB" -qc "UPDATE job_requisitions SET posted = true, posted_at = now(),
    description_md = '## The job' || chr(10) || chr(10) || 'Build **reliable** services with a small team.'
  WHERE id IN (SELECT id FROM job_requisitions WHERE status = 'open' ORDER BY id LIMIT 40)"
org=$("$PSQL" "$BENCH_DB" -Atc "SELECT id FROM organizations WHERE slug = 'bench'")
job=$("$PSQL" "$BENCH_DB" -Atc "SELECT id FROM job_requisitions WHERE posted ORDER BY id LIMIT 1")
posted=$("$PSQL" "$BENCH_DB" -Atc "SELECT count(*) FROM job_requisitions WHERE posted AND status = 'open'")

LOG="$STATE_DIR/bench-documents-server.log"
DATABASE_URL="$BENCH_DB" ARE_LISTEN_ADDR="127.0.0.1:$PORT" ARE_PUBLIC_URL="$URL" ARE_TRUST_PROXY=true \
  ARE_SITE_ROOT="$ROOT/target/site" ARE_MAIL_DIR="$STATE_DIR/bench-mail" \
  ARE_FILES_DIR="$STATE_DIR/bench-documents-files" RUST_LOG=warn \
  "$ROOT/target/release/are" >"$LOG" 2>&1 &
SERVER=$!
trap 'kill -TERM $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fs "$URL/readyz" >/dev/null 2>&1 && break; sleep 0.2; done
curl -fs -o /dev/null "$URL/careers/bench" || die "the careers page did not load"

say "careers page (${SECONDS_EACH}s, 16 connections)"
board=$(wrk -t2 -c16 -d"${SECONDS_EACH}s" -s scripts/bench/page.lua "$URL/careers/bench" | result)
say "ceiling: its query under pgbench (16 clients)"
sed "s/ORG_ID/$org/" scripts/bench/careers-board.sql >"$STATE_DIR/careers-board.sql"
board_ceiling=$("$PGBENCH" -n -c16 -j2 -T"$SECONDS_EACH" -f "$STATE_DIR/careers-board.sql" "$BENCH_DB" 2>/dev/null \
  | awk '/^tps/ {print $3}')

"$ROOT/target/release/are" sample-resume --seed 7 --format pdf --min-bytes 204800 \
  >"$STATE_DIR/bench-resume.pdf"
export ARE_BENCH_RESUME="$STATE_DIR/bench-resume.pdf"
say "applications with a 200 KB résumé (${SECONDS_EACH}s, 8 connections)"
applied=$(wrk -t2 -c8 -d"${SECONDS_EACH}s" -s scripts/bench/careers-apply.lua \
  "$URL/careers/bench/jobs/$job/apply" | result)
stored=$("$PSQL" "$BENCH_DB" -Atc "SELECT count(*) FROM career_submissions")
say "ceiling: pgbench's write transaction (simple-update, 8 clients)"
"$PGBENCH" -i -q -s 10 "$YARDSTICK_DB" >/dev/null 2>&1 || die "pgbench -i failed"
write_ceiling=$("$PGBENCH" -n -N -c8 -j2 -T"$SECONDS_EACH" "$YARDSTICK_DB" 2>/dev/null | awk '/^tps/ {print $3}')

echo
echo "$extraction"
line() { # label, result, ceiling label, ceiling
  printf '%-40s %8s/s  p50 %6s ms  p95 %6s ms  p99 %6s ms  errors %s\n' "$1" \
    "$(echo "$2" | field rps)" "$(echo "$2" | field p50_ms)" "$(echo "$2" | field p95_ms)" \
    "$(echo "$2" | field p99_ms)" "$(echo "$2" | field errors)"
  printf '%-40s %8.0f/s  (the app reaches %s%% of it)\n' "$3" "$4" \
    "$(echo "scale=1; 100 * $(echo "$2" | field rps) / $4" | bc)"
}
line "Careers page ($posted jobs)" "$board" "Ceiling: its query (pgbench)" "$board_ceiling"
line "Applications, 200 KB résumé" "$applied" "Ceiling: write transaction (pgbench -N)" "$write_ceiling"
echo "($stored applications stored)"
