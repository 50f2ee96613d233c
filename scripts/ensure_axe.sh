#!/usr/bin/env bash
# The browser tests run axe-core (accessibility checks) on every page they visit. axe-core
# comes from npm, pinned, installed under .cache/axe/ (not committed). A missing axe is a
# failure of the browser tests, never a skip.
set -euo pipefail
AXE_VERSION=4.10.2
root=$(cd "$(dirname "$0")/.." && pwd)
dir="$root/.cache/axe"
file="$dir/node_modules/axe-core/axe.min.js"
if [ -f "$file" ] && grep -q "\"version\": \"$AXE_VERSION\"" "$dir/node_modules/axe-core/package.json"; then
  exit 0
fi
command -v npm >/dev/null 2>&1 || { echo "npm is missing (sudo apt-get install npm): the browser tests need axe-core." >&2; exit 1; }
mkdir -p "$dir"
npm install --silent --no-audit --no-fund --prefix "$dir" "axe-core@$AXE_VERSION" >/dev/null
[ -f "$file" ] || { echo "axe-core $AXE_VERSION did not install under $dir" >&2; exit 1; }
echo "axe-core $AXE_VERSION installed under $dir"
