#!/usr/bin/env bash
# The public site at national scale while the data changes (prints
# figures; not a test). For SQLite and PostgreSQL, on the national data
# set, with a fresh server each:
#  1. the first render of every public page (nothing cached yet);
#  2. 1,000 random date ranges on /api/v1/stats, each asked once, never
#     asked before: p50, p99, max;
#  3. / and /szkolenia under wrk, idle, then while staff write 5 records
#     a second through the back office (an organisation, a trip: the trip
#     moves the figures of the home page) and 100 registrations a second
#     are made and confirmed: requests/s, p99, the share of the idle rate;
#  4. registrations as fast as 32 clients make them, for 10 s, with the
#     summaries maintained;
#  5. the server's peak RSS, and its memory now split into its own
#     (anonymous) and the database file SQLite maps (file-backed, shared
#     with the operating system's page cache).
# Usage: bench/figures.sh [DATA_DIR] [DURATION=10s] [CONNECTIONS=32]
# DATA_DIR keeps the generated sets between runs (generation takes
# minutes); keep it under /tmp, the postgres user must reach it.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
data=${1:-}
duration=${2:-10s}
connections=${3:-32}
tools=${KOALICJA_SHARED_TOOLS:-$(pwd)/../shared/tools}
bench_tools postgres
cargo build --release --locked --bin koalicja 2>&1 | tail -1
cargo bench --locked --bench registrations --no-run 2>&1 | tail -1
bench_binary=$(ls -t target/release/deps/registrations-* | grep -v '\.d$' | head -n 1)
work=$(mktemp -d)
[ -n "$data" ] || data=$work
mkdir -p "$data"
pgdir=$data/pg
# The e-mails the worker writes stand in for a mail server: to memory, as
# in bench/registrations.sh (MAIL_ON_DISK=1 keeps them on disk).
mkdir -p "$work/data"
mails=
if [ -z "${MAIL_ON_DISK:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
  mails=$(mktemp -d /dev/shm/koalicja-outbox.XXXXXX)
  ln -s "$mails" "$work/data/outbox"
fi
server_pid= writer_pid= load_pid=
cleanup() {
  for p in $writer_pid $load_pid $server_pid; do kill "$p" 2>/dev/null || true; done
  bash "$tools/pg-temp.sh" stop "$pgdir" >/dev/null 2>&1 || true
  rm -rf "$work" ${mails:+"$mails"}
}
trap cleanup EXIT
port=18290
base=http://127.0.0.1:$port
export KOALICJA_ADMIN_PASSWORD=benchmark-password-1
printf 'trust_forwarded_for = true\nbase_url = "%s"\n' "$base" > "$work/koalicja.toml"

serve() { # URL
  KOALICJA_LOG=warn KOALICJA_DATABASE_URL="$1" target/release/koalicja serve --config "$work/koalicja.toml" \
    --listen 127.0.0.1:$port --data-dir "$work/data" >>"$work/server.log" 2>&1 &
  server_pid=$!
  wait_http "$base/healthz"
}
stop() { kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=; }

# first_renders: every public page once on the fresh server, slowest first.
first_renders() {
  local list slug event pages=(/ /szkolenia /wydarzenia /dzialania-lokalne /doradztwo-i-interwencje
    /badania /poradniki /siec-urzednikow /jst /jst/1465 "/jst?q=Nowa" /szkolenia.ics
    "/szkolenia?miesiac=2023-05" "/szkolenia?dla=ngo" /api/v1/stats /api/v1/advisory
    "/api/v1/stats?from=2023-01-01&to=2023-12-31")
  list=$(curl -fsS "$base/szkolenia?strona=2")
  slug=$(grep -o 'href="/szkolenia/[^"?]*"' <<<"$list" | head -n 1 | cut -d'"' -f2)
  event=$(curl -fsS "$base/wydarzenia?strona=2" | grep -o 'href="/wydarzenia/[^"?]*"' | head -n 1 | cut -d'"' -f2)
  pages+=("$slug" "$event" "$slug/zapis")
  for p in "${pages[@]}"; do
    printf '%s %s\n' "$(curl -s -o /dev/null -w '%{time_total}' "$base$p")" "$p"
  done | sort -rn | awk '{ printf "  first render %-44s %7.1f ms\n", $2, $1 * 1000 }'
}

# ranges: 1,000 random ranges (fixed seed) between 2020 and 2027, asked
# one after another; p50, p99, max of the answers' times.
ranges() {
  awk 'BEGIN { srand(17); s = mktime("2020 01 01 12 00 00")
    for (i = 0; i < 1000; i++) { a = int(rand() * 2900); b = int(rand() * 2900)
      if (a > b) { t = a; a = b; b = t }
      printf "%s %s\n", strftime("%Y-%m-%d", s + 86400 * a, 1), strftime("%Y-%m-%d", s + 86400 * b, 1) } }' |
    while read -r from to; do
      curl -s -o /dev/null -w '%{http_code} %{time_total}\n' "$base/api/v1/stats?from=$from&to=$to"
    done > "$work/ranges"
  awk '$1 != 200 { bad++ } { print $2 * 1000 }  END { if (bad) print "errors: " bad > "/dev/stderr" }' "$work/ranges" |
    sort -n | awk '{ v[NR] = $1 } END { printf "  1,000 new ranges on /api/v1/stats: p50 %.1f ms, p99 %.1f ms, max %.1f ms\n", v[int(NR * 0.5)], v[int(NR * 0.99)], v[NR] }'
}

sign_in() {
  jar=$work/cookies
  rm -f "$jar"
  csrf=$(curl -fsS -c "$jar" "$base/admin/logowanie" | token_of)
  curl -fsS -b "$jar" -c "$jar" -o /dev/null --data-urlencode "csrf=$csrf" \
    --data-urlencode "email=bench@example.org" --data-urlencode "password=$KOALICJA_ADMIN_PASSWORD" \
    "$base/admin/logowanie"
  csrf=$(curl -fsS -b "$jar" "$base/admin/dzialania/nowe" | token_of)
}
token_of() { grep -o 'name="csrf" value="[^"]*"' | head -n 1 | sed 's/.*value="//; s/"$//'; }

# staff_writes: 5 records a second, an organisation then a trip, until killed.
staff_writes() {
  local i=0
  while true; do
    i=$((i + 1))
    if [ $((i % 2)) = 0 ]; then
      curl -s -b "$jar" -o /dev/null --data-urlencode "csrf=$csrf" --data-urlencode "name=Fundacja Próbna $RANDOM-$i" \
        --data-urlencode "legal_form=fundacja" --data-urlencode "local_government=1420011" "$base/admin/organizacje/nowa"
    else
      curl -s -b "$jar" -o /dev/null --data-urlencode "csrf=$csrf" --data-urlencode "travelled_on=2023-05-$((10 + i % 18))" \
        --data-urlencode "route=Warszawa – Płońsk – Warszawa" --data-urlencode "kilometres=132" "$base/admin/wyjazdy"
    fi
    sleep 0.2
  done
}

# training: an upcoming training without a place limit, for registrations.
training() {
  curl -fsS -b "$jar" -o /dev/null --data-urlencode "csrf=$csrf" \
    --data-urlencode "kind=training" --data-urlencode "title=Szkolenie bez limitu miejsc" \
    --data-urlencode "starts_on=2099-01-15" --data-urlencode "duration_minutes=360" \
    --data-urlencode "venue=Płońsk" --data-urlencode "audience=both" "$base/admin/dzialania/nowe"
  path=/szkolenia/szkolenie-bez-limitu-miejsc-20990115
  curl -fsS -o /dev/null "$base$path"
}

measure() { # LABEL DATABASE_URL
  local label=$1 url=$2 idle_home idle_list
  KOALICJA_DATABASE_URL="$url" target/release/koalicja create-admin --data-dir "$work/data" \
    --email bench@example.org --name Bench >/dev/null 2>&1 || true
  serve "$url"
  echo "== $label"
  first_renders
  ranges
  sign_in
  training
  bench_url "$label / idle" "$base/"; idle_home=$last_rps
  bench_url "$label /szkolenia idle" "$base/szkolenia"; idle_list=$last_rps
  staff_writes & writer_pid=$!
  "$bench_binary" "$base" "$path" 60 4 "$url" 100 > "$work/paced" & load_pid=$!
  sleep 2
  bench_url "$label / while writing" "$base/"
  echo "  share of idle: $(awk -v a="$last_rps" -v b="$idle_home" 'BEGIN { printf "%.0f%%", 100 * a / b }')"
  bench_url "$label /szkolenia while writing" "$base/szkolenia"
  echo "  share of idle: $(awk -v a="$last_rps" -v b="$idle_list" 'BEGIN { printf "%.0f%%", 100 * a / b }')"
  kill "$writer_pid" "$load_pid" 2>/dev/null || true
  wait "$writer_pid" "$load_pid" 2>/dev/null || true
  writer_pid= load_pid=
  echo "  registrations at full rate, 32 clients, 10 s:"
  "$bench_binary" "$base" "$path" 10 32 "$url" | sed 's/^/    /'
  echo "  server peak RSS: $(peak_rss_mb "$server_pid") MB; now $(awk '/RssAnon/ { a = $2 } /RssFile/ { f = $2 }
    END { printf "%d MB its own memory, %d MB the database file mapped (SQLite mmap_size)", a / 1024, f / 1024 }' "/proc/$server_pid/status")"
  stop
}

bench_header
if [ ! -f "$data/national.db" ]; then
  KOALICJA_LOG=error target/release/koalicja generate --scale national \
    --database-url "sqlite://$data/national.db?mode=rwc"
fi
measure SQLite "sqlite://$data/national.db?mode=rwc"

[ -d "$pgdir" ] || fresh=1
pg_url=$(bash "$tools/pg-temp.sh" start "$pgdir" 55499 koalicja | tail -n 1)
if [ -n "${fresh:-}" ]; then
  KOALICJA_LOG=error target/release/koalicja generate --scale national --database-url "$pg_url"
fi
measure PostgreSQL "$pg_url"
