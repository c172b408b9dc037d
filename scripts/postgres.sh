#!/usr/bin/env bash
# A private, throw-away PostgreSQL (Debian's package) for tests and benchmarks.
#
#   scripts/postgres.sh start DIR PORT   cluster in DIR, on 127.0.0.1:PORT only; prints its URL
#   scripts/postgres.sh createdb URL NAME  a new database on that server; prints its URL
#   scripts/postgres.sh stop DIR         fast shutdown
#
# Installs the Debian package when missing. PostgreSQL refuses to run as root: the postgres account
# runs it then. Durability is switched off (fsync): the data is thrown away.
set -euo pipefail

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
run_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pg_bin() {
  if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
    echo "installing PostgreSQL (Debian package)" >&2
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  fi
  ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1
}

case "${1:-}" in
  start)
    dir=$2 port=$3
    bin=$(pg_bin)
    mkdir -p "$dir"
    chmod 755 "$dir"
    if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir"; fi
    run_pg "$bin/initdb" -D "$dir/data" -U csc --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    run_pg "$bin/pg_ctl" -D "$dir/data" -w -l "$dir/log" \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c full_page_writes=off -c max_connections=300" \
      start >/dev/null
    echo "postgres://csc@127.0.0.1:$port/postgres"
    ;;
  createdb)
    url=$2 name=$3
    port=${url##*:}; port=${port%%/*}
    "$(pg_bin)/createdb" -h 127.0.0.1 -p "$port" -U csc "$name"
    echo "${url%/*}/$name"
    ;;
  stop)
    dir=$2
    bin=$(pg_bin)
    run_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    ;;
  *)
    echo "usage: $0 start DIR PORT | stop DIR" >&2
    exit 2
    ;;
esac
