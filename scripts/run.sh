#!/usr/bin/env bash
# Builds and runs ARE on http://127.0.0.1:3000 with the demo organization loaded.
# Without DATABASE_URL it starts the embedded PostgreSQL (stop it: scripts/db.sh stop).
source "$(dirname "$0")/common.sh"
"$ROOT/scripts/build.sh"
ensure_document_tools
use_database
cd "$ROOT"
export ARE_DEMO_DATA="${ARE_DEMO_DATA:-true}"
export ARE_SITE_ROOT="${ARE_SITE_ROOT:-$ROOT/target/site}"
say "serving on ${ARE_PUBLIC_URL:-http://${ARE_LISTEN_ADDR:-127.0.0.1:3000}} (Ctrl-C stops)"
exec "$ROOT/target/release/are"
