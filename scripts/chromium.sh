#!/usr/bin/env bash
# Install Debian's Chromium (for the Playwright browser tests) if /usr/bin/chromium is missing.
# Idempotent and quiet; on failure prints one error line to stderr and exits non-zero.
# Playwright never downloads a browser here: tests launch /usr/bin/chromium (executable_path).
set -uo pipefail
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo -n"
else
  SUDO=""
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! { $SUDO apt-get update -qq \
       && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core; } \
     >"$log" 2>&1; then
  echo "chromium.sh: could not install Debian's chromium package: $(grep -E 'E:|rror' "$log" | tail -1)" >&2
  exit 1
fi
if ! [ -x "$CHROMIUM" ]; then
  echo "chromium.sh: chromium package installed but $CHROMIUM is missing" >&2
  exit 1
fi
exit 0
