#!/usr/bin/env bash
# Starts (or stops) a three-member ActorStore cluster on 127.0.0.1, on the ports etcd's documentation uses for a
# local cluster: clients on 2379/22379/32379, peers on 2380/22380/32380. Members are s1, s2 and s3; each keeps its
# data in DIR/<name>.etcd and logs to DIR/<name>.log.
#
#   scripts/start-local-cluster.sh [start] [DIR]   start the members (DIR defaults to ./local-cluster)
#   scripts/start-local-cluster.sh stop [DIR]      stop them (SIGTERM, SIGKILL after 10 s); data stays in DIR
#
# Starting again on the same DIR brings the same cluster back with its data (the --initial-cluster* flags only
# matter the first time). Remove DIR to start over. The members run `dotnet <repo>/src/ActorStore/bin/Release/
# net10.0/actorstore.dll`, built first if missing; set ACTORSTORE to run another command with the same etcd flags
# (ACTORSTORE=etcd runs real etcd, ACTORSTORE=actorstore an installed one).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
names=(s1 s2 s3)
client_ports=(2379 22379 32379)
peer_ports=(2380 22380 32380)
host=127.0.0.1
token=actorstore-local-cluster

command="start"
case "${1:-}" in
  start|stop) command="$1"; shift ;;
  -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
esac
dir="${1:-./local-cluster}"

endpoints() {
  local list=() i
  for i in 0 1 2; do list+=("http://$host:${client_ports[$i]}"); done
  (IFS=,; echo "${list[*]}")
}

running_pid() {
  local pid_file="$dir/$1.pid" pid
  [[ -f "$pid_file" ]] || return 1
  pid="$(cat "$pid_file")"
  kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

member_command() {
  if [[ -n "${ACTORSTORE:-}" ]]; then
    # Word splitting on purpose: ACTORSTORE may be a command with arguments.
    # shellcheck disable=SC2206
    server=($ACTORSTORE)
    return
  fi
  local dll="$repo/src/ActorStore/bin/Release/net10.0/actorstore.dll"
  if [[ ! -f "$dll" ]]; then
    echo "building actorstore (Release)..."
    dotnet build -c Release -v q "$repo/src/ActorStore/ActorStore.csproj" >/dev/null
  fi
  server=(dotnet "$dll")
}

start() {
  local i name initial_cluster="" url
  for i in 0 1 2; do
    if pid="$(running_pid "${names[$i]}")"; then
      echo "${names[$i]} is already running (pid $pid); stop it first: $0 stop $dir" >&2
      exit 1
    fi
    initial_cluster+="${initial_cluster:+,}${names[$i]}=http://$host:${peer_ports[$i]}"
  done
  member_command
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  for i in 0 1 2; do
    name="${names[$i]}"
    nohup "${server[@]}" \
      --name "$name" \
      --data-dir "$dir/$name.etcd" \
      --listen-client-urls "http://$host:${client_ports[$i]}" \
      --advertise-client-urls "http://$host:${client_ports[$i]}" \
      --listen-peer-urls "http://$host:${peer_ports[$i]}" \
      --initial-advertise-peer-urls "http://$host:${peer_ports[$i]}" \
      --initial-cluster "$initial_cluster" \
      --initial-cluster-token "$token" \
      --initial-cluster-state new \
      >>"$dir/$name.log" 2>&1 </dev/null &
    echo $! >"$dir/$name.pid"
    echo "started $name (pid $!): clients http://$host:${client_ports[$i]}, peers http://$host:${peer_ports[$i]}, log $dir/$name.log"
  done

  # A member answers /health once the members have elected a leader.
  if command -v curl >/dev/null; then
    for i in 0 1 2; do
      url="http://$host:${client_ports[$i]}/health"
      for _ in $(seq 1 600); do
        if curl -fsS --max-time 1 "$url" 2>/dev/null | grep -q '"health":"true"'; then break; fi
        if ! running_pid "${names[$i]}" >/dev/null; then
          echo "${names[$i]} exited; the end of $dir/${names[$i]}.log:" >&2
          tail -n 20 "$dir/${names[$i]}.log" >&2
          exit 1
        fi
        sleep 0.1
      done
      curl -fsS --max-time 1 "$url" >/dev/null 2>&1 || { echo "${names[$i]} is not healthy after 60 s; see $dir/${names[$i]}.log" >&2; exit 1; }
    done
    echo "all three members are healthy"
  fi

  echo
  echo "Use the cluster with:"
  echo "  export ETCDCTL_API=3 ETCDCTL_ENDPOINTS=$(endpoints)"
  echo "  etcdctl endpoint status -w table"
  echo "  etcdctl member list -w table"
  echo "or: etcdctl --endpoints=$(endpoints) put greeting hello"
  echo "Stop it with: $0 stop $dir"
}

stop() {
  local i name pid
  for i in 0 1 2; do
    name="${names[$i]}"
    if pid="$(running_pid "$name")"; then
      kill -TERM "$pid"
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      if kill -0 "$pid" 2>/dev/null; then
        echo "$name (pid $pid) did not stop in 10 s; killing it"
        kill -KILL "$pid"
      fi
      echo "stopped $name (pid $pid)"
    else
      echo "$name is not running"
    fi
    rm -f "$dir/$name.pid"
  done
  echo "data and logs stay in $dir (remove it to start a fresh cluster)"
}

"$command"
