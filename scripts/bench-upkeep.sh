#!/usr/bin/env bash
# Snapshot, restore and defragment of one million keys on a single member, ActorStore against real etcd 3.4.23,
# with ../shared/bench's etcdbench; pairs alternate which server goes first.
#
#   scripts/bench-upkeep.sh [PAIRS] [KEYS]      default 1 pair, 1000000 keys of 256-byte values
#
# Per server and pair: the time to load the keys (txn-put, 100 puts per txn), `etcdctl snapshot save` (seconds, MB/s),
# the restore of that file into a new data dir (etcdctl snapshot restore for etcd, actorstore snapshot restore for
# ActorStore), then, after 20% of the keys are overwritten and the history compacted, a 15 s put load with 16 clients
# during which `etcdctl defrag` runs: the load's p99 and max and the defragment's own duration.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pairs="${1:-1}"
keys="${2:-1000000}"
bench="${BENCH:-/tmp/etcdbench/etcdbench}"
[[ -x "$bench" ]] || "$repo/../shared/bench/build.sh" "$(dirname "$bench")" >/dev/null
dll="${ACTORSTORE_DLL:-$repo/src/ActorStore/bin/Release/net10.0/actorstore.dll}"
[[ -n "${ACTORSTORE_DLL:-}" ]] || dotnet build -c Release -v q "$repo/src/ActorStore/ActorStore.csproj" >/dev/null
work="$(mktemp -d)"
trap 'pkill -KILL -f "$work" 2>/dev/null || true; rm -rf "$work"' EXIT
client=http://127.0.0.1:24790
peer=http://127.0.0.1:24800
ctl() { ETCDCTL_API=3 etcdctl --endpoints "$client" "$@"; }
now() { date +%s.%N; }

run() { # kind
  local kind="$1" dir pid t0 t1 save restore defrag_start defrag_end size
  dir="$(mktemp -d "$work/run.XXXX")"
  local flags=(--name s --data-dir "$dir/data" --listen-client-urls "$client" --advertise-client-urls "$client"
    --listen-peer-urls "$peer" --initial-advertise-peer-urls "$peer" --initial-cluster "s=$peer" --quota-backend-bytes 8589934592)
  if [[ "$kind" == etcd ]]; then etcd "${flags[@]}" >"$dir/log" 2>&1 & else dotnet "$dll" "${flags[@]}" >"$dir/log" 2>&1 & fi
  pid=$!
  for _ in $(seq 1 300); do curl -fs "$client/health" | grep -q true && break; sleep 0.1; done

  t0=$(now)
  "$bench" txn-put --endpoints "$client" --clients 8 --conns 8 --total $((keys / 100)) --txn-ops 100 --sequential-keys \
    --key-space-size "$keys" --key-size 16 --val-size 256 >/dev/null 2>&1
  t1=$(now)
  local load; load=$(echo "$t1 - $t0" | bc)

  t0=$(now); ctl snapshot save "$dir/snap.db" >/dev/null 2>&1; t1=$(now)
  save=$(echo "$t1 - $t0" | bc); size=$(stat -c %s "$dir/snap.db")

  t0=$(now)
  if [[ "$kind" == etcd ]]; then
    ctl snapshot restore "$dir/snap.db" --name s --data-dir "$dir/restored" --initial-cluster "s=$peer" --initial-advertise-peer-urls "$peer" >/dev/null 2>&1
  else
    dotnet "$dll" snapshot restore "$dir/snap.db" --name s --data-dir "$dir/restored" --initial-cluster "s=$peer" --initial-advertise-peer-urls "$peer" >/dev/null 2>&1
  fi
  t1=$(now); restore=$(echo "$t1 - $t0" | bc)

  # History for the defragment to free: a fifth of the keys again, then compaction of everything before.
  "$bench" txn-put --endpoints "$client" --clients 8 --conns 8 --total $((keys / 500)) --txn-ops 100 --sequential-keys \
    --key-space-size "$keys" --key-size 16 --val-size 256 >/dev/null 2>&1
  local rev; rev=$(ctl endpoint status --command-timeout 60s -w json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["Status"]["header"]["revision"])')
  ctl compact "$rev" --physical --command-timeout 300s >/dev/null
  "$bench" put --endpoints "$client" --clients 16 --conns 16 --duration 15s --key-space-size "$keys" --key-size 16 \
    --label "defrag/$kind" >"$dir/put.json" 2>/dev/null &
  local load_pid=$!
  sleep 5
  defrag_start=$(now); ctl defrag --command-timeout 120s >/dev/null; defrag_end=$(now)
  wait "$load_pid"
  kill -KILL "$pid"; wait "$pid" 2>/dev/null || true
  python3 - "$kind" "$load" "$save" "$size" "$restore" "$(echo "$defrag_end - $defrag_start" | bc)" "$dir/put.json" "$keys" <<'PY' >>"$work/results"
import json, sys
kind, load, save, size, restore, defrag, put, keys = sys.argv[1:]
p = json.load(open(put))
print(json.dumps({"kind": kind, "keys": int(keys), "load_s": float(load), "save_s": float(save), "snapshot_mb": int(size) / 1e6,
                  "restore_s": float(restore), "defrag_s": float(defrag), "put_qps": p["qps"], "put_p99_ms": p["p99_ms"],
                  "put_max_ms": p["max_ms"], "put_errors": p["errors"]}))
PY
  rm -rf "$dir"
}

for ((p = 0; p < pairs; p++)); do
  if ((p % 2 == 0)); then order=(etcd actorstore); else order=(actorstore etcd); fi
  for kind in "${order[@]}"; do echo "pair $((p + 1))/$pairs: $kind" >&2; run "$kind"; done
done
python3 - "$work/results" <<'PY'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
med = lambda kind, f: statistics.median(r[f] for r in runs if r["kind"] == kind)
for f, label in (("load_s", "load (s)"), ("save_s", "snapshot save (s)"), ("snapshot_mb", "snapshot size (MB)"),
                 ("restore_s", "restore (s)"), ("defrag_s", "defragment (s)"), ("put_p99_ms", "put p99 during defrag (ms)"),
                 ("put_max_ms", "put max during defrag (ms)"), ("put_qps", "put req/s during defrag"), ("put_errors", "put errors")):
    e, a = med("etcd", f), med("actorstore", f)
    print(f"{label}: etcd {e:.2f} | actorstore {a:.2f} | ratio {a / e if e else 0:.2f}x")
rate = lambda kind: statistics.median(r["keys"] / r["save_s"] for r in runs if r["kind"] == kind)
print(f"snapshot save rate (keys/s): etcd {rate('etcd'):.0f} | actorstore {rate('actorstore'):.0f}")
PY
