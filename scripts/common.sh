# Shared by the project's scripts: tool installation and the embedded PostgreSQL.
# Sourced, not run. Every install is from a package registry, at a pinned version.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE_DIR="$ROOT/.are"
CARGO_LEPTOS_VERSION="0.3.5"
WASM_BINDGEN_VERSION="0.2.130"   # must equal the wasm-bindgen pin in Cargo.toml
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    die "need root to run: $* (install it yourself, then run again)"; fi
}

apt_install() {
  command -v apt-get >/dev/null || die "please install: $* (no apt-get on this machine)"
  say "installing $* (apt)"
  if [ ! -f "$STATE_DIR/.apt-updated" ]; then
    as_root apt-get update -qq
    mkdir -p "$STATE_DIR" && touch "$STATE_DIR/.apt-updated"
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_rust_tools() {
  command -v cargo >/dev/null || die "Rust is not installed: see https://rustup.rs"
  # rust-toolchain.toml pins the toolchain, its components and the wasm target. Newer
  # rustup no longer installs them on `rustup show`, so ask for each explicitly
  # (a no-op when present).
  (cd "$ROOT" && rustup toolchain install >/dev/null 2>&1 || true)
  (cd "$ROOT" && rustup component add rustfmt clippy >/dev/null \
    && rustup target add wasm32-unknown-unknown >/dev/null) \
    || die "could not install the Rust components (rustfmt, clippy, wasm32 target)"
  if [ "$(cargo leptos --version 2>/dev/null | awk '{print $2}')" != "$CARGO_LEPTOS_VERSION" ]; then
    say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 15 minutes, once)"
    cargo install "cargo-leptos@$CARGO_LEPTOS_VERSION" --locked --features no_downloads
  fi
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
    cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION"
  fi
  ensure_wasm_opt
}

# wasm-opt shrinks the release WASM. Debian's binaryen (108) is too old for what rustc and
# wasm-bindgen emit now (it turns the externref table into an anyref one, which browsers
# refuse), so a current binaryen comes pinned from the npm registry instead.
ensure_wasm_opt() {
  command -v node >/dev/null && command -v npm >/dev/null || apt_install nodejs npm
  local dir="$ROOT/scripts/wasm-opt"
  if [ ! -x "$dir/node_modules/.bin/wasm-opt" ]; then
    say "installing wasm-opt (binaryen, npm)"
    (cd "$dir" && npm ci --no-audit --no-fund >/dev/null)
  fi
  export PATH="$dir/node_modules/.bin:$PATH"
}

# ---- the embedded PostgreSQL ------------------------------------------------------

PG_USER_OS="are-postgres"   # PostgreSQL refuses to run as root; as root we use this user

pg_bindir() {
  local dir
  if command -v pg_config >/dev/null && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir; return
  fi
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then echo "$dir"; return; fi
  if command -v initdb >/dev/null; then dirname "$(command -v initdb)"; return; fi
  return 1
}

ensure_pg_binaries() {
  pg_bindir >/dev/null 2>&1 || apt_install postgresql
  PG_BIN="$(pg_bindir)" || die "no PostgreSQL server binaries (initdb, pg_ctl) found"
}

# The data folder lives in the project (.are/pg). As root the cluster runs as
# $PG_USER_OS, which must be able to reach that folder; when the project sits where it
# cannot (under /root, say), the cluster goes to /var/tmp instead.
pg_paths() {
  PG_HOME="$STATE_DIR/pg"
  if [ "$(id -u)" = 0 ]; then
    id "$PG_USER_OS" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$PG_USER_OS"
    mkdir -p "$PG_HOME"
    chown "$PG_USER_OS" "$PG_HOME"
    if ! runuser -u "$PG_USER_OS" -- test -w "$PG_HOME" 2>/dev/null; then
      PG_HOME="/var/tmp/are-pg-$(printf '%s' "$ROOT" | md5sum | cut -c1-12)"
      mkdir -p "$PG_HOME" && chown "$PG_USER_OS" "$PG_HOME" && chmod 700 "$PG_HOME"
    fi
  fi
  mkdir -p "$PG_HOME"
  PG_DATA="$PG_HOME/data"
  # The port is chosen once per cluster and remembered, so two checkouts on one
  # machine each keep their own.
  if [ -n "${ARE_PG_PORT:-}" ]; then
    PG_PORT="$ARE_PG_PORT"
  elif [ -f "$PG_HOME/port" ]; then
    PG_PORT="$(cat "$PG_HOME/port")"
  else
    PG_PORT="$(free_port 54329)"
    echo "$PG_PORT" >"$PG_HOME/port"
  fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The first port from $1 upwards that nothing listens on.
free_port() {
  local port="$1"
  while port_in_use "$port"; do port=$((port + 1)); done
  echo "$port"
}

pg_as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u "$PG_USER_OS" -- "$@"; else "$@"; fi
}

embedded_db_url() { pg_paths; echo "postgres://postgres@127.0.0.1:$PG_PORT/${1:-are}"; }

embedded_db_start() {
  ensure_pg_binaries
  pg_paths
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    say "creating the embedded PostgreSQL cluster in $PG_DATA"
    pg_as_owner "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$PG_HOME/initdb.log" 2>&1 \
      || { cat "$PG_HOME/initdb.log" >&2; die "initdb failed"; }
  fi
  if ! pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
    say "starting the embedded PostgreSQL on 127.0.0.1:$PG_PORT"
    pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_HOME/server.log" -w -t 60 \
      -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $PG_HOME -c max_connections=300 -c fsync=on" start >/dev/null \
      || { tail -20 "$PG_HOME/server.log" >&2; die "PostgreSQL did not start (log: $PG_HOME/server.log)"; }
  fi
  ensure_database "$(embedded_db_url are)"
}

embedded_db_stop() {
  ensure_pg_binaries
  pg_paths
  if [ -f "$PG_DATA/PG_VERSION" ] && pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
    pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null
    say "embedded PostgreSQL stopped"
  else
    say "embedded PostgreSQL is not running"
  fi
}

# Creates the database named in a postgres:// URL when it does not exist yet.
ensure_database() {
  local url="$1" name base psql
  name="${url##*/}"; name="${name%%\?*}"
  base="${url%/*}/postgres"
  psql="psql"
  command -v psql >/dev/null || psql="$(pg_bindir)/psql"
  if [ "$("$psql" "$base" -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'")" != 1 ]; then
    "$psql" "$base" -qc "CREATE DATABASE \"$name\"" >/dev/null
  fi
}

# DATABASE_URL as given, or the embedded cluster's. Either way the scripts keep their
# logs in $STATE_DIR, which only the embedded cluster's start would otherwise create.
use_database() {
  mkdir -p "$STATE_DIR"
  if [ -z "${DATABASE_URL:-}" ]; then
    embedded_db_start
    export DATABASE_URL="$(embedded_db_url are)"
  fi
}

ensure_browser_tools() {
  command -v node >/dev/null && command -v npm >/dev/null || apt_install nodejs npm
  command -v chromium >/dev/null || apt_install chromium
  command -v curl >/dev/null || apt_install curl
  # The Nu HTML Checker (npm vnu-jar) that the browser tests run on every page is Java.
  command -v java >/dev/null || apt_install default-jre-headless
  local package missing=0
  for package in playwright-core axe-core vnu-jar; do
    [ -d "$ROOT/end2end/node_modules/$package" ] || missing=1
  done
  if [ $missing = 1 ]; then
    say "installing the browser-test packages (npm ci)"
    (cd "$ROOT/end2end" && npm ci --no-audit --no-fund >/dev/null)
  fi
}

# OCR of scanned résumés: poppler's pdftoppm renders a PDF's pages, Tesseract reads them
# (Debian's packages). Without them a scan is logged "no text (scanned)" and kept.
ensure_document_tools() {
  command -v pdftoppm >/dev/null || apt_install poppler-utils
  command -v tesseract >/dev/null || apt_install tesseract-ocr
}

# ---- an S3-compatible server for the files' tests ----------------------------------

MOTO_VERSION="5.2.5"

# moto's S3 server (PyPI `moto[server]`), in a virtual environment of the project's own.
ensure_moto() {
  local venv="$STATE_DIR/moto"
  if [ "$("$venv/bin/python" -c 'import moto; print(moto.__version__)' 2>/dev/null)" != "$MOTO_VERSION" ]; then
    command -v python3 >/dev/null || apt_install python3
    python3 -m venv --help >/dev/null 2>&1 || apt_install python3-venv
    rm -rf "$venv"
    python3 -m venv "$venv" 2>/dev/null || { apt_install python3-venv; python3 -m venv "$venv"; }
    say "installing moto[server] $MOTO_VERSION (PyPI)"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION"
  fi
}

# Starts moto_server on a free loopback port and exports ARE_TEST_S3_ENDPOINT; the caller
# stops it (MOTO_PID).
start_moto() {
  local port log="$STATE_DIR/moto.log"
  port="$(free_port 5910)"
  "$STATE_DIR/moto/bin/moto_server" -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
  MOTO_PID=$!
  for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$port/" >/dev/null 2>&1 && break
    kill -0 "$MOTO_PID" 2>/dev/null || { cat "$log" >&2; die "moto_server did not start"; }
    sleep 0.2
  done
  export ARE_TEST_S3_ENDPOINT="http://127.0.0.1:$port"
}

# Replaces the database name in a postgres:// URL.
database_url_named() {
  local url="$1" name="$2" base query=""
  case "$url" in *\?*) query="?${url#*\?}"; url="${url%%\?*}" ;; esac
  base="${url%/*}"
  echo "$base/$name$query"
}

drop_and_create_database() {
  local url="$1" name base psql
  name="${url##*/}"; name="${name%%\?*}"
  base="$(database_url_named "$url" postgres)"
  psql="psql"
  command -v psql >/dev/null || psql="$(pg_bindir)/psql"
  "$psql" "$base" -qc "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" >/dev/null
  "$psql" "$base" -qc "CREATE DATABASE \"$name\"" >/dev/null
}
