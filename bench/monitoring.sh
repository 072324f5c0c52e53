#!/usr/bin/env bash
# Benchmark of the cooperation monitor at national scale (prints figures;
# not a test). Generates the national set (every JST with six years of
# facts) into SQLite, or into the database KOALICJA_DATABASE_URL names
# (an empty one), loads the region's boundaries, then measures:
# - first renders (nothing cached): the table /monitoring for every year
#   and many pages, the map for every year and colouring and for each of
#   the region's counties; p50 / p99 / max over all of them;
# - the national table as CSV and as JSON (first request);
# - the map's image: its size, and compressed;
# - bounded wrk runs of the cached table and map, and nginx serving the
#   same bytes.
# Usage: bench/monitoring.sh [DURATION=10s] [CONNECTIONS=32]
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
base=http://127.0.0.1:18070
url=${KOALICJA_DATABASE_URL:-sqlite://$work/national.db?mode=rwc}
bin=target/release/koalicja
start=$(date +%s.%N)
KOALICJA_LOG=error $bin generate --scale national --database-url "$url"
echo "generate --scale national: $(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.0f", e - s }') s"
for f in assets/mazowieckie-gminy.geojson assets/mazowieckie-powiaty.geojson; do
  KOALICJA_LOG=error $bin import-boundaries "$f" --database-url "$url" | tail -1
done
KOALICJA_LOG=info KOALICJA_DATABASE_URL="$url" $bin serve --listen 127.0.0.1:18070 \
  --data-dir "$work/data" >"$work/server.log" 2>&1 &
server_pid=$!
wait_http "$base/healthz"

# times URL...: seconds of one request each, one per line.
times() { for u in "$@"; do curl -fsS -o /dev/null -w '%{time_total}\n' "$base$u"; done; }
# percentiles LABEL: p50, p99 and max of the times on stdin, in ms.
percentiles() {
  sort -n | awk -v label="$1" '{ t[NR] = $1 * 1000 } END {
    p50 = t[int((NR - 1) * 0.50) + 1]; p99 = t[int((NR - 1) * 0.99) + 1];
    printf "%-44s n=%4d p50 %6.1f ms  p99 %6.1f ms  max %6.1f ms\n", label, NR, p50, p99, t[NR] }'
}
this_year=$(date +%Y)
years=$(seq $((this_year - 4)) $((this_year + 1)))
table=() maps=()
for y in $years; do
  for p in $(seq 1 25); do table+=("/monitoring?rok=$y&strona=$p"); done
  maps+=("/monitoring/mapa?rok=$y" "/monitoring/mapa?rok=$y&kolor=indeks")
done
for c in $(curl -fsS "$base/api/v1/monitoring?rodzaj=powiat" | grep -o '"teryt":"14[0-9][0-9]"' | cut -d'"' -f4); do
  maps+=("/monitoring/mapa?powiat=$c")
done
echo "== first renders (each address once, nothing cached)"
times "${table[@]}" | percentiles "/monitoring (years × pages)"
times "${maps[@]}" | percentiles "/monitoring/mapa (years, colourings, counties)"
times "/monitoring/mapa.svg" | percentiles "/monitoring/mapa.svg"
echo "== open data, first request"
printf '%-44s %s s, %s bytes\n' "national CSV for $this_year" \
  $(curl -fsS -o /dev/null -w '%{time_total} %{size_download}' "$base/api/v1/monitoring.csv?rok=$this_year")
printf '%-44s %s s, %s bytes\n' "national JSON for $this_year" \
  $(curl -fsS -o /dev/null -w '%{time_total} %{size_download}' "$base/api/v1/monitoring?rok=$this_year")
svg=$(curl -fsS "$base/monitoring/mapa.svg" | wc -c)
svg_gz=$(curl -fsS -H 'Accept-Encoding: gzip' "$base/monitoring/mapa.svg" | wc -c)
map=$(curl -fsS "$base/monitoring/mapa" | wc -c)
map_gz=$(curl -fsS -H 'Accept-Encoding: gzip' "$base/monitoring/mapa" | wc -c)
echo "map image: $svg bytes ($svg_gz gzip); map page: $map bytes ($map_gz gzip)"

echo "== cached"
curl -fsS "$base/monitoring" -o "$www/index.html"
curl -fsS "$base/monitoring/mapa" -o "$www/mapa.html"
start_nginx "$www" 18071 "$work"
bench_header
bench_url "nginx (static /monitoring)" "http://127.0.0.1:18071/index.html"; nginx_table=$last_rps
bench_url "koalicja /monitoring" "$base/monitoring"; table_rps=$last_rps
bench_url "nginx (static /monitoring/mapa)" "http://127.0.0.1:18071/mapa.html"; nginx_map=$last_rps
bench_url "koalicja /monitoring/mapa" "$base/monitoring/mapa"; map_rps=$last_rps
awk -v a="$table_rps" -v b="$nginx_table" -v c="$map_rps" -v d="$nginx_map" \
  'BEGIN { printf "ratio to nginx: /monitoring %.0f%%, /monitoring/mapa %.0f%%\n", 100*a/b, 100*c/d }'
echo "koalicja peak RSS: $(peak_rss_mb "$server_pid") MB"
