#!/usr/bin/env bash
# Several app servers (issue 15, item 5): two `are serve` processes on loopback share one
# fresh PostgreSQL database, one mail folder and one files folder, behind Debian's HAProxy
# (round robin, health checks on /readyz, a failed request sent again to the other). The
# checks (end2end/processes/two-servers.test.js) sign in on one and act on the other,
# count every job and deadline closing, and kill one process with SIGKILL during
# autosaves. A test with assertions, not a benchmark.
#
# The server binary is ARE_BIN (default target/release/are, which scripts/test.sh has
# built by then); pages render on the server, so a debug binary works too.
source "$(dirname "$0")/common.sh"
cd "$ROOT"
command -v haproxy >/dev/null || [ -x /usr/sbin/haproxy ] || apt_install haproxy
HAPROXY="$(command -v haproxy || echo /usr/sbin/haproxy)"
command -v node >/dev/null || apt_install nodejs npm
command -v curl >/dev/null || apt_install curl
psql="psql"
command -v psql >/dev/null || psql="$(pg_bindir)/psql"
use_database
ARE_BIN="${ARE_BIN:-$ROOT/target/release/are}"
[ -x "$ARE_BIN" ] || die "no server binary at $ARE_BIN (build one: ./scripts/build.sh)"

DB="$(database_url_named "$DATABASE_URL" "${ARE_TWO_DB_NAME:-are_two_servers}")"
drop_and_create_database "$DB"
DIR="$STATE_DIR/two-servers"
rm -rf "$DIR" && mkdir -p "$DIR/mail" "$DIR/files"
PORT_A="$(free_port "${ARE_TWO_PORT:-3931}")"
PORT_B="$(free_port $((PORT_A + 1)))"
PORT_LB="$(free_port $((PORT_B + 1)))"
LB_URL="http://127.0.0.1:$PORT_LB"

# Each process names itself to PostgreSQL, so the checks can tell whose work a row is.
named() { case "$DB" in *\?*) echo "$DB&application_name=$1" ;; *) echo "$DB?application_name=$1" ;; esac; }

PIDS=()
stop_all() {
  local pid
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  # A gentle stop finishes requests and jobs in flight; one that hangs is killed.
  for _ in $(seq 1 75); do
    pid=""
    for p in "${PIDS[@]}"; do kill -0 "$p" 2>/dev/null && pid="$p"; done
    [ -z "$pid" ] && break
    sleep 0.2
  done
  for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop_all EXIT

# Both get the same configuration but their address and name: the public URL is the load
# balancer's, which appends the client's address to X-Forwarded-For; the mail and files
# folders are shared; two job workers each. Each runs in a subshell of its own, so the
# SIGKILL the checks send is not reported here as a failure.
start_server() { # name port demo-data
  rm -f "$DIR/$1.pid"
  ( DATABASE_URL="$(named "are-$1")" ARE_LISTEN_ADDR="127.0.0.1:$2" ARE_PUBLIC_URL="$LB_URL" \
      ARE_TRUST_PROXY=true ARE_MAIL_DIR="$DIR/mail" ARE_FILES_DIR="$DIR/files" \
      ARE_JOB_WORKERS=2 ARE_DEMO_DATA="$3" \
      ARE_SITE_ROOT="${ARE_SITE_ROOT:-$ROOT/target/site}" RUST_LOG="${RUST_LOG:-info}" \
      "$ARE_BIN" serve >"$DIR/server-$1.log" 2>&1 &
    echo $! >"$DIR/$1.pid"
    wait $! ) 2>/dev/null &
  for _ in $(seq 1 200); do [ -s "$DIR/$1.pid" ] && break; sleep 0.05; done
  [ -s "$DIR/$1.pid" ] || die "server $1 did not start (log: $DIR/server-$1.log)"
  LAST_PID="$(cat "$DIR/$1.pid")"
  PIDS+=("$LAST_PID")
}
wait_ready() { # url pid log
  for _ in $(seq 1 150); do
    curl -fs "$1/readyz" >/dev/null 2>&1 && return 0
    kill -0 "$2" 2>/dev/null || { tail -20 "$3" >&2; die "the server at $1 did not start (log: $3)"; }
    sleep 0.2
  done
  die "the server at $1 was not ready in 30 s (log: $3)"
}

say "server a on :$PORT_A (migrates, loads the demo organization)"
start_server a "$PORT_A" true
PID_A=$LAST_PID
wait_ready "http://127.0.0.1:$PORT_A" "$PID_A" "$DIR/server-a.log"

# The test's own bookkeeping, in its own database: which process claimed each job, sent
# each email and closed each test session (its PostgreSQL application_name).
"$psql" "$DB" -q -v ON_ERROR_STOP=1 <<'SQL'
CREATE TABLE two_servers_log (what text NOT NULL, id text NOT NULL, process text NOT NULL,
                              at timestamptz NOT NULL DEFAULT clock_timestamp());
CREATE FUNCTION two_servers_note() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO two_servers_log (what, id, process)
  VALUES (TG_ARGV[0], NEW.id::text, current_setting('application_name'));
  RETURN NULL;
END $$;
CREATE TRIGGER two_servers_job_claimed AFTER UPDATE OF status ON jobs FOR EACH ROW
  WHEN (OLD.status = 'queued' AND NEW.status = 'running') EXECUTE FUNCTION two_servers_note('job claimed');
CREATE TRIGGER two_servers_email_sent AFTER UPDATE OF status ON emails FOR EACH ROW
  WHEN (OLD.status = 'queued' AND NEW.status = 'sent') EXECUTE FUNCTION two_servers_note('email sent');
CREATE TRIGGER two_servers_session_closed AFTER UPDATE OF status ON test_sessions FOR EACH ROW
  WHEN (OLD.status = 'in_progress' AND NEW.status <> 'in_progress')
  EXECUTE FUNCTION two_servers_note('session closed');
SQL

say "test links (are generate-invites)"
DATABASE_URL="$DB" RUST_LOG=warn "$ARE_BIN" generate-invites --invites 40 --out "$DIR/invites.txt" >/dev/null

say "server b on :$PORT_B"
start_server b "$PORT_B" false
PID_B=$LAST_PID
wait_ready "http://127.0.0.1:$PORT_B" "$PID_B" "$DIR/server-b.log"

say "HAProxy on :$PORT_LB (round robin over a and b)"
cat >"$DIR/haproxy.cfg" <<EOF
global
  maxconn 2000
  log stdout format raw local0

defaults
  mode http
  log global
  option httplog
  timeout connect 1s
  timeout client 30s
  timeout server 30s
  # A request that could not reach its server goes to the other. Not one that got no
  # answer: it may have been done before its process died (a candidate's page sends a
  # failed save again itself, as the checks do).
  retries 3
  option redispatch 1
  retry-on conn-failure

frontend are
  bind 127.0.0.1:$PORT_LB
  default_backend servers

backend servers
  balance roundrobin
  option forwardfor
  option httpchk GET /readyz
  http-check expect status 200
  http-response set-header X-Served-By %s
  # A refused connection fails a check at once; /readyz may take 3 s to tell a busy pool.
  timeout check 4s
  server a 127.0.0.1:$PORT_A check inter 500ms fall 3 rise 1
  server b 127.0.0.1:$PORT_B check inter 500ms fall 3 rise 1
EOF
"$HAPROXY" -c -q -f "$DIR/haproxy.cfg" || die "HAProxy refuses its configuration ($DIR/haproxy.cfg)"
"$HAPROXY" -db -f "$DIR/haproxy.cfg" >"$DIR/haproxy.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 50); do curl -fs "$LB_URL/readyz" >/dev/null 2>&1 && break; sleep 0.1; done

say "checks through HAProxy and each process"
ARE_TWO_A="http://127.0.0.1:$PORT_A" ARE_TWO_B="http://127.0.0.1:$PORT_B" ARE_TWO_LB="$LB_URL" \
  ARE_TWO_PID_A="$PID_A" ARE_TWO_DB="$DB" ARE_TWO_PSQL="$psql" ARE_TWO_MAIL="$DIR/mail" \
  ARE_TWO_INVITES="$DIR/invites.txt" \
  node --test --test-reporter=spec end2end/processes/two-servers.test.js \
  || { tail -n 15 "$DIR/server-a.log" "$DIR/server-b.log" >&2
       die "the two-server checks failed (logs in $DIR)"; }
# HAProxy's log marks a request it sent again to another server with "+" before its retries.
say "HAProxy sent $(grep -Ec ' [0-9]+/[0-9]+/[0-9]+/[0-9]+/\+[0-9]+ ' "$DIR/haproxy.log" || true) request(s) that a could not answer to b"
if grep -Eq '/(test|invite|unlock|reset|signup)/[A-Za-z0-9_-]{40,}' "$DIR"/server-*.log "$DIR/haproxy.log"; then
  die "a link secret reached a server's log ($DIR)"
fi
say "two servers: all checks passed"
