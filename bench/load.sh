#!/usr/bin/env bash
# Public computations under load, and the database going away (prints
# figures; not a test). On the national data set, for SQLite and
# PostgreSQL: four clients, each with eight requests in flight, ask
# /api/v1/stats for date ranges never asked before, for SECONDS, while
# /healthz is asked every 0.2 s; prints /healthz's latency and the
# clients' answers by status. Then, on PostgreSQL, stops the database and
# times the 503 page and /healthz's 503, starts it again and times the
# first 200 of both, with the same server process.
# Usage: bench/load.sh [SECONDS=20] [DATA_DIR]
# DATA_DIR keeps the generated sets between runs (generation takes minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
seconds=${1:-20}
data=${2:-}
tools=${KOALICJA_SHARED_TOOLS:-$(pwd)/../shared/tools}
command -v curl >/dev/null && command -v psql >/dev/null || {
  echo "needs curl and PostgreSQL (psql, /usr/lib/postgresql/*/bin)" >&2
  exit 1
}
cargo build --release --locked --bin koalicja 2>&1 | tail -1
work=$(mktemp -d)
[ -n "$data" ] || data=$work
mkdir -p "$data"
pgdir=$data/pg  # the postgres user must reach it: keep DATA_DIR under /tmp
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  bash "$tools/pg-temp.sh" stop "$pgdir" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
port=18190
base=http://127.0.0.1:$port

serve() { # URL
  KOALICJA_LOG=warn KOALICJA_DATABASE_URL="$1" target/release/koalicja serve --listen 127.0.0.1:$port \
    --data-dir "$work/data" >>"$work/server.log" 2>&1 &
  server_pid=$!
  wait_http "$base/healthz"
}
stop() { kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=; }

# ranges CLIENT: the client's date ranges, each never asked before.
ranges() {
  awk -v c="$1" -v base="$base" 'BEGIN {
    start = mktime("2021 01 01 12 00 00")
    for (i = 0; i < 20000; i++) {
      from = strftime("%Y-%m-%d", start + 86400 * (i % 1000), 1)
      to = strftime("%Y-%m-%d", start + 86400 * (1100 + 60 * c + int(i / 1000)), 1)
      print base "/api/v1/stats?from=" from "&to=" to
    }
  }'
}

# load LABEL: the four clients and the health probe, then the figures.
load() {
  local c clients=()
  for c in 0 1 2 3; do
    ranges "$c" | timeout "$seconds" xargs -P 8 -n 1 \
      curl -s -o /dev/null -w '%{http_code} %{time_total}\n' >"$work/client$c" 2>/dev/null &
    clients+=($!)
  done
  local end=$((SECONDS + seconds))
  : >"$work/health"
  while [ $SECONDS -lt $end ]; do
    curl -s -o /dev/null -m 5 -w '%{http_code} %{time_total}\n' "$base/healthz" >>"$work/health" || true
    sleep 0.2
  done
  wait "${clients[@]}" || true
  echo "$1: /healthz while 4 clients × 8 ask new ranges for ${seconds} s:"
  sort -k2 -n "$work/health" | awk '{ n++; t[n] = $2; s[$1]++ }
    END { printf "  %d probes, p50 %.1f ms, max %.1f ms; statuses:", n, 1000 * t[int((n + 1) / 2)], 1000 * t[n]
          for (k in s) printf " %s×%d", k, s[k]; print "" }'
  cat "$work"/client? | sort -k2 -n | awk '{ n++; t[n] = $2; s[$1]++ }
    END { printf "  ranges: %d answers (%.1f/s), p50 %.0f ms, max %.0f ms; statuses:", n, n / '"$seconds"', 1000 * t[int((n + 1) / 2)], 1000 * t[n]
          for (k in s) printf " %s×%d", k, s[k]; print "" }'
}

# first STATUS URL: seconds until URL answers STATUS (each try bounded).
first() {
  local start now code
  start=$(date +%s.%N)
  while :; do
    code=$(curl -s -o /dev/null -m 5 -w '%{http_code}' "$2" || true)
    [ "$code" = "$1" ] && break
    sleep 0.05
  done
  now=$(date +%s.%N)
  awk -v s="$start" -v e="$now" 'BEGIN { printf "%.2f", e - s }'
}

timed() { curl -s -o /dev/null -m 10 -w '%{http_code} in %{time_total} s' "$1"; }

echo "machine: $(nproc) cores"
echo "== national set, SQLite"
if [ ! -f "$data/national.db" ]; then
  KOALICJA_LOG=error target/release/koalicja generate --scale national --database-url "sqlite://$data/national.db?mode=rwc"
fi
serve "sqlite://$data/national.db?mode=rwc"
echo "a new range alone: $(timed "$base/api/v1/stats?from=2022-03-04&to=2023-05-06")"
load sqlite
stop

echo "== national set, PostgreSQL"
pg_url=$(bash "$tools/pg-temp.sh" start "$pgdir" 18195 koalicja | tail -n 1)
if [ "$(psql "$pg_url" -Atc "SELECT to_regclass('project') IS NOT NULL")" != t ]; then
  KOALICJA_LOG=error target/release/koalicja generate --scale national --database-url "$pg_url"
fi
serve "$pg_url"
echo "a new range alone: $(timed "$base/api/v1/stats?from=2022-03-04&to=2023-05-06")"
load postgres

echo "== PostgreSQL stopped under the running server"
curl -s -o /dev/null "$base/jst?q=P%C5%82o%C5%84sk"
bash "$tools/pg-temp.sh" stop "$pgdir" >/dev/null
echo "a page never asked before: $(timed "$base/jst?q=Ciechan%C3%B3w")"
echo "/healthz: $(timed "$base/healthz")"
echo "a page asked before (cached): $(timed "$base/jst?q=P%C5%82o%C5%84sk")"
bash "$tools/pg-temp.sh" start "$pgdir" 18195 koalicja >/dev/null
echo "PostgreSQL started again; /healthz 200 after $(first 200 "$base/healthz") s, then the page: $(timed "$base/jst?q=Ciechan%C3%B3w")"
stop
