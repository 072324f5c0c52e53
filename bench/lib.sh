# Shared parts of the benchmark scripts: tools, nginx, wrk, memory.
# Sourced, not run. Every load goes to 127.0.0.1 and is bounded in time.

bench_tools() {
  export DEBIAN_FRONTEND=noninteractive
  local need=()
  command -v wrk >/dev/null || need+=(wrk)
  command -v nginx >/dev/null || need+=(nginx-light)
  command -v curl >/dev/null || need+=(curl)
  [ "${1:-}" = postgres ] && ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 && need+=(postgresql)
  if [ ${#need[@]} -gt 0 ]; then
    apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null
  fi
}

# wait_http URL: until it answers (at most 20 s).
wait_http() {
  for _ in $(seq 1 200); do curl -fsS "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "no answer from $1" >&2
  return 1
}

# start_nginx DIR PORT WORK: serves DIR statically; sets nginx_pid. DIR must
# sit directly under /tmp: nginx's workers do not run as root, and a
# mktemp folder is closed to others until opened here.
start_nginx() {
  chmod 755 "$1"
  chmod 644 "$1"/*
  cat > "$3/nginx.conf" <<CONF
worker_processes auto;
error_log $3/nginx-error.log;
pid $3/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  default_type text/html;
  server { listen 127.0.0.1:$2; root $1; }
}
CONF
  nginx -c "$3/nginx.conf" -g 'daemon off;' &
  nginx_pid=$!
  wait_http "http://127.0.0.1:$2/index.html"  # fails on 403, so no run measures errors
}

bench_header() {
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); wrk -t2 -c$connections -d$duration --latency"
  printf '%-44s %12s %10s %10s\n' target "requests/s" p50 p99
}

# bench_url NAME URL: one bounded wrk run; prints a row, sets last_rps.
# A run with any non-2xx/3xx answer stops the script: it measured errors.
bench_url() {
  local out p50 p99
  out=$(wrk -t2 -c"$connections" -d"$duration" --latency "$2")
  if grep -q "Non-2xx" <<<"$out"; then
    echo "$1: some answers were errors; not a valid figure" >&2
    grep "Non-2xx" <<<"$out" >&2
    return 1
  fi
  last_rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  printf '%-44s %12s %10s %10s\n' "$1" "$last_rps" "$p50" "$p99"
}

# cold_url NAME URL: time of one request that nothing has cached yet.
cold_url() {
  printf '%-44s %10s s\n' "$1 (first request)" "$(curl -s -o /dev/null -w '%{time_total}' "$2")"
}

peak_rss_mb() { awk '/VmHWM/ {printf "%d", $2/1024}' "/proc/$1/status"; }
