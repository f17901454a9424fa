#!/usr/bin/env bash
# The recorder under load, next to its baselines in the same run:
#   wrk at 1 and 16 keep-alive connections against nginx serving a 20-model list-models JSON
#   directly, through `tapedeck record`, through nginx as a reverse proxy (`proxy_pass` to a
#   keep-alive upstream, one worker), through `mitmdump` in reverse-proxy mode, and through
#   the three floors of `tapedeck-proxy-floor` (NIO alone; NIO and the core's recorder; NIO's
#   server and AsyncHTTPClient), which split tapedeck's CPU per request into its parts;
# then one 200 MB streamed answer through `tapedeck record`, for its peak memory.
#
#   Benchmarks/recorder.sh                 # 3 runs of 10 s per point
#   RUNS=1 DURATION=5 Benchmarks/recorder.sh
#   TAPEDECK_BIN=/path/to/older/tapedeck Benchmarks/recorder.sh   # the same figures for another build
#   FLOOR_BIN=/path/to/tapedeck-proxy-floor ...                     # a floor already built
#
# Installs what it needs when missing: nginx and wrk (apt-get), mitmproxy (PyPI, in a venv under
# .build-bench/). Prints req/s, the ratio to direct, p50 and p50 added, non-2xx answers and
# socket errors, each proxy's CPU time per request (user + system, from /proc/PID/stat read
# just before and after the timed run, warm-up excluded) and its ratio to nginx's, and each
# proxy's peak memory (VmHWM). Everything binds 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-"1 16"}
STREAM_MB=${STREAM_MB:-200}

say() { printf '%s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ] || ! command -v wrk >/dev/null; then
    say "installing nginx and wrk (apt-get)"
    as_root apt-get update -q >/dev/null
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx-light wrk >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
VENV=.build-bench/venv
if [ ! -x "$VENV/bin/mitmdump" ]; then
    say "installing mitmproxy into $VENV (PyPI)"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q mitmproxy
fi
if [ -n "${TAPEDECK_BIN:-}" ]; then
    TAPEDECK=$TAPEDECK_BIN  # another build to compare, e.g. an older commit's
else
    say "building tapedeck (release)"
    swift build -c release --product tapedeck-cli >&2
    TAPEDECK=$(swift build -c release --show-bin-path)/tapedeck-cli
fi
if [ -n "${FLOOR_BIN:-}" ]; then
    FLOOR=$FLOOR_BIN
else
    say "building tapedeck-proxy-floor (release)"
    swift build -c release --product tapedeck-proxy-floor >&2
    FLOOR=$(swift build -c release --show-bin-path)/tapedeck-proxy-floor
fi

WORK=$(mktemp -d)
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
    [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
    [ -f "$WORK/nginx-proxy/nginx.pid" ] && kill "$(cat "$WORK/nginx-proxy/nginx.pid")" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for() {  # URL: until it answers, 20 s at most
    for _ in $(seq 200); do curl -s -o /dev/null "$1" && return 0; sleep 0.1; done
    say "nothing answers at $1"; return 1
}
calc() { awk "BEGIN { printf \"%.${2:-2}f\", $1 }"; }
peak_kib() {  # pids...: the largest VmHWM among them
    local peak=0 value
    for pid in "$@"; do
        value=$(awk '/VmHWM/ { print $2 }' "/proc/$pid/status" 2>/dev/null || echo 0)
        [ "${value:-0}" -gt "$peak" ] && peak=$value
    done
    echo "$peak"
}
TICKS=$(getconf CLK_TCK)
cpu_ticks() {  # pids...: user + system time of each, summed, in clock ticks
    local total=0 ticks
    for pid in "$@"; do
        ticks=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$pid/stat" 2>/dev/null || echo 0)
        total=$((total + ${ticks:-0}))
    done
    echo "$total"
}

# The upstream: nginx, one worker, a static list-models answer and a large event stream.
mkdir -p "$WORK/www/v1" "$WORK/logs"
python3 - "$WORK/www" "$STREAM_MB" <<'EOF'
import json, sys
root, megabytes = sys.argv[1], int(sys.argv[2])
models = [{"id": f"model-{n:02d}", "object": "model", "created": 1700000000 + n, "owned_by": "benchmark"} for n in range(20)]
open(f"{root}/v1/models", "w").write(json.dumps({"object": "list", "data": models}))
with open(f"{root}/v1/stream", "w") as out:
    n, size = 0, 0
    while size < megabytes * 1_000_000:
        line = 'data: {"id":"chatcmpl-%d","choices":[{"delta":{"content":"token %d of a long answer"}}]}\n\n' % (n, n)
        out.write(line); size += len(line); n += 1
EOF
chmod -R a+rX "$WORK"
NGINX_PORT=$(free_port)
cat > "$WORK/nginx.conf" <<EOF
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/logs/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    keepalive_requests 1000000;
    client_body_temp_path $WORK/logs; proxy_temp_path $WORK/logs; fastcgi_temp_path $WORK/logs;
    uwsgi_temp_path $WORK/logs; scgi_temp_path $WORK/logs;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $WORK/www;
        location = /v1/models { default_type application/json; }
        location = /v1/stream { default_type text/event-stream; }
    }
}
EOF
"$NGINX" -p "$WORK" -c "$WORK/nginx.conf"
DIRECT="http://127.0.0.1:$NGINX_PORT"
wait_for "$DIRECT/v1/models"

start_tapedeck() {  # cassette file; sets PROXY_URL and PROXY_PID
    local log="$WORK/tapedeck-$RANDOM.log"
    PROXY_LOG=$log
    "$TAPEDECK" record --upstream "$DIRECT" --cassette "$1" --overwrite --port 0 >"$log" 2>&1 &
    PROXY_PID=$!; PIDS+=("$PROXY_PID")
    for _ in $(seq 200); do grep -q "recording on" "$log" 2>/dev/null && break; sleep 0.1; done
    PROXY_URL=$(sed -n 's/.*recording on \(http:[^ ]*\) .*/\1/p' "$log" | head -1)
    [ -n "$PROXY_URL" ] || { say "tapedeck record did not start:"; cat "$log" >&2; exit 1; }
}
stop_tapedeck() {
    kill -INT "$PROXY_PID"
    wait "$PROXY_PID" 2>/dev/null || true
}
start_nginx_proxy() {  # nginx as a reverse proxy to the same origin, keep-alive upstream; sets PROXY_URL, PROXY_PIDS
    local port dir; port=$(free_port); dir="$WORK/nginx-proxy"
    mkdir -p "$dir/logs"
    cat > "$dir/nginx.conf" <<CONF
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/logs/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    keepalive_requests 1000000;
    client_body_temp_path $dir/logs; proxy_temp_path $dir/logs; fastcgi_temp_path $dir/logs;
    uwsgi_temp_path $dir/logs; scgi_temp_path $dir/logs;
    upstream origin { server 127.0.0.1:$NGINX_PORT; keepalive 64; }
    server {
        listen 127.0.0.1:$port;
        location / { proxy_pass http://origin; proxy_http_version 1.1; proxy_set_header Connection ""; }
    }
}
CONF
    "$NGINX" -p "$dir" -c "$dir/nginx.conf"
    PROXY_URL="http://127.0.0.1:$port"
    wait_for "$PROXY_URL/v1/models"
    local master; master=$(cat "$dir/nginx.pid")
    PROXY_PIDS="$master $(pgrep -P "$master" | tr '\n' ' ')"
}
stop_nginx_proxy() {
    local pid; pid=$(cat "$WORK/nginx-proxy/nginx.pid" 2>/dev/null || true)
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do [ -f "$WORK/nginx-proxy/nginx.pid" ] || break; sleep 0.1; done
}
start_floor() {  # mode: tapedeck-proxy-floor in that mode; sets PROXY_URL and PROXY_PID
    local log="$WORK/floor-$1.log"
    "$FLOOR" "$NGINX_PORT" "$1" "$WORK/floor.tape" >"$log" 2>&1 &
    PROXY_PID=$!; PIDS+=("$PROXY_PID")
    for _ in $(seq 200); do grep -q "floor on" "$log" 2>/dev/null && break; sleep 0.1; done
    PROXY_URL=$(sed -n 's/^floor on \(http:[^ ]*\) .*/\1/p' "$log")
    [ -n "$PROXY_URL" ] || { say "tapedeck-proxy-floor $1 did not start:"; cat "$log" >&2; exit 1; }
}
start_mitmdump() {
    local port; port=$(free_port)
    "$VENV/bin/mitmdump" -q --mode "reverse:$DIRECT" --listen-host 127.0.0.1 --listen-port "$port" \
        --set connection_strategy=lazy >/dev/null 2>&1 &
    PROXY_PID=$!; PIDS+=("$PROXY_PID")
    PROXY_URL="http://127.0.0.1:$port"
    wait_for "$PROXY_URL/v1/models"
}

# wrk's figures: req/s, p50 in ms, non-2xx, socket errors, and the CPU microseconds per request
# of the processes named after the connections (none for direct: "-").
measure() {  # url connections [pids...]
    local url=$1 connections=$2 out before after threads
    shift 2
    threads=$((connections < 2 ? connections : 2))  # wrk needs a connection per thread
    wrk -t"$threads" -c"$connections" -d2s "$url/v1/models" >/dev/null  # warm-up: connections and pools
    before=$(cpu_ticks "$@")
    out=$(wrk -t"$threads" -c"$connections" -d"${DURATION}s" --latency "$url/v1/models")
    after=$(cpu_ticks "$@")
    python3 - "$out" "$((after - before))" "$TICKS" "$#" <<'EOF'
import re, sys
text, ticks, per_second, processes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
requests = int(re.search(r"(\d+) requests in", text).group(1))
p50 = re.search(r"^\s+50%\s+([\d.]+)(us|ms|s)\b", text, re.M)
scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p50.group(2)]
non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
cpu = "%.1f" % (ticks / per_second * 1e6 / requests) if processes and requests else "-"
print(rps, float(p50.group(1)) * scale, int(non2xx.group(1)) if non2xx else 0, sum(map(int, sock.groups())) if sock else 0, cpu)
EOF
}

# One table row: the figures' columns, and the header's (the same widths, all text).
ROW='%-16s %5s %10.0f %8s %9.3f %12s %8s %10s %11s %9s %10s\n'
HEADER='%-16s %5s %10s %8s %9s %12s %8s %10s %11s %9s %10s\n'
row() {  # name conns rps p50 bad sock cpu peak_kib
    local ratio added cpu_ratio=-
    ratio=$(calc "$3 / $d_rps"); added=$(calc "$4 - $d_p50" 3)
    if [ "$7" != - ] && [ "${n_cpu:--}" != - ]; then cpu_ratio=$(calc "$7 / $n_cpu"); fi
    printf "$ROW" "$1" "$2" "$3" "$ratio" "$4" "$added" "$5" "$6" "$7" "$cpu_ratio" "$(calc "$8 / 1024" 0)"
}

for run in $(seq "$RUNS"); do
    echo "run $run of $RUNS ($DURATION s per point, wrk -t2 (-t1 at 1 connection), nginx 1 worker, 2 cores shared by all)"
    printf "$HEADER" target conns req/s ratio p50_ms p50_added_ms non2xx sock_errs cpu_us/req x_nginx peak_MiB
    for connections in $CONNECTIONS; do
        read -r d_rps d_p50 d_bad d_sock _ < <(measure "$DIRECT" "$connections")
        printf "$ROW" direct "$connections" "$d_rps" 1.00 "$d_p50" - "$d_bad" "$d_sock" - - -

        start_nginx_proxy
        # shellcheck disable=SC2086
        read -r n_rps n_p50 n_bad n_sock n_cpu < <(measure "$PROXY_URL" "$connections" $PROXY_PIDS)
        # shellcheck disable=SC2086
        n_peak=$(peak_kib $PROXY_PIDS)
        stop_nginx_proxy
        row "nginx proxy" "$connections" "$n_rps" "$n_p50" "$n_bad" "$n_sock" "$n_cpu" "$n_peak"

        start_tapedeck "$WORK/bench.tape"
        read -r t_rps t_p50 t_bad t_sock t_cpu < <(measure "$PROXY_URL" "$connections" "$PROXY_PID")
        t_peak=$(peak_kib "$PROXY_PID")
        stop_tapedeck
        row "tapedeck record" "$connections" "$t_rps" "$t_p50" "$t_bad" "$t_sock" "$t_cpu" "$t_peak"

        start_mitmdump
        read -r m_rps m_p50 m_bad m_sock m_cpu < <(measure "$PROXY_URL" "$connections" "$PROXY_PID")
        m_peak=$(peak_kib "$PROXY_PID")
        kill "$PROXY_PID"; wait "$PROXY_PID" 2>/dev/null || true
        row "mitmdump" "$connections" "$m_rps" "$m_p50" "$m_bad" "$m_sock" "$m_cpu" "$m_peak"
        echo "  tapedeck record / mitmdump req/s at $connections connections: $(calc "$t_rps / $m_rps" 1)x (target >= 10)"

        # The floor: the same forwarding on NIO alone, with the core's recorder, and through
        # AsyncHTTPClient (see Benchmarks/ProxyFloor/main.swift), to split tapedeck's cost.
        for mode in forward record asynchttpclient; do
            case $mode in forward) label="floor nio" ;; record) label="floor nio+record" ;; *) label="floor ahc" ;; esac
            start_floor "$mode"
            read -r f_rps f_p50 f_bad f_sock f_cpu < <(measure "$PROXY_URL" "$connections" "$PROXY_PID")
            f_peak=$(peak_kib "$PROXY_PID")
            kill "$PROXY_PID"; wait "$PROXY_PID" 2>/dev/null || true
            row "$label" "$connections" "$f_rps" "$f_p50" "$f_bad" "$f_sock" "$f_cpu" "$f_peak"
            echo "  $label / mitmdump req/s: $(calc "$f_rps / $m_rps" 1)x; tapedeck record / $label CPU per request: $(calc "$t_cpu / $f_cpu")x"
        done
    done
    echo
done

# One large streamed answer through the recorder: its peak memory against the answer's size.
start_tapedeck "$WORK/stream.tape"
idle=$(peak_kib "$PROXY_PID")
received=$(curl -s -o /dev/null -w '%{size_download}' "$PROXY_URL/v1/stream")
# The answer is written after the client has it: wait for the recorder's log line.
for _ in $(seq 600); do grep -q "/v1/stream 200" "$PROXY_LOG" && break; sleep 0.1; done
peak=$(peak_kib "$PROXY_PID")
stop_tapedeck
echo "streamed answer: $received bytes through tapedeck record; peak memory $((peak / 1024)) MiB (idle $((idle / 1024)) MiB): $(calc "($peak - $idle) * 1024 / $received") x the answer; cassette $(stat -c %s "$WORK/stream.tape") bytes"
