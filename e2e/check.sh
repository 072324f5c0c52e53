#!/usr/bin/env bash
# Accessibility (axe-core, WCAG 2.1 A/AA) and HTML validity (Nu Html Checker)
# of every public page listed in e2e/pages.txt, on a running server.
# Usage: e2e/check.sh BASE_URL TOOLS_DIR NODE_MODULES_DIR [SCREENSHOT_DIR]
set -euo pipefail
base=${1:?base URL, e.g. http://127.0.0.1:8080}
tools=${2:?folder with a11y-check.mjs and html-check.sh}
export NODE_PATH=${3:?node_modules with playwright-core, axe-core, vnu-jar}
shots=${4:-}
here=$(cd "$(dirname "$0")" && pwd)
urls=()
while read -r path; do
  [ -n "$path" ] && urls+=("$base$path")
done < "$here/pages.txt"
echo "Checking ${#urls[@]} pages"
shot_args=()
[ -n "$shots" ] && shot_args=(--screenshot "$shots")
node "$tools/a11y-check.mjs" "${shot_args[@]}" "${urls[@]}"
bash "$tools/html-check.sh" "${urls[@]}"
