#!/usr/bin/env bash
# Installs what the kiosque browser test needs, only when it is missing:
#   - Debian's Chromium (/usr/bin/chromium), from apt;
#   - the test's npm packages (playwright-core, axe-core) in apps/kiosque/tests/browser/node_modules,
#     with `npm ci` when node_modules is missing or older than package-lock.json.
# Safe to run again and again. Called by scripts/test.sh before `node kiosk.mjs`.
set -euo pipefail
shopt -s inherit_errexit 2>/dev/null || true
cd "$(dirname "$0")/.."

BROWSER_TESTS=apps/kiosque/tests/browser

say() { printf 'browser-deps: %s\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if [ -x /usr/bin/chromium ]; then
  say "chromium already installed ($(/usr/bin/chromium --version 2>/dev/null || echo 'version unknown'))"
else
  say "installing chromium (Debian package)"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi

if ! command -v npm >/dev/null; then
  say "installing nodejs and npm (Debian packages)"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi

modules="$BROWSER_TESTS/node_modules"
lock="$BROWSER_TESTS/package-lock.json"
npm_ci() {
  say "npm ci in $BROWSER_TESTS ($1)"
  (cd "$BROWSER_TESTS" && npm ci --no-audit --no-fund)
  # The next run compares this date with the lock file's.
  touch "$modules"
}
if [ ! -d "$modules" ]; then
  npm_ci "no node_modules yet"
elif [ "$lock" -nt "$modules" ]; then
  npm_ci "package-lock.json is newer than node_modules"
else
  say "npm packages of $BROWSER_TESTS are up to date"
fi
