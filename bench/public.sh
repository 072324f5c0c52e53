#!/usr/bin/env bash
# Benchmark of the public site on the demo data (prints figures; not a test).
# Builds in release mode, loads the demo into a fresh database, then runs a
# bounded load on loopback with wrk against /, /szkolenia, /api/v1/stats and
# /doradztwo-i-interwencje,
# and, in the same run with the same settings, against nginx serving the
# very bytes of / as a static file. Prints requests/s, p50/p99 latency, the
# ratio to nginx and the server's peak RSS.
# Usage: bench/public.sh [DURATION=10s] [CONNECTIONS=32]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
duration=${1:-10s}
connections=${2:-32}
bench_tools
cargo build --release --locked --bin koalicja 2>&1 | tail -1
work=$(mktemp -d)
www=$(mktemp -d)  # served by nginx, see start_nginx
server_pid= nginx_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
  rm -rf "$work" "$www"
}
trap cleanup EXIT
base=http://127.0.0.1:18080
KOALICJA_LOG=info target/release/koalicja serve --listen 127.0.0.1:18080 --data-dir "$work/data" >"$work/server.log" 2>&1 &
server_pid=$!
wait_http "$base/healthz"
curl -fsS "$base/" -o "$www/index.html"
start_nginx "$www" 18081 "$work"

bench_header
echo "page / is $(stat -c %s "$www/index.html") bytes"
bench_url "nginx (static /)" "http://127.0.0.1:18081/index.html"; nginx_rps=$last_rps
bench_url "koalicja /" "$base/"; home_rps=$last_rps
bench_url "koalicja /szkolenia" "$base/szkolenia"
bench_url "koalicja /api/v1/stats" "$base/api/v1/stats"
bench_url "koalicja /doradztwo-i-interwencje" "$base/doradztwo-i-interwencje"
awk -v a="$home_rps" -v b="$nginx_rps" 'BEGIN { printf "ratio / to nginx: %.0f%%\n", 100*a/b }'
echo "koalicja peak RSS: $(peak_rss_mb "$server_pid") MB"
