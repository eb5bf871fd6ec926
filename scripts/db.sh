#!/usr/bin/env bash
# The embedded PostgreSQL that the run and test commands use when DATABASE_URL is unset.
#   scripts/db.sh start | stop | url
source "$(dirname "$0")/common.sh"
case "${1:-}" in
  start) embedded_db_start; embedded_db_url are ;;
  stop) embedded_db_stop ;;
  url) embedded_db_url are ;;
  *) echo "usage: scripts/db.sh start|stop|url" >&2; exit 2 ;;
esac
