#!/usr/bin/env bash
# A private, throw-away ClickHouse (Debian's clickhouse-server 18.16) for tests and benchmarks.
#
#   scripts/clickhouse.sh start DIR PORT   HTTP on 127.0.0.1:PORT, native TCP on PORT+1, data in DIR
#   scripts/clickhouse.sh stop DIR         SIGTERM, wait (SIGKILL after 30 s)
#
# CH_NICE=19 starts it at that CPU priority, as deploy/systemd/clickhouse-server.service.d/csc.conf
# does for a ClickHouse on the same machine as csc (the benchmark measures it that way); CH_SCHED=idle
# starts it under the SCHED_IDLE policy (it runs only when no other process wants the processor).
# Starting again with the same DIR reuses its data (a restart). Listens on loopback only.
set -euo pipefail

_ch_port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# GET /ping without curl: answers "Ok." when the server is ready.
_ch_ping() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1" && printf 'GET /ping HTTP/1.0\r\n\r\n' >&3 && timeout 2 grep -q '^Ok\.' <&3) 2>/dev/null
}

start_clickhouse() {
    local dir=$1 port=$2
    local tcp_port=${CH_TCP_PORT:-$((port + 1))}
    local bin
    [ -n "$dir" ] && [ -n "$port" ] || { echo "usage: start_clickhouse DIR PORT" >&2; return 2; }
    local sched=()
    case "${CH_SCHED:-}" in
      "") ;;
      idle) sched=(chrt --idle 0) ;;
      *) echo "CH_SCHED: only 'idle' is known, not '$CH_SCHED'" >&2; return 2 ;;
    esac
    bin=$(command -v clickhouse-server || echo /usr/sbin/clickhouse-server)
    [ -x "$bin" ] || { echo "clickhouse-server not installed" >&2; return 1; }
    mkdir -p "$dir/data" "$dir/log" || return 1
    dir=$(cd "$dir" && pwd)

    if [ -f "$dir/clickhouse.pid" ] && kill -0 "$(cat "$dir/clickhouse.pid")" 2>/dev/null; then
        echo "clickhouse already running in $dir (pid $(cat "$dir/clickhouse.pid"))" >&2
        return 1
    fi
    local p
    for p in "$port" "$tcp_port"; do
        if _ch_port_busy "$p"; then echo "port $p already in use" >&2; return 1; fi
    done

    cat > "$dir/config.xml" <<EOF
<?xml version="1.0"?>
<yandex>
  <logger>
    <level>warning</level>
    <log>$dir/log/server.log</log>
    <errorlog>$dir/log/err.log</errorlog>
    <size>100M</size><count>2</count>
  </logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>$port</http_port>
  <tcp_port>$tcp_port</tcp_port>
  <path>$dir/data/</path>
  <tmp_path>$dir/data/tmp/</tmp_path>
  <user_files_path>$dir/data/user_files/</user_files_path>
  <format_schema_path>$dir/data/format_schemas/</format_schema_path>
  <users_config>$dir/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mark_cache_size>268435456</mark_cache_size>
  <uncompressed_cache_size>268435456</uncompressed_cache_size>
  <max_concurrent_queries>100</max_concurrent_queries>
  <mlock_executable>false</mlock_executable>
  <!-- 18.16: parts made outdated by a merge stay on disk old_parts_lifetime s (default 480);
       if their partition is dropped/truncated meanwhile, a restart resurrects them. -->
  <merge_tree><old_parts_lifetime>1</old_parts_lifetime></merge_tree>
</yandex>
EOF
    cat > "$dir/users.xml" <<'EOF'
<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>4000000000</max_memory_usage></default></profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
  </users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors>
    <result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time>
  </interval></default></quotas>
</yandex>
EOF

    "${sched[@]}" nice -n "${CH_NICE:-0}" "$bin" --config-file="$dir/config.xml" >>"$dir/log/stdout.log" 2>&1 </dev/null &
    local pid=$!
    echo "$pid" > "$dir/clickhouse.pid"

    local i
    for i in $(seq 1 300); do            # up to 30 s
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "clickhouse-server exited during startup; see $dir/log/" >&2
            tail -n 20 "$dir/log/err.log" "$dir/log/stdout.log" >&2 2>/dev/null
            rm -f "$dir/clickhouse.pid"
            return 1
        fi
        if _ch_ping "$port"; then
            return 0
        fi
        sleep 0.1
    done
    echo "clickhouse-server not ready after 30 s" >&2
    stop_clickhouse "$dir"
    return 1
}

stop_clickhouse() {
    local dir=$1 pid i
    [ -f "$dir/clickhouse.pid" ] || return 0
    pid=$(cat "$dir/clickhouse.pid")
    if kill -TERM "$pid" 2>/dev/null; then
        for i in $(seq 1 300); do        # up to 30 s, normally ~2 s
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$pid" 2>/dev/null; then
            kill -KILL "$pid" 2>/dev/null
            sleep 0.2
        fi
    fi
    wait "$pid" 2>/dev/null || true   # reap if it is our child (127 when it is not)
    rm -f "$dir/clickhouse.pid"
}

case "${1:-}" in
  start) start_clickhouse "${2:?DIR}" "${3:?PORT}" ;;
  stop) stop_clickhouse "${2:?DIR}" ;;
  *) echo "usage: $0 start DIR PORT | stop DIR" >&2; exit 2 ;;
esac
