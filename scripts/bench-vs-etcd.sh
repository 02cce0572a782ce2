#!/usr/bin/env bash
# Paired benchmarks of ActorStore against real etcd 3.4.23 on this machine, with ../shared/bench's etcdbench.
# Each pair runs the same workload on a fresh etcd and a fresh ActorStore, alternating which goes first, and the
# summary gives medians and the ActorStore/etcd ratio of throughput (higher is better for ActorStore) and of p99.
#
#   scripts/bench-vs-etcd.sh [PAIRS] [SECONDS]     default 3 pairs of 10 s runs
#
# Workloads (WORKLOADS, a space-separated list; default the first four):
#   3m-put-256c  3-member put with 256 clients over 16 connections
#   1m-put-1c    single-member put with 1 client        1m-put-16c  ... with 16 clients
#   failover     on 3 members, how long writes stop after the leader is killed with SIGKILL
#   3m-watch     on 3 members, event latency to 100 watchers on 10 streams, 100 puts/s
#   tls-3m-put-256c, tls-1m-put-16c, tls-3m-watch   the same over mutual TLS, clients and peers alike, with
#                certificates made by `actorstore certs` (one CA; etcd and ActorStore use the same files)
#   auth-3m-put-256c, auth-1m-put-16c   the same puts with auth on (root user, simple tokens: etcdbench --user)
#   json-1m-put-16c  single-member put through the JSON gateway (POST /v3/kv/put) with wrk, 16 connections, after a
#                3 s warm-up run on each server
#   v2-1m-put-16c    the same through the v2 keys API (PUT /v2/keys/KEY, members started with --enable-v2)
# The put workloads first run the same load for WARMUP seconds (default 30, on etcd and ActorStore alike), unmeasured:
# a server is measured warm, after .NET has re-compiled its hot paths (on three members sharing two cores that takes
# about half a minute of load). WARMUP=0 measures from a cold start.
# Set ACTORSTORE_EXTRA_FLAGS to pass extra flags to the ActorStore members (e.g. a journal plugin);
# ACTORSTORE_DLL to bench another build; BENCH=path/to/etcdbench to use another etcdbench.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pairs="${1:-3}"
seconds="${2:-10}"
warmup="${WARMUP:-30}"
bench="${BENCH:-/tmp/etcdbench/etcdbench}"
[[ -x "$bench" ]] || "$repo/../shared/bench/build.sh" "$(dirname "$bench")" >/dev/null
workloads="${WORKLOADS:-3m-put-256c 1m-put-1c 1m-put-16c failover}"
dll="${ACTORSTORE_DLL:-$repo/src/ActorStore/bin/Release/net10.0/actorstore.dll}"
[[ -n "${ACTORSTORE_DLL:-}" ]] || dotnet build -c Release -v q "$repo/src/ActorStore/ActorStore.csproj" >/dev/null
work="$(mktemp -d)"
results="$work/results.jsonl"
trap 'pkill -KILL -f "$work" 2>/dev/null || true; rm -rf "$work"' EXIT

server() { # kind -> command line prefix
  if [[ "$1" == etcd ]]; then echo etcd; else echo "dotnet $dll ${ACTORSTORE_EXTRA_FLAGS:-}"; fi
}

# Mutual TLS for the tls-* workloads: "http" or "https" for both client and peer URLs, and the flags that go with it.
scheme=http
certs="$work/certs"
server_tls_flags() {
  [[ "$scheme" == https ]] || return 0
  echo "--cert-file $certs/member.pem --key-file $certs/member-key.pem --trusted-ca-file $certs/ca.pem --client-cert-auth" \
    "--peer-cert-file $certs/member.pem --peer-key-file $certs/member-key.pem --peer-trusted-ca-file $certs/ca.pem --peer-client-cert-auth"
}
client_tls_flags() {
  [[ "$scheme" == https ]] || return 0
  echo "--cacert $certs/ca.pem --cert $certs/root.pem --key $certs/root-key.pem"
}
if [[ " $workloads " == *" tls-"* ]]; then
  dotnet "$dll" certs --dir "$certs" --ca >/dev/null
  dotnet "$dll" certs --dir "$certs" --member member --hosts 127.0.0.1,localhost >/dev/null
  dotnet "$dll" certs --dir "$certs" --client root >/dev/null
fi

wait_healthy() { # url...
  local url
  for url in "$@"; do
    for _ in $(seq 1 600); do
      # shellcheck disable=SC2046
      curl -fsS --max-time 1 $(client_tls_flags) "$url/health" 2>/dev/null | grep -q '"health":"true"' && continue 2
      sleep 0.1
    done
    echo "not healthy: $url" >&2; return 1
  done
}

start_members() { # kind count dir -> pids in $work/pids, client urls in $work/urls
  local kind="$1" count="$2" dir="$3" i initial="" urls=""
  : >"$work/pids"
  for ((i = 0; i < count; i++)); do initial+="${initial:+,}m$i=$scheme://127.0.0.1:$((23800 + i))"; done
  for ((i = 0; i < count; i++)); do
    # shellcheck disable=SC2046
    $(server "$kind") --name "m$i" --data-dir "$dir/m$i.etcd" $(server_tls_flags) \
      --listen-client-urls "$scheme://127.0.0.1:$((23790 + i))" --advertise-client-urls "$scheme://127.0.0.1:$((23790 + i))" \
      --listen-peer-urls "$scheme://127.0.0.1:$((23800 + i))" --initial-advertise-peer-urls "$scheme://127.0.0.1:$((23800 + i))" \
      --initial-cluster "$initial" --initial-cluster-state new --initial-cluster-token bench ${member_flags:-} \
      >"$dir/m$i.log" 2>&1 </dev/null &
    echo $! >>"$work/pids"
    urls+="${urls:+,}$scheme://127.0.0.1:$((23790 + i))"
  done
  echo "$urls" >"$work/urls"
  wait_healthy ${urls//,/ }
}

stop_members() {
  local pid
  while read -r pid; do kill -KILL "$pid" 2>/dev/null || true; done <"$work/pids"
  while read -r pid; do while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done; done <"$work/pids"
}

# Auth on with a root user, as the seeds set it up; the bench then authenticates and uses simple tokens.
enable_auth() {
  local endpoints
  endpoints="$(cat "$work/urls")"
  # shellcheck disable=SC2046
  {
    ETCDCTL_API=3 etcdctl --endpoints "$endpoints" $(client_tls_flags) role add root &&
      ETCDCTL_API=3 etcdctl --endpoints "$endpoints" $(client_tls_flags) user add root:benchpw --interactive=false &&
      ETCDCTL_API=3 etcdctl --endpoints "$endpoints" $(client_tls_flags) user grant-role root root &&
      ETCDCTL_API=3 etcdctl --endpoints "$endpoints" $(client_tls_flags) auth enable
  } >/dev/null
}

run_put() { # kind members clients conns label [auth]
  local kind="$1" members="$2" clients="$3" conns="$4" label="$5" auth="${6:-}" dir user=""
  dir="$(mktemp -d "$work/run.XXXX")"
  start_members "$kind" "$members" "$dir"
  if [[ -n "$auth" ]]; then enable_auth; user="--user root:benchpw"; fi
  if (( warmup > 0 )); then
    # shellcheck disable=SC2046,SC2086
    "$bench" put --endpoints "$(cat "$work/urls")" $(client_tls_flags) $user --clients "$clients" --conns "$conns" \
      --duration "${warmup}s" >/dev/null 2>&1
  fi
  # shellcheck disable=SC2046,SC2086
  "$bench" put --endpoints "$(cat "$work/urls")" $(client_tls_flags) $user --clients "$clients" --conns "$conns" \
    --duration "${seconds}s" --label "$label/$kind" 2>/dev/null >>"$results"
  stop_members
  rm -rf "$dir"
}

# Puts over HTTP/1.1 with wrk, 16 connections busy with 256-byte values to random keys: through the JSON gateway
# (POST /v3/kv/put, "json") or the v2 keys API (PUT /v2/keys/KEY, "v2"; members started with --enable-v2).
run_http_put() { # kind label json|v2
  command -v wrk >/dev/null || { echo "$2 needs wrk (apt-get install wrk)" >&2; exit 2; }
  local kind="$1" label="$2" api="$3" dir out
  dir="$(mktemp -d "$work/run.XXXX")"
  if [[ "$api" == v2 ]]; then member_flags=--enable-v2; fi
  start_members "$kind" 1 "$dir"
  member_flags=""
  python3 - "$dir/put.lua" "$api" <<'PY'
import base64, random, sys
api = sys.argv[2]
if api == "json":
    value = base64.b64encode(b"v" * 256).decode()
    bodies = ",".join('{"/v3/kv/put", \'{"key":"%s","value":"%s"}\'}' % (base64.b64encode(b"key%06d" % random.randrange(100000)).decode(), value) for _ in range(1000))
    method, content_type = "POST", "application/json"
else:
    bodies = ",".join('{"/v2/keys/key%06d", "value=%s"}' % (random.randrange(100000), "v" * 256) for _ in range(1000))
    method, content_type = "PUT", "application/x-www-form-urlencoded"
open(sys.argv[1], "w").write(f"""wrk.method = "{method}"
wrk.headers["Content-Type"] = "{content_type}"
local requests = {{{bodies}}}
local n = 0
request = function()
  n = n % #requests + 1
  return wrk.format(nil, requests[n][1], nil, requests[n][2])
end
""")
PY
  # A short run first, for both servers alike: the first HTTP requests of a fresh ActorStore pay for JIT compilation.
  wrk -t 2 -c 16 -d 3s -s "$dir/put.lua" "$(cat "$work/urls")" >/dev/null
  out="$(wrk -t 2 -c 16 -d "${seconds}s" --latency -s "$dir/put.lua" "$(cat "$work/urls")")"
  python3 - "$label/$kind" >>"$results" <<PY
import json, re, sys
out = """$out"""
qps = float(re.search(r"Requests/sec:\s+([0-9.]+)", out).group(1))
m = re.search(r"99%\s+([0-9.]+)(us|ms|s)\b", out)
p99 = float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
print(json.dumps({"workload": "http-put", "label": sys.argv[1], "qps": qps, "p99_ms": p99, "errors": int(errors.group(1)) if errors else 0}))
PY
  stop_members
  rm -rf "$dir"
}

# Event latency (qps = events delivered per second; p99 = put-to-delivery) for 100 watchers on 10 streams.
run_watch() { # kind label
  local kind="$1" label="$2" dir
  dir="$(mktemp -d "$work/run.XXXX")"
  start_members "$kind" 3 "$dir"
  # shellcheck disable=SC2046
  "$bench" watch-latency --endpoints "$(cat "$work/urls")" $(client_tls_flags) --conns 3 --watchers 100 --streams 10 \
    --put-rate 100 --duration "${seconds}s" --label "$label/$kind" 2>/dev/null >>"$results"
  stop_members
  rm -rf "$dir"
}

# Writes through the survivors, one at a time, from the leader's SIGKILL until one succeeds: the outage in ms.
run_failover() { # kind
  local kind="$1" dir leader endpoints t0 t1 i
  dir="$(mktemp -d "$work/run.XXXX")"
  start_members "$kind" 3 "$dir"
  endpoints="$(cat "$work/urls")"
  for _ in $(seq 1 50); do
    leader="$(ETCDCTL_API=3 etcdctl --endpoints "$endpoints" endpoint status -w json 2>/dev/null |
      python3 -c 'import json,sys; s=json.load(sys.stdin); print(next(i for i,e in enumerate(s) if e["Status"]["leader"]==e["Status"]["header"]["member_id"]))' 2>/dev/null)" && break
    sleep 0.2
  done
  ETCDCTL_API=3 etcdctl --endpoints "$endpoints" put warmup 1 >/dev/null
  local survivors=""
  for i in 0 1 2; do [[ "$i" == "$leader" ]] || survivors+="${survivors:+,}http://127.0.0.1:$((23790 + i))"; done
  t0=$(date +%s%N)
  kill -KILL "$(sed -n "$((leader + 1))p" "$work/pids")"
  until ETCDCTL_API=3 etcdctl --endpoints "$survivors" --command-timeout=300ms put after-kill 1 >/dev/null 2>&1; do :; done
  t1=$(date +%s%N)
  echo "{\"workload\":\"failover\",\"label\":\"failover/$kind\",\"outage_ms\":$(((t1 - t0) / 1000000))}" >>"$results"
  stop_members
  rm -rf "$dir"
}

for ((p = 0; p < pairs; p++)); do
  if ((p % 2 == 0)); then order=(etcd actorstore); else order=(actorstore etcd); fi
  for kind in "${order[@]}"; do
    echo "pair $((p + 1))/$pairs: $kind" >&2
    for workload in $workloads; do
      scheme=http
      [[ "$workload" == tls-* ]] && scheme=https
      case "${workload#tls-}" in
        3m-put-256c) run_put "$kind" 3 256 16 "$workload" ;;
        1m-put-1c) run_put "$kind" 1 1 1 "$workload" ;;
        1m-put-16c) run_put "$kind" 1 16 16 "$workload" ;;
        auth-3m-put-256c) run_put "$kind" 3 256 16 "$workload" auth ;;
        auth-1m-put-16c) run_put "$kind" 1 16 16 "$workload" auth ;;
        json-1m-put-16c) run_http_put "$kind" "$workload" json ;;
        v2-1m-put-16c) run_http_put "$kind" "$workload" v2 ;;
        3m-watch) run_watch "$kind" "$workload" ;;
        failover) if [[ "$scheme" == http ]]; then run_failover "$kind"; fi ;;
        *) echo "unknown workload $workload" >&2; exit 2 ;;
      esac
    done
  done
done

python3 - "$results" <<'PY'
import json, statistics, sys
runs = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
groups = {}
for run in runs:
    workload, kind = run["label"].rsplit("/", 1)
    groups.setdefault(workload, {}).setdefault(kind, []).append(run)
for workload, kinds in groups.items():
    if workload == "failover":
        line = "failover (ms until a write succeeds after the leader's SIGKILL):"
        for kind in ("etcd", "actorstore"):
            line += f" {kind} {[r['outage_ms'] for r in kinds.get(kind, [])]}"
        print(line)
        continue
    med = {k: (statistics.median(r["qps"] for r in v), statistics.median(r["p99_ms"] for r in v)) for k, v in kinds.items()}
    e, a = med.get("etcd", (0, 0)), med.get("actorstore", (0, 0))
    print(f"{workload}: etcd {e[0]:.0f} req/s p99 {e[1]:.1f} ms | actorstore {a[0]:.0f} req/s p99 {a[1]:.1f} ms | "
          f"throughput ratio {a[0] / e[0] if e[0] else 0:.2f}x, p99 ratio {a[1] / e[1] if e[1] else 0:.2f}x "
          f"| per run etcd {[round(r['qps']) for r in kinds.get('etcd', [])]} actorstore {[round(r['qps']) for r in kinds.get('actorstore', [])]}")
PY
