#!/usr/bin/env bash
# Actor messaging (ActorStore.Client over Akka.Remote with mutual TLS) against the gRPC API (Grpc.Net.Client over
# mutual TLS) on the same three-member ActorStore cluster, with the same .NET load generator (tests/ActorStore.ClientBench):
# put throughput and latency with 16 and 256 concurrent requesters, and watch event latency. Pairs alternate which way
# goes first; the summary gives medians and the actor/gRPC ratios.
#
#   scripts/bench-akka-client.sh [PAIRS] [SECONDS]     default 3 pairs of 10 s runs
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pairs="${1:-3}"
seconds="${2:-10}"
dotnet build -c Release -v q "$repo/src/ActorStore/ActorStore.csproj" >/dev/null
dotnet build -c Release -v q "$repo/tests/ActorStore.ClientBench/ActorStore.ClientBench.csproj" >/dev/null
dll="$repo/src/ActorStore/bin/Release/net10.0/actorstore.dll"
bench="$repo/tests/ActorStore.ClientBench/bin/Release/net10.0/ActorStore.ClientBench.dll"
work="$(mktemp -d)"
trap 'pkill -KILL -f "$work" 2>/dev/null || true; rm -rf "$work"' EXIT
certs="$work/certs"
dotnet "$dll" certs --dir "$certs" --ca >/dev/null
dotnet "$dll" certs --dir "$certs" --member member --hosts 127.0.0.1,localhost >/dev/null
dotnet "$dll" certs --dir "$certs" --client root >/dev/null
tls=(--cacert "$certs/ca.pem" --cert "$certs/root.pem" --key "$certs/root-key.pem")

initial="" members=""
for i in 0 1 2; do
  initial+="${initial:+,}m$i=https://127.0.0.1:$((24800 + i))"
  members+="${members:+,}https://127.0.0.1:$((24800 + i))"
done
for i in 0 1 2; do
  dotnet "$dll" --name "m$i" --data-dir "$work/m$i.etcd" \
    --cert-file "$certs/member.pem" --key-file "$certs/member-key.pem" --trusted-ca-file "$certs/ca.pem" --client-cert-auth \
    --peer-cert-file "$certs/member.pem" --peer-key-file "$certs/member-key.pem" --peer-trusted-ca-file "$certs/ca.pem" --peer-client-cert-auth \
    --listen-client-urls "https://127.0.0.1:$((24790 + i))" --advertise-client-urls "https://127.0.0.1:$((24790 + i))" \
    --listen-peer-urls "https://127.0.0.1:$((24800 + i))" --initial-advertise-peer-urls "https://127.0.0.1:$((24800 + i))" \
    --initial-cluster "$initial" --initial-cluster-state new --initial-cluster-token akka-bench \
    >"$work/m$i.log" 2>&1 </dev/null &
done
for i in 0 1 2; do
  for _ in $(seq 1 600); do
    curl -fsS --max-time 1 --cacert "$certs/ca.pem" --cert "$certs/root.pem" --key "$certs/root-key.pem" \
      "https://127.0.0.1:$((24790 + i))/health" 2>/dev/null | grep -q '"health":"true"' && continue 2
    sleep 0.1
  done
  echo "m$i not healthy" >&2; cat "$work/m$i.log" >&2; exit 1
done
# Both ways send to the leader: the gRPC channel dials the leader's client URL, the actor client moves to the leader.
leader_url=$(ETCDCTL_API=3 etcdctl --endpoints "https://127.0.0.1:24790,https://127.0.0.1:24791,https://127.0.0.1:24792" "${tls[@]}" \
  endpoint status -w json | python3 -c '
import json, sys
for s in json.load(sys.stdin):
    if s["Status"]["header"]["member_id"] == s["Status"]["leader"]:
        print(s["Endpoint"])')
leader_url="${leader_url:-https://127.0.0.1:24790}"
echo "leader client URL: $leader_url"

results="$work/results.txt"
run() { # workload via extra...
  local line
  dotnet "$bench" "$1" --via "$2" --members "$members" --endpoints "$leader_url" "${tls[@]}" "${@:3}" >"$work/bench.out" 2>&1 || {
    echo "bench failed: $1 $2 ${*:3}" >&2; cat "$work/bench.out" >&2; return 1; }
  # The result is the one line that starts with the workload's name.
  line=$(grep -E "^$1 via=" "$work/bench.out")
  echo "$line" | tee -a "$results"
}
for ((p = 0; p < pairs; p++)); do
  if ((p % 2 == 0)); then order=(actor grpc); else order=(grpc actor); fi
  for clients in 16 256; do
    for via in "${order[@]}"; do run put "$via" --clients "$clients" --seconds "$seconds"; done
  done
  # 30 s of events at 100 puts/s: a shorter run measures the first requests' JIT compilation more than the path.
  for via in "${order[@]}"; do run watch-latency "$via" --puts 3000 --rate 100; done
done

echo
echo "medians over $pairs pairs (actor / gRPC):"
python3 - "$results" <<'PY'
import re, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    fields = dict(f.split("=", 1) for f in line.split()[1:])
    key = (line.split()[0], fields["clients"])
    rows.setdefault(key, {}).setdefault(fields["via"], []).append(fields)
for (workload, clients), by in sorted(rows.items()):
    med = {via: {k: statistics.median(float(r[k]) for r in runs) for k in ("rps", "p50_ms", "p99_ms")} for via, runs in by.items()}
    a, g = med.get("actor"), med.get("grpc")
    if not a or not g:
        continue
    label = f"{workload} clients={clients}" if workload == "put" else workload
    print(f"{label:22} actor rps={a['rps']:.0f} p50={a['p50_ms']:.2f} p99={a['p99_ms']:.2f} | grpc rps={g['rps']:.0f} p50={g['p50_ms']:.2f} p99={g['p99_ms']:.2f}"
          f" | ratio rps={a['rps']/g['rps']:.2f}x p50={a['p50_ms']/g['p50_ms']:.2f}x p99={a['p99_ms']/g['p99_ms']:.2f}x")
PY
