#!/usr/bin/env bash
# html-check.sh - validate HTML with the Nu Html Checker (vnu.jar).
#
# Usage: html-check.sh [options] URL|FILE...
#
# Each URL (loopback only: localhost, 127.0.0.0/8, [::1]) is fetched with curl
# (redirects followed, each hop checked to stay on loopback), saved to a temp
# file and checked together with any FILE arguments in one vnu run. The report
# goes to stdout, with the fetched documents named by their URL again.
#
# Options:
#   --format F       gnu (default), text, json or xml: vnu's output format
#   --errors-only    report errors only (no warnings or info messages)
#   --Werror         treat warnings as errors (they then fail the run)
#   --filter REGEX   drop messages matching REGEX (vnu --filterpattern);
#                    may be repeated, the patterns are joined with '|'
#   --vnu-arg ARG    pass ARG to vnu as is (repeatable)
#   --jar PATH       vnu.jar to use (default: $VNU_JAR, else vnu-jar/build/dist/
#                    vnu.jar looked up under each NODE_PATH entry, next to this
#                    script, and in ./node_modules)
#   --timeout S      seconds allowed for each fetch (default 30)
#   -h, --help       this text
#
# Exit status: 0 no errors; 1 vnu reported errors; 2 usage error, or a URL
# could not be fetched (connection failure, HTTP status >= 400, redirect off
# loopback) - the documents that were fetched are still checked and reported.
#
# Needs: java 11+ (java 17 tested), curl, and the npm package vnu-jar
# (installed with --ignore-scripts: its install script would try to download a
# Java runtime, which is not needed when a system java exists).
set -uo pipefail

die() { echo "html-check: $*" >&2; exit 2; }

usage() { sed -n '2,/^set -uo/{/^set -uo/d;s/^# \{0,1\}//;p}' "$0"; }

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
format=gnu
timeout=30
jar=${VNU_JAR:-}
vnu_args=()
filters=()
inputs=()

while [ $# -gt 0 ]; do
  case $1 in
    -h|--help) usage; exit 0 ;;
    --format) [ $# -ge 2 ] || die "--format needs a value"; format=$2; shift 2 ;;
    --errors-only) vnu_args+=(--errors-only); shift ;;
    --Werror) vnu_args+=(--Werror); shift ;;
    --filter) [ $# -ge 2 ] || die "--filter needs a value"; filters+=("$2"); shift 2 ;;
    --vnu-arg) [ $# -ge 2 ] || die "--vnu-arg needs a value"; vnu_args+=("$2"); shift 2 ;;
    --jar) [ $# -ge 2 ] || die "--jar needs a value"; jar=$2; shift 2 ;;
    --timeout) [ $# -ge 2 ] || die "--timeout needs a value"; timeout=$2; shift 2 ;;
    --) shift; inputs+=("$@"); break ;;
    -) inputs+=("-"); shift ;;
    -*) die "unknown option $1 (try --help)" ;;
    *) inputs+=("$1"); shift ;;
  esac
done
[ ${#inputs[@]} -gt 0 ] || die "no URL or file given (try --help)"
case $format in gnu|text|json|xml) ;; *) die "bad --format $format" ;; esac
[[ $timeout =~ ^[0-9]+$ ]] || die "bad --timeout $timeout"

# Locate vnu.jar.
if [ -z "$jar" ]; then
  IFS=: read -r -a np <<< "${NODE_PATH:-}"
  for d in "${np[@]}" "$script_dir/node_modules" "$PWD/node_modules"; do
    [ -n "$d" ] || continue
    for cand in "$d/vnu-jar/build/dist/vnu.jar" "$d/node_modules/vnu-jar/build/dist/vnu.jar"; do
      if [ -f "$cand" ]; then jar=$cand; break 2; fi
    done
  done
fi
[ -n "$jar" ] && [ -f "$jar" ] || die "vnu.jar not found: install the npm package vnu-jar into a writable directory (npm ci --ignore-scripts) and set NODE_PATH to its node_modules, or pass --jar / set VNU_JAR"
java_bin=${JAVA:-java}
command -v "$java_bin" > /dev/null || die "java not found (need Java 11 or later)"

# True when the URL's host is a loopback name or address.
is_loopback_url() {
  local rest=${1#*://} host
  rest=${rest%%[/?#]*}          # authority
  rest=${rest##*@}              # drop user info
  if [[ $rest == \[* ]]; then host=${rest%%]*}]; else host=${rest%%:*}; fi
  host=${host,,}
  case $host in
    localhost|*.localhost|'[::1]') return 0 ;;
  esac
  [[ $host =~ ^127\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})$ ]] &&
    [ "${BASH_REMATCH[1]}" -le 255 ] && [ "${BASH_REMATCH[2]}" -le 255 ] && [ "${BASH_REMATCH[3]}" -le 255 ]
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/html-check.XXXXXX") || die "cannot make a temp dir"
trap 'rm -rf "$tmp"' EXIT

fetch_failed=0
files=()       # what vnu gets
labels=()      # file path -> URL, for the report ("" for plain files)
n=0
for in in "${inputs[@]}"; do
  case $in in
    http://*|https://*)
      is_loopback_url "$in" || die "refusing non-loopback URL: $in"
      n=$((n + 1))
      out=$(printf '%s/%03d.html' "$tmp" "$n")
      url=$in hops=0 ok=0
      while :; do
        meta=$(curl -sS --noproxy '*' --proto '=http,https' --max-time "$timeout" \
                 -H 'Accept: text/html,application/xhtml+xml;q=0.9,*/*;q=0.1' \
                 ${E2E_COOKIE:+-H "Cookie: $E2E_COOKIE"} \
                 -o "$out" -w '%{http_code} %{redirect_url}' -- "$url") || {
          echo "html-check: fetch failed: $url" >&2; break; }
        code=${meta%% *} next=${meta#* }
        if [[ $code == 3?? && -n $next ]]; then
          hops=$((hops + 1))
          [ $hops -le 5 ] || { echo "html-check: too many redirects: $in" >&2; break; }
          is_loopback_url "$next" || { echo "html-check: $url redirects off loopback ($next); not followed" >&2; break; }
          url=$next; continue
        fi
        if [ "$code" -ge 400 ] 2>/dev/null; then
          echo "html-check: HTTP $code for $url" >&2; break
        fi
        ok=1; break
      done
      if [ $ok = 1 ]; then files+=("$out"); labels+=("$url"); else fetch_failed=1; fi
      ;;
    *://*) die "only http(s) URLs are supported: $in" ;;
    -) files+=("-"); labels+=("") ;;
    *) [ -e "$in" ] || die "no such file: $in"; files+=("$(realpath -- "$in")"); labels+=("") ;;
  esac
done

status=0
if [ ${#files[@]} -gt 0 ]; then
  if [ ${#filters[@]} -gt 0 ]; then
    pattern=$(IFS='|'; echo "${filters[*]}")
    vnu_args+=(--filterpattern "$pattern")
  fi
  report=$("$java_bin" -Xss8m -jar "$jar" --stdout --format "$format" "${vnu_args[@]}" "${files[@]}")
  vnu_rc=$?
  # Name fetched documents by their URL instead of the temp file.
  shopt -u patsub_replacement 2>/dev/null || true
  for i in "${!files[@]}"; do
    [ -n "${labels[$i]}" ] || continue
    report=${report//"file:${files[$i]}"/"${labels[$i]}"}
  done
  [ -z "$report" ] || printf '%s\n' "$report"
  case $vnu_rc in
    0) ;;
    1) status=1 ;;
    *) echo "html-check: vnu failed (exit $vnu_rc)" >&2; status=2 ;;
  esac
  if [ "$format" = gnu ] || [ "$format" = text ]; then
    nerr=$(grep -c -E '(: error:|^Error: )' <<< "$report" || true)
    echo "html-check: ${#files[@]} document(s) checked, $nerr error message(s)" >&2
  fi
fi
[ $fetch_failed = 0 ] || status=2
exit $status
