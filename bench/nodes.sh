#!/usr/bin/env bash
# Live fan-out on one node and on two (docs/BENCHMARKS.md, "Several
# nodes"): VIEWERS (18,000) logged-in readers of one story, each with its
# own live stream, held by one client process (this machine allows a
# process 20,000 open files, which also bounds the one-node run). First one release Folio holds them all (the in-memory
# live engine); then two Folio processes on the same database and one
# Redis hold half each, every node pinned to a core of its own with
# taskset. In each, one more viewer arrives on the first node, five times,
# and the script prints how long the new count takes to reach every page.
# Needs redis-server (Debian's package).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
. "$root/bench/common.sh"
VIEWERS=${VIEWERS:-18000}
ulimit -n "$(ulimit -Hn)"
command -v redis-server >/dev/null || { echo "needs redis-server (apt-get install redis-server)" >&2; exit 1; }

cargo build --release --quiet
cargo build --release --quiet --example bench_data --example bench_viewers

work=$(mktemp -d)
pids=()
stop_all() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done; pids=(); }
trap 'stop_all; rm -rf "$work"' EXIT
key=$(openssl rand -base64 32)
"$root/target/release/examples/bench_data" --db "$work/data/folio.db" --secret-key "$key" \
  --readers $((VIEWERS + 1)) --stories 1 --cookies "$work/cookies.txt"

# Starts a Folio node in $work/node$1 on core $1 with extra settings; sets $port.
start_node() {
  local n=$1
  shift
  port=$(free_port)
  mkdir -p "$work/node$n"
  (cd "$work/node$n" && exec env ROCKET_SECRET_KEY="$key" ROCKET_PORT="$port" ROCKET_LOG_LEVEL=off \
    ROCKET_SAMPLE_STORIES=false ROCKET_PRESENCE_TTL=600 \
    ROCKET_STREAMS_PER_ADDRESS=100000 ROCKET_MAX_STREAMS=19500 DATABASE_URL="sqlite://$work/data/folio.db" \
    "$@" taskset -c "$n" "$root/target/release/folio") &
  pids+=($!)
  wait_for_folio "http://127.0.0.1:$port" || { echo "node $n did not start" >&2; exit 1; }
}

echo "== one node, in-memory live engine, $VIEWERS streams"
start_node 0
base0="http://127.0.0.1:$port"
"$root/target/release/examples/bench_viewers" --base "$base0" --story 1 --rounds 5 \
  --cookies "$work/cookies.txt" --viewers "$VIEWERS" --server-pid "${pids[0]}"
stop_all

redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no >/dev/null &
redis_pid=$!
trap 'stop_all; kill "$redis_pid" 2>/dev/null; rm -rf "$work"' EXIT
sleep 0.5
echo
echo "== two nodes and Redis, $VIEWERS streams (half on each)"
start_node 0 ROCKET_REDIS_URL="redis://127.0.0.1:$redis_port/"
base0="http://127.0.0.1:$port"
start_node 1 ROCKET_REDIS_URL="redis://127.0.0.1:$redis_port/"
base1="http://127.0.0.1:$port"
"$root/target/release/examples/bench_viewers" --base "$base0" --base "$base1" --story 1 --rounds 5 \
  --cookies "$work/cookies.txt" --viewers "$VIEWERS" --server-pid "${pids[0]}" --server-pid "${pids[1]}"
redis-cli -p "$redis_port" info stats | grep -E 'total_commands_processed|instantaneous_ops' || true
