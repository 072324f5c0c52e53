#!/usr/bin/env bash
# Benchmark of the public site (prints figures; not a test).
# Builds in release mode, loads the demo into a fresh database, then runs a
# bounded load on loopback with wrk against /, /szkolenia and /api/v1/stats,
# and, in the same run with the same settings, against nginx serving the
# very bytes of / as a static file. Prints requests/s, p50/p99 latency, the
# ratio to nginx and the server's peak RSS.
# Usage: bench/public.sh [DURATION=10s] [CONNECTIONS=32]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10s}
connections=${2:-32}
export DEBIAN_FRONTEND=noninteractive
if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null; then
  apt-get update -qq && apt-get install -y -qq wrk nginx-light >/dev/null
fi
cargo build --release --locked --bin koalicja 2>&1 | tail -1
work=$(mktemp -d)
server_pid= nginx_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
port=18080
nginx_port=18081
KOALICJA_LOG=info target/release/koalicja serve --listen "127.0.0.1:$port" --data-dir "$work/data" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done

mkdir -p "$work/www"
curl -fsS "http://127.0.0.1:$port/" -o "$work/www/index.html"
cat > "$work/nginx.conf" <<CONF
worker_processes auto;
error_log $work/nginx-error.log;
pid $work/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  default_type text/html;
  server { listen 127.0.0.1:$nginx_port; root $work/www; }
}
CONF
nginx -c "$work/nginx.conf" -g 'daemon off;' &
nginx_pid=$!
sleep 0.5

peak_rss() { awk '/VmHWM/ {print $2}' "/proc/$server_pid/status"; }
run() { # name url
  local out rps p50 p99
  out=$(wrk -t2 -c"$connections" -d"$duration" --latency "$2")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  printf '%-28s %12s %10s %10s\n' "$1" "$rps" "$p50" "$p99"
  echo "$rps" > "$work/rps-$3"
}
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r)"
echo "wrk -t2 -c$connections -d$duration --latency; page / is $(stat -c %s "$work/www/index.html") bytes"
printf '%-28s %12s %10s %10s\n' target "requests/s" p50 p99
run "nginx (static /)" "http://127.0.0.1:$nginx_port/index.html" nginx
run "koalicja /" "http://127.0.0.1:$port/" home
run "koalicja /szkolenia" "http://127.0.0.1:$port/szkolenia" trainings
run "koalicja /api/v1/stats" "http://127.0.0.1:$port/api/v1/stats" stats
awk -v a="$(cat "$work/rps-home")" -v b="$(cat "$work/rps-nginx")" 'BEGIN { printf "ratio / to nginx: %.0f%%\n", 100*a/b }'
echo "koalicja peak RSS: $(( $(peak_rss) / 1024 )) MB"
