#!/usr/bin/env bash
# Accessibility (axe-core, WCAG 2.1 A/AA) and HTML validity (Nu Html Checker)
# of every page listed in e2e/pages.txt (public) and e2e/admin-pages.txt
# (back office, checked signed in as E2E_EMAIL / E2E_PASSWORD), on a running
# server. The scripts in e2e/tools are ../shared/tools's, taught to send a
# session cookie (E2E_COOKIE). E2E_OUTBOX is the server's data_dir/outbox:
# a registration's page is reached only through the link in its e-mail.
# Usage: E2E_EMAIL=… E2E_PASSWORD=… E2E_OUTBOX=… e2e/check.sh BASE_URL NODE_MODULES_DIR [SCREENSHOT_DIR]
set -euo pipefail
base=${1:?base URL, e.g. http://127.0.0.1:8080}
export NODE_PATH=${2:?node_modules with playwright-core, axe-core, vnu-jar}
shots=${3:-}
: "${E2E_EMAIL:?the e-mail of an admin account}" "${E2E_PASSWORD:?its password}"
: "${E2E_OUTBOX:?the folder the server writes e-mails to (data_dir/outbox)}"
here=$(cd "$(dirname "$0")" && pwd)

check() { # LIST_FILE
  local urls=() path
  while read -r path; do
    [ -n "$path" ] && urls+=("$base$path")
  done < "$1"
  echo "Checking ${#urls[@]} pages of $(basename "$1")"
  local shot_args=()
  [ -n "$shots" ] && shot_args=(--screenshot "$shots/$(basename "$1" .txt)")
  node "$here/tools/a11y-check.mjs" "${shot_args[@]}" "${urls[@]}"
  bash "$here/tools/html-check.sh" "${urls[@]}"
}

check "$here/pages.txt"

jar=$(mktemp)
trap 'rm -f "$jar"' EXIT
form=$(curl -fsS --noproxy '*' -c "$jar" "$base/admin/logowanie")
token=$(printf '%s' "$form" | grep -o 'name="csrf" value="[^"]*"' | head -n 1 | sed 's/.*value="//; s/"$//')
curl -fsS --noproxy '*' -b "$jar" -c "$jar" -o /dev/null \
  --data-urlencode "csrf=$token" --data-urlencode "email=$E2E_EMAIL" \
  --data-urlencode "password=$E2E_PASSWORD" "$base/admin/logowanie"
session=$(awk '$6 == "koalicja_sesja" { print $7 }' "$jar")
[ -n "$session" ] || { echo "check.sh: could not sign in as $E2E_EMAIL" >&2; exit 1; }
export E2E_COOKIE="koalicja_sesja=$session"

# An upcoming training (created through the back office) and a registration
# for it, so that the registration pages can be checked too.
token_of() { grep -o 'name="csrf" value="[^"]*"' | head -n 1 | sed 's/.*value="//; s/"$//'; }
csrf=$(curl -fsS --noproxy '*' -b "$jar" "$base/admin/dzialania/nowe" | token_of)
curl -fsS --noproxy '*' -b "$jar" -o /dev/null --data-urlencode "csrf=$csrf" \
  --data-urlencode "kind=training" --data-urlencode "title=Szkolenie otwarte" \
  --data-urlencode "starts_on=2099-01-15" --data-urlencode "duration_minutes=360" \
  --data-urlencode "venue=Płońsk" --data-urlencode "audience=both" --data-urlencode "capacity=20" \
  "$base/admin/dzialania/nowe"
training=/szkolenia/szkolenie-otwarte-20990115
anon=$(mktemp)
csrf=$(curl -fsS --noproxy '*' -c "$anon" "$base$training/zapis" | token_of)
sent=$(curl -sS --noproxy '*' -b "$anon" -o /dev/null -w '%{redirect_url}' --data-urlencode "csrf=$csrf" \
  --data-urlencode "first_name=Żaneta" --data-urlencode "last_name=Sprawdzająca" \
  --data-urlencode "email=zaneta@example.org" --data-urlencode "role=ngo_leader" --data-urlencode "consent=1" \
  "$base$training/zapis")
rm -f "$anon"
[ -n "$sent" ] || { echo "check.sh: could not register" >&2; exit 1; }
token=
for _ in $(seq 1 50); do
  token=$(python3 - "$E2E_OUTBOX" <<'EOF'
import email, glob, os, re, sys
from email import policy
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.eml")), reverse=True):
    with open(path, "rb") as f:
        m = email.message_from_binary_file(f, policy=policy.default)
    if m["To"] == "zaneta@example.org":
        text = m.get_body(preferencelist=("plain",)).get_content()
        found = re.search(r"/zapisy/([A-Za-z0-9_-]+)", text)
        if found:
            print(found.group(1))
            break
EOF
)
  [ -n "$token" ] && break
  sleep 0.2
done
[ -n "$token" ] || { echo "check.sh: no registration e-mail in $E2E_OUTBOX" >&2; exit 1; }
# A report's confirmation page is reached only by the redirect after it.
anon=$(mktemp)
csrf=$(curl -fsS --noproxy '*' -c "$anon" "$base/doradztwo/zgloszenie" | token_of)
filed=$(curl -sS --noproxy '*' -b "$anon" -o /dev/null -w '%{redirect_url}' --data-urlencode "csrf=$csrf" \
  --data-urlencode "organisation=Fundacja Sprawdzająca" --data-urlencode "name=Żaneta Sprawdzająca" \
  --data-urlencode "email=zaneta@example.org" --data-urlencode "contact=email" --data-urlencode "topic=statute" \
  --data-urlencode "description=Zmiana statutu." --data-urlencode "consent=1" "$base/doradztwo/zgloszenie")
rm -f "$anon"
[ -n "$filed" ] || { echo "check.sh: could not file a report" >&2; exit 1; }
pages=$(mktemp)
cat "$here/admin-pages.txt" > "$pages"
printf '%s\n' "$training" "$training/zapis" "${sent#"$base"}" "/zapisy/$token" "/zapisy/$token/opinia" "${filed#"$base"}" >> "$pages"
# A certificate of the demo seminar: its code is in the file names of the ZIP.
seminar=$(curl -fsS --noproxy '*' -b "$jar" "$base/admin/dzialania?q=Seminarium+wprowadzaj%C4%85ce" \
  | grep -o '/admin/dzialania/[0-9][0-9]*' | head -n 1)
code=$(curl -fsS --noproxy '*' -b "$jar" "$base$seminar/zaswiadczenia.zip" \
  | grep -a -o 'zaswiadczenie-[0-9A-Z]\{5\}-[0-9A-Z]\{5\}' | head -n 1 | sed 's/^zaswiadczenie-//')
[ -n "$code" ] || { echo "check.sh: no certificate code in the ZIP of $seminar" >&2; exit 1; }
printf '%s\n' "/zaswiadczenia/$code" >> "$pages"
check "$pages"
rm -f "$pages"
