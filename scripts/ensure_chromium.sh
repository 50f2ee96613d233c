#!/usr/bin/env bash
# The browser tests drive Debian's Chromium through Playwright (playwright cannot download its
# own browser here). Installs it when missing and we may.
command -v chromium >/dev/null 2>&1 && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core) >/dev/null
  command -v chromium >/dev/null 2>&1 && exit 0
fi
echo "Chromium is missing: sudo apt-get install chromium" >&2
exit 1
