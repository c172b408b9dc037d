#!/usr/bin/env bash
# Benchmarks of the statistics pipeline (figures recorded in docs/performance.md).
#
#   1. Ingestion: the collector -> writer -> ClickHouse pipeline vs a raw batched insert of the same
#      number of rows by the clickhouse crate, in the same run (cargo bench -p csc-stats --bench ingest).
#   2. HTTP: the release `csc serve` under wrk, the same page (GET /) on two servers at once, one with
#      the collector (and ClickHouse) and one without, each group of processes given the same share
#      of the processors (cpu cgroups; needs root or sudo), in 30 windows of 40 s (BENCH_WINDOWS,
#      BENCH_RUN_SECS) after 3 unmeasured ones (BENCH_WARM_WINDOWS); then page views recorded end
#      to end into ClickHouse by the server alone; and the instructions per request of both
#      (callgrind: repeatable where the wall clock drifts).
#   3. Kiosque: the portal page of a centre with the whole starting catalogue (43 procedures), as
#      deployed (statistics on, in the SQL database), on SQLite and on PostgreSQL, against a bare
#      actix-web handler returning the same bytes (apps/kiosque/benches/bare_page.rs), alternated
#      3 times each: throughput and p99 latency. Target: at least 40 % of the bare figure. A last row
#      runs PostgreSQL with the statistics in ClickHouse, and with statistics off.
#
#   BENCH_ONLY=kiosque scripts/bench.sh   runs section 3 only.
#   BENCH_ONLY=stats scripts/bench.sh     runs sections 1 and 2 only.
#   BENCH_ONLY=http scripts/bench.sh      runs section 2 only.
#   BENCH_CH_NICE=19 scripts/bench.sh     ClickHouse at a low CPU priority, as in deploy/systemd/.
#   BENCH_CH_SCHED=idle scripts/bench.sh ClickHouse under the SCHED_IDLE policy.
#   BENCH_WINDOWS=60 scripts/bench.sh     more measured windows in section 2 (30 by default).
#   BENCH_RUN_SECS=20 scripts/bench.sh    shorter windows in section 2 (40 s by default).
#   BENCH_WARM_WINDOWS=0 scripts/bench.sh no unmeasured windows before them (3 by default).
#   BENCH_AA=1 scripts/bench.sh           section 2 as a control: the collector off on both servers.
#   BENCH_ONLY=memory scripts/bench.sh    runs section 4 only.
#   BENCH_ONLY=animconnect scripts/bench.sh runs section 5 only.
#   4. Memory: the peak resident memory of `csc serve` while wrk -c64 loads the portal for 60 s
#      (BENCH_MEMORY_SECS), statistics in SQLite, in ClickHouse, and with ClickHouse stopped
#      during the load (events spooled). Target: under 256 MiB.
#   5. Anim'Connect: the library search over 10,000 shared sheets (apps/animconnect/benches/seed.rs),
#      six queries in turn, 16 connections signed in as the demo admin: p99 under 50 ms, SQLite and
#      PostgreSQL; and a group's week page (5 days x 5 slots, with its staffing check) against the
#      bare handler serving the same bytes: at least 40 %.
#
# Everything runs on 127.0.0.1 only; the ClickHouse and the server started here are stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
# Where cargo builds (CARGO_TARGET_DIR when set).
TARGET=${CARGO_TARGET_DIR:-target}

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
need() {
  if ! command -v "$1" >/dev/null && [ ! -x "/usr/sbin/$1" ]; then
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "$2" >/dev/null
  fi
}
need wrk wrk
need clickhouse-server clickhouse-server

# Every request carries a common browser's user agent, as real visitors' do (the collector reads
# it on every page; wrk sends none by default).
UA="Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0"
wrk() { command wrk -H "User-Agent: $UA" "$@"; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

WORK=$(mktemp -d /tmp/csc-bench.XXXXXX)
SERVER_PID=""
PG_DIR=""
cleanup() {
  # shellcheck disable=SC2086 # one or two pids
  [ -n "$SERVER_PID" ] && kill $SERVER_PID 2>/dev/null && wait $SERVER_PID 2>/dev/null || true
  bash scripts/clickhouse.sh stop "$WORK/ch" || true
  if declare -F cg_remove >/dev/null; then cg_remove; fi
  if [ -n "$PG_DIR" ]; then bash scripts/postgres.sh stop "$PG_DIR"; rm -rf "$PG_DIR"; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

CH_PORT=$(free_port)
# BENCH_CH_NICE=19 runs ClickHouse at the low CPU priority that
# deploy/systemd/clickhouse-server.service.d/csc.conf gives it in production; by default it runs
# at the same priority as the server (the worst case for the collector's cost).
CH_TCP=$(free_port)
CH_SCHED=${BENCH_CH_SCHED:-} CH_NICE=${BENCH_CH_NICE:-0} CH_TCP_PORT=$CH_TCP bash scripts/clickhouse.sh start "$WORK/ch" "$CH_PORT"
CH="http://127.0.0.1:$CH_PORT"
ch_query() { python3 -c 'import sys,urllib.request; print(urllib.request.urlopen(sys.argv[1], data=sys.argv[2].encode()).read().decode().strip())' "$CH/" "$1"; }

echo "== building (release)"
cargo build --release --locked -p csc 2>&1 | tail -n 1

PORT=$(free_port)
stop_server() { kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""; }
# The writer writes a batch when it has 1,000,000 events or every 20 s (STATS_BATCH_SIZE,
# STATS_FLUSH_MILLIS): after a load, the wait for its last batch to be written (longer under
# valgrind). And the warm-up before a measured run of one server alone lasts one such interval:
# the writer's timer then falls anywhere in the measured run, as under steady load.
FLUSH_WAIT=21
WARM=20
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

if [ "${BENCH_ONLY:-}" != kiosque ] && [ "${BENCH_ONLY:-}" != memory ] && [ "${BENCH_ONLY:-}" != animconnect ]; then
if [ "${BENCH_ONLY:-}" != http ]; then
  echo
  echo "== 1. ingestion: pipeline vs raw insert"
  BENCH_CLICKHOUSE_URL="$CH" cargo bench --locked -p csc-stats --bench ingest 2>/dev/null | grep '^|'
fi

# Two servers, one with the collector and one without, loaded at the same time, each in a cpu
# cgroup of the same weight with its own wrk (and ClickHouse with the collector's server): under
# full load each group gets half of the machine, however fast the machine is meanwhile, so the
# requests each half serves in the same window compare the page's cost with and without the
# statistics, ClickHouse's work included. Until session 16 the two servers ran one after the
# other, in pairs of runs: the machine's speed moves by several per cent from one run to the
# next, more than the cost being measured, and pairing runs a minute apart did not remove it.
# Which group holds which server, and which wrk starts first, alternate from window to window.
# BENCH_AA=1 runs the same with the collector off in both (a control: its mean must be near 0).
CG="csc-bench-$$"
CG_DIRS=(/sys/fs/cgroup/cpu /sys/fs/cgroup/cpuacct)
if [ ! -f /sys/fs/cgroup/cpu/cpu.shares ] || [ ! -f /sys/fs/cgroup/cpuacct/cpuacct.usage ]; then
  echo "section 2 needs the cpu and cpuacct controllers of cgroup v1 in /sys/fs/cgroup"; exit 1
fi
cg_join() { local d; for d in "${CG_DIRS[@]}"; do echo "$2" | as_root tee "$d/$CG/$1/cgroup.procs" >/dev/null; done; }
cg_usage() { cat "/sys/fs/cgroup/cpuacct/$CG/$1/cpuacct.usage"; } # nanoseconds
cg_remove() { # what is still in the groups goes back to the root group
  local d g p
  for d in "${CG_DIRS[@]}"; do
    [ -d "$d/$CG" ] || continue
    for g in x y; do
      for p in $(cat "$d/$CG/$g/cgroup.procs"); do echo "$p" | as_root tee "$d/cgroup.procs" >/dev/null || true; done
      as_root rmdir "$d/$CG/$g"
    done
    as_root rmdir "$d/$CG"
  done
}
for d in "${CG_DIRS[@]}"; do as_root mkdir -p "$d/$CG/x" "$d/$CG/y"; done
AA=${BENCH_AA:-}

declare -A HTTP_PORT HTTP_PID GROUP
start_http() { # $1 = name, $2 = STATS_ENABLED
  local port; port=$(free_port)
  mkdir -p "$WORK/$1"
  DATA_DIR="$WORK/$1" DATABASE_URL="sqlite://$WORK/$1/csc.sqlite" BIND="127.0.0.1:$port" \
    CLICKHOUSE_URL="$CH/bench_http_$1" STATS_ENABLED="$2" RUST_LOG=warn \
    "$TARGET"/release/csc serve >"$WORK/$1.log" 2>&1 &
  HTTP_PID[$1]=$!; HTTP_PORT[$1]=$port
  for _ in $(seq 1 100); do
    python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/readyz')" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "server did not start"; cat "$WORK/$1.log"; exit 1
}
# "requests/s requests" of one wrk run of $2 on server $1, wrk in the server's group.
load() {
  (cg_join "${GROUP[$1]}" "$BASHPID"; exec wrk -H "User-Agent: $UA" -t1 -c32 -d"$2" "http://127.0.0.1:${HTTP_PORT[$1]}/") |
    awk '/requests in/ { n = $1 } /Requests\/sec/ { r = $2 } END { printf "%.0f %d\n", r, n }'
}
stored() { ch_query "SELECT count() FROM bench_http_on.stats_events" 2>/dev/null || echo 0; }
# $1 = group of the server with the collector, $2 = the other's.
assign() {
  GROUP[on]=$1; GROUP[off]=$2
  cg_join "$1" "${HTTP_PID[on]}"; cg_join "$2" "${HTTP_PID[off]}"
  [ -n "$AA" ] || cg_join "$1" "$CH_PID"
}
CH_PID=$(cat "$WORK/ch/clickhouse.pid")
ch_ticks() { awk '{ print $14 + $15 }' "/proc/$CH_PID/stat"; }
# One window of $1 seconds, wrk of server $2 started first; appends
# "requests/s requests cpu_ns" of each server and ClickHouse's ticks to $WORK/windows.
window() {
  local first=$2 second=on a b u0 v0 c0
  [ "$first" = on ] && second=off
  u0=$(cg_usage "${GROUP[on]}"); v0=$(cg_usage "${GROUP[off]}"); c0=$(ch_ticks)
  load "$first" "$1" >"$WORK/$first.out" & a=$!
  load "$second" "$1" >"$WORK/$second.out" & b=$!
  wait "$a" "$b"
  echo "$(cat "$WORK/on.out") $(($(cg_usage "${GROUP[on]}") - u0)) $(cat "$WORK/off.out") $(($(cg_usage "${GROUP[off]}") - v0)) $(($(ch_ticks) - c0))" >>"$WORK/windows"
}
WINDOWS=${BENCH_WINDOWS:-30}
RUN=${BENCH_RUN_SECS:-40}
WARM_WINDOWS=${BENCH_WARM_WINDOWS:-3}
echo
echo "== 2. HTTP page views (GET /, two servers at once, half of the machine each; $WARM_WINDOWS windows of $RUN s unmeasured, then $WINDOWS measured)${AA:+ — control: collector off in both}"
if [ -n "$AA" ]; then start_http on false; else start_http on true; fi
start_http off false
SERVER_PID="${HTTP_PID[on]} ${HTTP_PID[off]}"
for w in $(seq 1 $((WARM_WINDOWS + WINDOWS))); do
  if [ "$w" -eq $((WARM_WINDOWS + 1)) ]; then : >"$WORK/windows"; fi
  if [ $((w % 2)) -eq 1 ]; then assign x y; else assign y x; fi
  if [ $(((w + 1) / 2 % 2)) -eq 1 ]; then window "${RUN}s" on; else window "${RUN}s" off; fi
done
python3 - "$(getconf CLK_TCK)" "$WORK/windows" <<'PY'
import statistics as s, sys
hz = int(sys.argv[1])
rows = [[float(x) for x in line.split()] for line in open(sys.argv[2])]
cost = [100 * (r[3] - r[0]) / r[3] for r in rows]
# Processor time of each group (server, its wrk, and ClickHouse with the collector) per request.
us_on = [r[2] / 1e3 / r[1] for r in rows]
us_off = [r[5] / 1e3 / r[4] for r in rows]
ch = [r[6] / hz for r in rows]
share = [100 * r[2] / (r[2] + r[5]) for r in rows]
print("| fenêtre | collecteur : req/s | sans : req/s | coût | µs de processeur par requête (avec / sans) | ClickHouse (s) |")
print("|---|---|---|---|---|---|")
for i, r in enumerate(rows):
    print(f"| {i + 1} | {r[0]:.0f} | {r[3]:.0f} | {cost[i]:.1f} % | {us_on[i]:.2f} / {us_off[i]:.2f} | {ch[i]:.2f} |")
n, m = len(cost), s.mean(cost)
sem = s.stdev(cost) / n ** 0.5
# Student's t by the Cornish-Fisher expansion (within 1 % of the exact value from 10 windows on).
z, df = 1.959964, n - 1
t = z + (z**3 + z) / (4 * df) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)
print(f"coût moyen : {m:.1f} % ± {sem:.1f} (erreur type), intervalle à 95 % : {m - t * sem:.1f} à {m + t * sem:.1f} % "
      f"({n} fenêtres, médiane {s.median(cost):.1f} %, écart type {s.stdev(cost):.1f})")
print(f"part du processeur du groupe avec collecteur : {s.mean(share):.1f} % ({min(share):.1f} à {max(share):.1f}) ; "
      f"ClickHouse : {s.mean(ch):.2f} s par fenêtre en moyenne")
PY

# End to end: the server with the collector alone (the other idle), page views sent against
# rows in ClickHouse once the writer has written its last batch.
kill "${HTTP_PID[off]}"; wait "${HTTP_PID[off]}" 2>/dev/null || true; SERVER_PID=${HTTP_PID[on]}
if [ -z "$AA" ]; then
  sleep "$FLUSH_WAIT"
  # The series leaves tens of millions of rows, whose merges would go on during this run: it starts
  # from an empty table, as section 1 does.
  ch_query "TRUNCATE TABLE bench_http_on.stats_events" >/dev/null
  before=$(stored)
  read -r _ w < <(load on "${WARM}s"); read -r r n < <(load on "${RUN}s")
  sleep "$FLUSH_WAIT"
  after=$(stored)
  echo "de bout en bout (serveur avec collecteur seul, $RUN s) : $r requêtes/s ; pages vues servies $((w + n)), enregistrées dans ClickHouse $((after - before)) ; soit $(python3 -c "print(round($r * min(1, ($after - $before) / max($w + $n, 1))))") événements/s"
fi
kill "${HTTP_PID[on]}"; wait "${HTTP_PID[on]}" 2>/dev/null || true; SERVER_PID=""
fi

# The same comparison counted in instructions (callgrind), which this machine's drift does not
# move: the server under valgrind, counters zeroed after a warm-up and its batch, 10 s of load,
# then 25 s for the writer's last batch, the whole process counted (workers, writer) and divided
# by the requests.
instructions() { # $1 = STATS_ENABLED -> instructions per request
  local port out pid n total
  port=$(free_port); out="$WORK/callgrind.$1"
  rm -rf "$WORK/cg"; mkdir -p "$WORK/cg"
  DATA_DIR="$WORK/cg" DATABASE_URL="sqlite://$WORK/cg/csc.sqlite" BIND="127.0.0.1:$port" \
    CLICKHOUSE_URL="$CH/bench_callgrind_$1" STATS_ENABLED="$1" RUST_LOG=warn \
    valgrind --tool=callgrind --callgrind-out-file="$out" "$TARGET"/release/csc serve >"$WORK/cg.log" 2>&1 &
  pid=$!; SERVER_PID=$pid
  for _ in $(seq 1 600); do
    python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/readyz')" 2>/dev/null && break
    sleep 0.2
  done
  wrk -t1 -c8 -d5s "http://127.0.0.1:$port/" >/dev/null
  sleep $((FLUSH_WAIT + 4))
  callgrind_control -z "$pid" >/dev/null 2>&1
  n=$(wrk -t1 -c8 -d10s "http://127.0.0.1:$port/" | awk '/requests in/ { print $1 }')
  sleep $((FLUSH_WAIT + 4))
  callgrind_control -d "$pid" >/dev/null 2>&1; sleep 1
  # The dump just asked for (valgrind writes another one, of the shutdown only, when it exits).
  total=$(callgrind_annotate "$(ls -t "$out".* | head -n 1)" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }')
  kill "$pid"; wait "$pid" 2>/dev/null || true; SERVER_PID=""
  echo $((total / n))
}
if [ "${BENCH_ONLY:-}" != kiosque ] && [ "${BENCH_ONLY:-}" != memory ] && [ "${BENCH_ONLY:-}" != animconnect ]; then
  need valgrind valgrind
  I_ON=$(instructions true); I_OFF=$(instructions false)
  echo "instructions par requête (callgrind) : $I_ON avec collecteur, $I_OFF sans ($(python3 -c "print(f'{100 * ($I_ON - $I_OFF) / $I_OFF:+.1f} %')"))"
fi
case "${BENCH_ONLY:-}" in stats | http) exit 0 ;; esac
PG_DIR=""

PORTAL="/kiosque/c/arbrisseau"
wait_ready() {
  for _ in $(seq 1 100); do
    python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT$1')" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "server did not start"; cat "$WORK/server.log"; exit 1
}
start_suite() { # $1 = DATABASE_URL, $2 = STATS_ENABLED, $3 = CLICKHOUSE_URL (may be empty)
  rm -rf "$WORK/data"; mkdir -p "$WORK/data"
  DATA_DIR="$WORK/data" DATABASE_URL="$1" STATS_ENABLED="$2" CLICKHOUSE_URL="$3" BIND="127.0.0.1:$PORT" RUST_LOG=warn \
    "$TARGET"/release/csc serve --demo >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  wait_ready /readyz
}
start_bare() {
  BARE_PORT=$PORT BARE_PAGE="$WORK/portal.html" "$BARE" >"$WORK/bare.log" 2>&1 &
  SERVER_PID=$!
  wait_ready /
}

if [ "${BENCH_ONLY:-}" != memory ] && [ "${BENCH_ONLY:-}" != animconnect ]; then
echo
echo "== 3. kiosque: portal page (43 procedures) vs a bare actix-web handler (32 connections, 10 s per run)"
cargo build --release --locked -p csc-kiosque --bench bare_page 2>&1 | tail -n 1
BARE=$(find "$TARGET"/release/deps -maxdepth 1 -type f -executable -name 'bare_page-*' -printf '%T@ %p\n' | sort -n | tail -n 1 | cut -d' ' -f2)
PG_DIR=$(mktemp -d /tmp/csc-bench-pg.XXXXXX)   # not under $WORK: the postgres account must reach it
PG_URL=$(bash scripts/postgres.sh start "$PG_DIR" "$(free_port)")
# "requests/s p99" of one wrk run on the portal's path.
measure() {
  wrk -t1 -c32 -d10s --latency "http://127.0.0.1:$PORT$PORTAL" |
    awk '/Requests\/sec/ { r = $2 } $1 == "99%" { l = $2 } END { printf "%.0f %s\n", r, l }'
}
echo "| base | portail : req/s (3 essais) | p99 | page nue : req/s (3 essais) | p99 | portail / page nue |"
echo "|---|---|---|---|---|---|"
# The last rows show what the statistics cost: page views written to the same PostgreSQL, to
# ClickHouse (as in production), or not recorded.
for backend in sqlite postgres postgres-statistiques-clickhouse postgres-sans-statistiques; do
  stats=true; [ "$backend" = postgres-sans-statistiques ] && stats=false
  ch=""; [ "$backend" = postgres-statistiques-clickhouse ] && ch="$CH/bench_portal"
  portal=(); bare=(); portal_p99=(); bare_p99=()
  for round in 1 2 3; do
    if [ "$backend" = sqlite ]; then url="sqlite://$WORK/data/csc.sqlite"; else
      url=$(bash scripts/postgres.sh createdb "$PG_URL" "bench_${stats}_${ch:+ch_}$round")
    fi
    start_suite "$url" "$stats" "$ch"
    python3 -c "import urllib.request,sys; open(sys.argv[2],'wb').write(urllib.request.urlopen(sys.argv[1]).read())" \
      "http://127.0.0.1:$PORT$PORTAL" "$WORK/portal.html"
    wrk -t1 -c32 -d2s "http://127.0.0.1:$PORT$PORTAL" >/dev/null   # warm-up
    read -r r l < <(measure); portal+=("$r"); portal_p99+=("$l")
    stop_server
    start_bare
    wrk -t1 -c32 -d2s "http://127.0.0.1:$PORT$PORTAL" >/dev/null
    read -r r l < <(measure); bare+=("$r"); bare_p99+=("$l")
    stop_server
  done
  P=$(median "${portal[@]}"); B=$(median "${bare[@]}")
  echo "| $backend | ${portal[*]} (médiane $P) | ${portal_p99[*]} | ${bare[*]} (médiane $B) | ${bare_p99[*]} | $(python3 -c "print(f'{100 * $P / $B:.0f} %')") |"
done
echo "page servie : $(wc -c <"$WORK/portal.html") octets"
fi

if [ -z "${BENCH_ONLY:-}" ] || [ "${BENCH_ONLY:-}" = memory ]; then
  echo
  MEM_SECS=${BENCH_MEMORY_SECS:-60}
  echo "== 4. memory: peak resident memory of csc serve, wrk -c64 on the portal for ${MEM_SECS} s (target: under 256 MiB)"
  echo "| statistiques | req/s | mémoire résidente maximale |"
  echo "|---|---|---|"
  for where in sqlite clickhouse clickhouse-arrete; do
    ch=""; [ "$where" != sqlite ] && ch="$CH/bench_memory"
    start_suite "sqlite://$WORK/data/csc.sqlite" true "$ch"
    [ "$where" = clickhouse-arrete ] && bash scripts/clickhouse.sh stop "$WORK/ch" >/dev/null
    r=$(wrk -t1 -c64 -d"${MEM_SECS}s" "http://127.0.0.1:$PORT$PORTAL" | awk '/Requests\/sec/ { printf "%.0f", $2 }')
    peak=$(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$SERVER_PID/status")
    stop_server
    if [ "$where" = clickhouse-arrete ]; then
      CH_TCP_PORT=$CH_TCP bash scripts/clickhouse.sh start "$WORK/ch" "$CH_PORT" >/dev/null
    fi
    echo "| $where | $r | $peak MiB |"
  done
fi

if [ -z "${BENCH_ONLY:-}" ] || [ "${BENCH_ONLY:-}" = animconnect ]; then
  echo
  echo "== 5. Anim'Connect: library search over 10,000 sheets (16 connections, 10 s) and a week page vs the bare handler"
  cargo build --release --locked -p csc-kiosque --bench bare_page 2>&1 | tail -n 1
  BARE=$(find "$TARGET"/release/deps -maxdepth 1 -type f -executable -name 'bare_page-*' -printf '%T@ %p\n' | sort -n | tail -n 1 | cut -d' ' -f2)
  cargo build --release --locked -p csc-animconnect --bench seed 2>&1 | tail -n 1
  SEED=$(find "$TARGET"/release/deps -maxdepth 1 -type f -executable -name 'seed-*' -printf '%T@ %p\n' | sort -n | tail -n 1 | cut -d' ' -f2)
  if [ -z "${PG_DIR:-}" ]; then
    PG_DIR=$(mktemp -d /tmp/csc-bench-pg.XXXXXX)
    PG_URL=$(bash scripts/postgres.sh start "$PG_DIR" "$(free_port)")
  fi
  cat >"$WORK/search.lua" <<'LUA'
local paths = {
  "/animconnect/fiches?q=relais",
  "/animconnect/fiches?age=8&theme=cooperation",
  "/animconnect/fiches?q=pate+sel&lieu=dedans",
  "/animconnect/fiches?duree=45&enfants=12&pluie=1",
  "/animconnect/fiches?tri=note",
  "/animconnect/fiches?q=tresor&age=10&tri=usage",
}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
LUA
  # The demo admin's session cookies, signed in through the form (password from the demo's output).
  signin() {
    python3 - "http://127.0.0.1:$PORT" "$1" "$2" <<'PY'
import http.cookiejar, re, sys, urllib.parse, urllib.request
base, email, password = sys.argv[1:4]
jar = http.cookiejar.CookieJar()
op = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
op.open(base + "/connexion").read()
token = next(c.value for c in jar if c.name == "csc_csrf")
data = urllib.parse.urlencode({"email": email, "password": password, "csrf_token": token}).encode()
op.open(base + "/connexion", data=data).read()
print("; ".join(f"{c.name}={c.value}" for c in jar))
PY
  }
  echo "| base | recherche : req/s | p50 | p99 | semaine : req/s | page nue : req/s | semaine / page nue |"
  echo "|---|---|---|---|---|---|---|"
  for backend in sqlite postgres; do
    if [ "$backend" = sqlite ]; then url="sqlite://$WORK/data/csc.sqlite"; else
      url=$(bash scripts/postgres.sh createdb "$PG_URL" "bench_animconnect")
    fi
    start_suite "$url" true ""
    mapfile -t pages < <(DATABASE_URL="$url" BENCH_CENTRE=arbrisseau "$SEED")
    week="${pages[1]}"
    pw=$(awk '$1 == "admin@demo.csc.test" { print $2 }' "$WORK/server.log")
    cookie=$(signin admin@demo.csc.test "$pw")
    wrk -t1 -c16 -d2s -s "$WORK/search.lua" -H "Cookie: $cookie" "http://127.0.0.1:$PORT" >/dev/null
    read -r sr s50 s99 < <(wrk -t1 -c16 -d10s --latency -s "$WORK/search.lua" -H "Cookie: $cookie" "http://127.0.0.1:$PORT" |
      awk '/Requests\/sec/ { r = $2 } $1 == "50%" { m = $2 } $1 == "99%" { l = $2 } END { printf "%.0f %s %s\n", r, m, l }')
    python3 -c "import urllib.request,sys; r=urllib.request.Request(sys.argv[1], headers={'Cookie': sys.argv[3]}); open(sys.argv[2],'wb').write(urllib.request.urlopen(r).read())" \
      "http://127.0.0.1:$PORT$week" "$WORK/portal.html" "$cookie"
    wrk -t1 -c32 -d2s -H "Cookie: $cookie" "http://127.0.0.1:$PORT$week" >/dev/null
    wr=$(wrk -t1 -c32 -d10s -H "Cookie: $cookie" "http://127.0.0.1:$PORT$week" | awk '/Requests\/sec/ { printf "%.0f", $2 }')
    stop_server
    start_bare
    wrk -t1 -c32 -d2s "http://127.0.0.1:$PORT/" >/dev/null
    br=$(wrk -t1 -c32 -d10s "http://127.0.0.1:$PORT/" | awk '/Requests\/sec/ { printf "%.0f", $2 }')
    stop_server
    echo "| $backend | $sr | $s50 | $s99 | $wr | $br | $(python3 -c "print(f'{100 * $wr / $br:.0f} %')") |"
  done
  echo "page de la semaine : $(wc -c <"$WORK/portal.html") octets"
fi
