#!/usr/bin/env bash
# Benchmark on the national-scale data set, for SQLite and PostgreSQL
# (prints figures; not a test). For each engine: time of
# `koalicja generate --scale national`, database size, the first
# (uncached) request of each page, then bounded wrk runs on loopback
# against /, /szkolenia, /jst/1465 (Warszawa), /api/v1/stats with and
# without a date range, and the server's peak RSS. The same pages on the
# demo set and nginx serving the bytes of / give the baselines.
# Usage: bench/national.sh [DURATION=10s] [CONNECTIONS=32]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
duration=${1:-10s}
connections=${2:-32}
tools=${KOALICJA_SHARED_TOOLS:-$(pwd)/../shared/tools}
bench_tools postgres
cargo build --release --locked --bin koalicja 2>&1 | tail -1
work=$(mktemp -d)
www=$(mktemp -d)  # served by nginx, see start_nginx
pgdir=$(mktemp -d)  # directly under /tmp: the postgres user must reach it
server_pid= nginx_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
  bash "$tools/pg-temp.sh" stop "$pgdir" --remove >/dev/null 2>&1 || true
  rm -rf "$work" "$www"
}
trap cleanup EXIT
base=http://127.0.0.1:18090
pages=(/ /szkolenia /jst/1465 /api/v1/stats "/api/v1/stats?from=2023-01-01&to=2023-12-31")

serve() { # URL: starts the server on it
  KOALICJA_LOG=info KOALICJA_DATABASE_URL="$1" target/release/koalicja serve --listen 127.0.0.1:18090 \
    --data-dir "$work/data" >>"$work/server.log" 2>&1 &
  server_pid=$!
  wait_http "$base/healthz"
}
stop() { kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=; }
since() { awk -v s="$1" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }'; }
measure() { # LABEL
  for p in "${pages[@]}"; do cold_url "$1 $p" "$base$p"; done
  for p in "${pages[@]}"; do bench_url "$1 $p" "$base$p"; done
  echo "$1 server peak RSS: $(peak_rss_mb "$server_pid") MB"
}

bench_header
echo "== demo set, SQLite"
serve "sqlite://$work/demo.db?mode=rwc"
measure demo
stop

echo "== national set, SQLite"
start=$(date +%s.%N)
KOALICJA_LOG=error target/release/koalicja generate --scale national --database-url "sqlite://$work/national.db?mode=rwc"
echo "generate --scale national (SQLite): $(since "$start") s"
echo "database size (SQLite): $(du -cm "$work"/national.db* | tail -1 | cut -f1) MB"
serve "sqlite://$work/national.db?mode=rwc"
measure sqlite
curl -fsS "$base/" -o "$www/index.html"
stop

echo "== national set, PostgreSQL"
pg_url=$(bash "$tools/pg-temp.sh" start "$pgdir" 18095 koalicja | tail -n 1)
start=$(date +%s.%N)
KOALICJA_LOG=error target/release/koalicja generate --scale national --database-url "$pg_url"
echo "generate --scale national (PostgreSQL): $(since "$start") s"
psql "$pg_url" -Atc "SELECT 'database size (PostgreSQL): ' || pg_database_size(current_database()) / 1048576 || ' MB'"
serve "$pg_url"
measure postgres
stop

echo "== nginx, the bytes of / of the national set ($(stat -c %s "$www/index.html") bytes)"
start_nginx "$www" 18091 "$work"
bench_url "nginx (static /)" "http://127.0.0.1:18091/index.html"
