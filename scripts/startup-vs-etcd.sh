#!/usr/bin/env bash
# Start-up time (exec to the first 200 from /health) and resident memory at idle of one single-member server,
# for comparing the release binary with etcd on the same machine:
#
#   scripts/startup-vs-etcd.sh BINARY [RUNS]    e.g. artifacts/release/linux-x64/actorstore, or etcd
#
# Each run starts on a fresh data dir and free 127.0.0.1 ports, prints the milliseconds to healthy, then after the
# last run waits 10 s and prints VmRSS. The load average is printed too: figures taken on a busy machine say so.
# /health is polled every 5 ms with bash's own /dev/tcp: a curl process per poll took a quarter of both cores of a
# 2-core machine away from the server it was timing.
set -euo pipefail

binary="$1"
runs="${2:-5}"
dir="$(mktemp -d)"
pid=""
cleanup() { [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
export DOTNET_BUNDLE_EXTRACT_BASE_DIR="$dir/extract"

healthy() { # port: true once GET /health answers 200
    exec 3<>"/dev/tcp/127.0.0.1/$1" || return 1
    printf 'GET /health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
    local status=""
    read -r -t 2 status <&3 || true
    exec 3<&- 3>&-
    [[ "$status" == *" 200 "* ]]
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for run in $(seq 1 "$runs"); do
    client=$(( 20000 + RANDOM % 10000 )); peer=$(( client + 1 ))
    start=$(date +%s%N)
    "$binary" --name n1 --data-dir "$dir/data-$run" \
        --listen-client-urls "http://127.0.0.1:$client" --advertise-client-urls "http://127.0.0.1:$client" \
        --listen-peer-urls "http://127.0.0.1:$peer" --initial-advertise-peer-urls "http://127.0.0.1:$peer" \
        --initial-cluster "n1=http://127.0.0.1:$peer" >"$dir/log-$run" 2>&1 &
    pid=$!
    until healthy "$client" 2>/dev/null; do
        kill -0 "$pid" 2>/dev/null || { echo "exited:"; cat "$dir/log-$run"; exit 1; }
        sleep 0.005
    done
    echo "run $run: healthy after $(( ($(date +%s%N) - start) / 1000000 )) ms"
    if [ "$run" -lt "$runs" ]; then kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""; fi
done
sleep 10
echo "idle RSS: $(awk '/VmRSS/ {print $2, $3}' "/proc/$pid/status")"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
