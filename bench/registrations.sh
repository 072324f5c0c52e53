#!/usr/bin/env bash
# Benchmark of registration on SQLite (prints figures; not a test): the
# release server on a fresh demo database, one upcoming training without a
# place limit, and CLIENTS concurrent clients that each register a new
# address and confirm it, again and again, for DURATION seconds — through
# the real forms, CSRF tokens and e-mail outbox (written as .eml files by
# the server's worker meanwhile; the link to confirm is read from the
# database, as a person would read it from the e-mail). Prints confirmed registrations/s and the
# p50/p99 of both POSTs.
# Usage: bench/registrations.sh [SECONDS=10] [CLIENTS=32]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
seconds=${1:-10}
clients=${2:-32}
bench_tools
cargo build --release --locked --bin koalicja 2>&1 | tail -1
cargo bench --locked --bench registrations --no-run 2>&1 | tail -1
work=$(mktemp -d)
# The e-mails the worker writes stand in for a mail server: they go to
# memory when /dev/shm is there (set MAIL_ON_DISK=1 to keep them on disk),
# so that the figure is the platform's, not the file system's inode
# allocation. The database stays on disk, every commit fsynced.
mails=$work/data/outbox
if [ -z "${MAIL_ON_DISK:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
  mails=$(mktemp -d /dev/shm/koalicja-outbox.XXXXXX)
fi
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$work" "$mails"
}
trap cleanup EXIT
base=http://127.0.0.1:18090
# As behind a reverse proxy: each registration comes from an address of
# its own (X-Forwarded-For), under the default per-address limit.
printf 'trust_forwarded_for = true\nbase_url = "%s"\n' "$base" > "$work/koalicja.toml"
export KOALICJA_ADMIN_PASSWORD=benchmark-password-1
target/release/koalicja create-admin --data-dir "$work/data" --email bench@example.org --name Bench >/dev/null
[ "$mails" = "$work/data/outbox" ] || ln -s "$mails" "$work/data/outbox"
KOALICJA_LOG=warn target/release/koalicja serve --config "$work/koalicja.toml" \
  --listen 127.0.0.1:18090 --data-dir "$work/data" >"$work/server.log" 2>&1 &
server_pid=$!
wait_http "$base/healthz"

jar="$work/cookies"
token_of() { grep -o 'name="csrf" value="[^"]*"' | head -n 1 | sed 's/.*value="//; s/"$//'; }
csrf=$(curl -fsS -c "$jar" "$base/admin/logowanie" | token_of)
curl -fsS -b "$jar" -c "$jar" -o /dev/null --data-urlencode "csrf=$csrf" \
  --data-urlencode "email=bench@example.org" --data-urlencode "password=$KOALICJA_ADMIN_PASSWORD" \
  "$base/admin/logowanie"
csrf=$(curl -fsS -b "$jar" "$base/admin/dzialania/nowe" | token_of)
curl -fsS -b "$jar" -o /dev/null --data-urlencode "csrf=$csrf" \
  --data-urlencode "kind=training" --data-urlencode "title=Szkolenie bez limitu miejsc" \
  --data-urlencode "starts_on=2099-01-15" --data-urlencode "duration_minutes=360" \
  --data-urlencode "venue=Płońsk" --data-urlencode "audience=both" \
  "$base/admin/dzialania/nowe"
path=/szkolenia/szkolenie-bez-limitu-miejsc-20990115
curl -fsS -o /dev/null "$base$path"

echo "machine: $(nproc) cores; $clients clients, ${seconds} s"
bench_binary=$(ls -t target/release/deps/registrations-* | grep -v '\.d$' | head -n 1)
"$bench_binary" "$base" "$path" "$seconds" "$clients" "sqlite://$work/data/koalicja.db"
echo "e-mails written by the worker meanwhile: $(ls "$mails" | wc -l) (in $mails)"
echo "koalicja peak RSS: $(peak_rss_mb "$server_pid") MB"
