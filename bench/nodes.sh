#!/usr/bin/env bash
# One Folio node against two (docs/BENCHMARKS.md, "Several nodes"), all on
# one PostgreSQL database (a throwaway server, `.ci/postgres`), the data
# made by bench_data and moved there with `folio migrate-data`. Each node is
# pinned to a core of its own with taskset; PostgreSQL, Redis and the
# clients share both cores with them.
#   1. First reads: one node, then two nodes and Redis with a wrk on each
#      (half the connections each); the stories differ between the two
#      parts, so every request stays a first read.
#      Then returning readers on one of the two nodes: Redis's commands
#      per page view, beyond what it answers idle for as long.
#   2. Live fan-out: ONE_NODE (18,000) streams of one story on one node;
#      then VIEWERS (20,000) across two nodes and Redis, held by two client
#      processes (a process may hold only 20,000 open files here). One more
#      viewer arrives on the first node, five times; the script prints how
#      long the new count takes to reach every page.
# Needs redis-server and postgresql (Debian's packages) and wrk.
# Settings: DURATION (10s), CONNECTIONS (64), VIEWERS, ONE_NODE, PARTS
# ("reads fanout": either or both).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
. "$root/bench/common.sh"
VIEWERS=${VIEWERS:-20000}
ONE_NODE=${ONE_NODE:-18000}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
STORIES=50
PARTS=${PARTS:-reads fanout}
ulimit -n "$(ulimit -Hn)"
for tool in redis-server wrk; do
  command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install $tool)" >&2; exit 1; }
done

cargo build --release --quiet
cargo build --release --quiet --example bench_data --example bench_viewers
folio=$root/target/release/folio
viewers=$root/target/release/examples/bench_viewers

work=$(mktemp -d)
chmod 755 "$work"   # the postgres user runs the server in it
pids=()
redis_pid=""
stop_all() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done; pids=(); }
trap 'stop_all; [ -n "$redis_pid" ] && kill "$redis_pid"; bash "$root/.ci/postgres" stop "$work/postgres"; rm -rf "$work"' EXIT
key=$(openssl rand -base64 32)
# Two client processes take VIEWERS + 2 cookies between them.
"$root/target/release/examples/bench_data" --db "$work/data/folio.db" --secret-key "$key" \
  --readers $((VIEWERS + 2)) --stories "$STORIES" --cookies "$work/cookies.txt"
server=$(bash "$root/.ci/postgres" start "$work/postgres" "$(free_port)")
psql -q "$server" -c "CREATE DATABASE folio"
database="${server%/postgres}/folio"
(cd "$work" && ROCKET_LOG_LEVEL=off "$folio" migrate-data --to "$database" >/dev/null 2>&1)

redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no >/dev/null &
redis_pid=$!
redis="redis://127.0.0.1:$redis_port/"

# Starts a Folio node in $work/node$1 on core $1 with extra settings; sets
# $port and $base.
start_node() {
  local n=$1
  shift
  port=$(free_port)
  base="http://127.0.0.1:$port"
  mkdir -p "$work/node$n"
  (cd "$work/node$n" && exec env ROCKET_SECRET_KEY="$key" ROCKET_PORT="$port" ROCKET_LOG_LEVEL=off \
    ROCKET_SAMPLE_STORIES=false ROCKET_PRESENCE_TTL=600 \
    ROCKET_STREAMS_PER_ADDRESS=100000 ROCKET_MAX_STREAMS=19500 DATABASE_URL="$database" \
    "$@" taskset -c "$n" "$folio") &
  pids+=($!)
  wait_for_folio "$base" || { echo "node $n did not start" >&2; exit 1; }
}

# wrk's first opens of stories $2..$3 at $1 with $4 connections, as part
# $5 of $6 (each part takes its own readers): prints requests/s and p99.
first_reads() {
  COOKIES="$work/cookies.txt" PART=$5 wrk -t1 -c"$4" -d"$DURATION" --latency \
    -s "$root/bench/readers.lua" "$1/" -- first "$2" "$3" "$6" >"$work/wrk-$5.txt"
}
summary() { awk '/^Requests\/sec/ {r=$2} $1 == "99%" {p=$2} END {printf "%s requests/s, p99 %s", r, p}' "$1"; }

if [[ $PARTS == *reads* ]]; then
echo "== first reads: one node (core 0), PostgreSQL"
start_node 0
first_reads "$base" 1 25 "$CONNECTIONS" 0 1
echo "one node: $(summary "$work/wrk-0.txt")"
stop_all

echo "== first reads: two nodes (cores 0 and 1), PostgreSQL and Redis"
start_node 0 ROCKET_REDIS_URL="$redis"
base0=$base
start_node 1 ROCKET_REDIS_URL="$redis"
base1=$base
first_reads "$base0" 26 50 $((CONNECTIONS / 2)) 0 2 &
first_part=$!
first_reads "$base1" 26 50 $((CONNECTIONS / 2)) 1 2
wait "$first_part"
echo "node 0: $(summary "$work/wrk-0.txt")"
echo "node 1: $(summary "$work/wrk-1.txt")"
awk '/^Requests\/sec/ {sum += $2} END {printf "two nodes together: %.0f requests/s\n", sum}' "$work/wrk-0.txt" "$work/wrk-1.txt"

echo "== Redis commands per returning reader's page view (node 0 of two)"
commands() { redis-cli -p "$redis_port" info stats | awk -F: '/^total_commands_processed/ {print $2+0}'; }
returning() { COOKIES="$work/cookies.txt" wrk -t1 -c32 -d"$DURATION" -s "$root/bench/readers.lua" \
  "$base0/stories/26" -- returning /stories/26 1 >"$work/$1.txt"; }
returning warmup   # every reader's first read of the story
idle_from=$(commands); sleep "${DURATION%s}"; idle=$(( $(commands) - idle_from ))
from=$(commands); returning returning; during=$(( $(commands) - from ))
views=$(awk '/requests in/ {print $1}' "$work/returning.txt")
echo "$views views in $DURATION: $during Redis commands ($idle in as long idle)"
awk -v d="$during" -v i="$idle" -v v="$views" 'BEGIN {printf "Redis commands per view, beyond idle: %.4f\n", (d - i) / v}'
stop_all
fi
[[ $PARTS == *fanout* ]] || exit 0
redis-cli -p "$redis_port" flushall >/dev/null

echo
echo "== live fan-out: one node, in-memory live engine, $ONE_NODE streams"
start_node 0
"$viewers" --base "$base" --story 1 --rounds 5 --cookies "$work/cookies.txt" \
  --viewers "$ONE_NODE" --server-pid "${pids[0]}"
stop_all

half=$((VIEWERS / 2))
echo
echo "== live fan-out: two nodes and Redis, $VIEWERS streams (half on each, from two clients)"
start_node 0 ROCKET_REDIS_URL="$redis"
base0=$base
start_node 1 ROCKET_REDIS_URL="$redis"
base1=$base
mkdir -p "$work/peers"
"$viewers" --base "$base0" --base "$base1" --story 1 --cookies "$work/cookies.txt" \
  --skip $((half + 1)) --viewers "$half" --others "$half" --peers "$work/peers" --follow --rounds 5 &
follower=$!
pids+=("$follower")   # stopped with the nodes if the other client fails
"$viewers" --base "$base0" --base "$base1" --story 1 --rounds 5 --cookies "$work/cookies.txt" \
  --viewers "$half" --others "$half" --peers "$work/peers" \
  --server-pid "${pids[0]}" --server-pid "${pids[1]}"
wait "$follower"
redis-cli -p "$redis_port" info stats | grep -E 'total_commands_processed' || true
