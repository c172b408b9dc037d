#!/usr/bin/env bash
# The test command of the README.
#
#   cargo fmt --check, cargo clippy -D warnings, then the whole workspace test suite twice:
#   once on SQLite, once on PostgreSQL. The tests talk to real servers on loopback only:
#   - PostgreSQL: a throw-away cluster started here (Debian's package, installed when missing),
#     unless TEST_PG_URL names one already running;
#   - ClickHouse: a throw-away server (Debian's clickhouse-server 18.16, installed when missing),
#     unless TEST_CLICKHOUSE_URL names one already running;
#   - SMTP: Python's aiosmtpd (installed from PyPI when missing), started by the tests themselves
#     so that a test can stop and restart it;
#   - a browser: Debian's Chromium with playwright-core and axe-core from npm
#     (scripts/browser-deps.sh), for the kiosk's browser test, run in the SQLite pass.
#   Everything started here is stopped on exit. Exits non-zero on any failure.
set -euo pipefail
shopt -s inherit_errexit 2>/dev/null || true
cd "$(dirname "$0")/.."

log() { printf '\n== %s\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=0
apt_install() {
  if [ "$apt_updated" -eq 0 ]; then
    as_root apt-get update -qq
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

STARTED_PG_DIR=""
STARTED_CH_DIR=""
RESULTS=""
cleanup() {
  # Also when a test failed and `set -e` ended the script before the count.
  if [ -n "$RESULTS" ]; then
    rm -f "$RESULTS"
  fi
  if [ -n "$STARTED_CH_DIR" ]; then
    log "stopping the test ClickHouse"
    bash scripts/clickhouse.sh stop "$STARTED_CH_DIR" || true
    rm -rf "$STARTED_CH_DIR"
  fi
  if [ -n "$STARTED_PG_DIR" ]; then
    log "stopping the test PostgreSQL"
    bash scripts/postgres.sh stop "$STARTED_PG_DIR"
    rm -rf "$STARTED_PG_DIR"
  fi
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

start_postgres() {
  STARTED_PG_DIR=$(mktemp -d /tmp/csc-test-pg.XXXXXX)
  local port
  port=$(free_port)
  log "starting a throw-away PostgreSQL on 127.0.0.1:$port"
  TEST_PG_URL=$(bash scripts/postgres.sh start "$STARTED_PG_DIR" "$port")
}

start_clickhouse() {
  if ! command -v clickhouse-server >/dev/null && [ ! -x /usr/sbin/clickhouse-server ]; then
    log "installing ClickHouse (Debian package clickhouse-server)"
    apt_install clickhouse-server
  fi
  STARTED_CH_DIR=$(mktemp -d /tmp/csc-test-ch.XXXXXX)
  local port
  port=$(free_port)
  log "starting a throw-away ClickHouse on 127.0.0.1:$port"
  CH_TCP_PORT=$(free_port) bash scripts/clickhouse.sh start "$STARTED_CH_DIR" "$port"
  TEST_CLICKHOUSE_URL="http://127.0.0.1:$port"
}

log "checking tools"
command -v cargo >/dev/null || { echo "cargo is needed (https://rustup.rs)"; exit 1; }
if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
  rustup component add rustfmt clippy
fi
command -v python3 >/dev/null || apt_install python3 python3-pip
if ! python3 -c 'import aiosmtpd' 2>/dev/null; then
  log "installing aiosmtpd (PyPI) for the SMTP test server"
  python3 -m pip install --quiet aiosmtpd 2>/dev/null || python3 -m pip install --quiet --break-system-packages aiosmtpd
fi

log "browser test dependencies"
bash scripts/browser-deps.sh

log "cargo fmt --check"
cargo fmt --all --check

log "cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

log "building the tests"
cargo test --workspace --locked --no-run

if [ -z "${TEST_CLICKHOUSE_URL:-}" ]; then
  start_clickhouse
fi
export TEST_CLICKHOUSE_URL

RESULTS=$(mktemp /tmp/csc-test-results.XXXXXX)
run_tests() {
  # Keep cargo's own output, and count the results for the closing line.
  TEST_DATABASE_URL="$1" BROWSER_TESTS="$2" cargo test --workspace --locked 2>&1 | tee -a "$RESULTS"
}

log "tests on SQLite (and the browser test)"
run_tests "" 1

if [ -z "${TEST_PG_URL:-}" ]; then
  start_postgres
fi
log "tests on PostgreSQL"
run_tests "$TEST_PG_URL" ""

read -r passed failed < <(awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } } END { print p+0, f+0 }' "$RESULTS")
log "all tests passed on SQLite and PostgreSQL"
echo "total: $passed passed, $failed failed"
