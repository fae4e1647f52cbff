#!/usr/bin/env bash
# A hyper 1 server against the hand-written live listener (docs/BENCHMARKS.md):
# resident memory per open, idle live stream, every server measured in one
# run by the same client (bench/hyper-sse/, a package of its own):
#   hyper 1          hyper 1's http1 server, defaults, body a StreamBody
#   hyper 1, tuned   the same with what its builder lets one shrink
#   listener copy    the live listener's transport, copied into that package:
#                    the same stream as the two above, over httparse and
#                    raw socket writes
#   Folio            the release Folio's own live listener (live_port),
#                    STREAMS logged-in readers of one story, as bench/viewers.sh
# Each opens STREAMS (10,000) streams, reads every head and first event, and
# takes the server's VmRSS once it stops moving; per stream is (that − idle)
# / STREAMS. ROUNDS (1) repeats the four, alternating.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
. "$root/bench/common.sh"
STREAMS=${STREAMS:-10000}
ROUNDS=${ROUNDS:-1}
# Each side holds one descriptor per stream: raise the soft limit as far as allowed.
ulimit -n "$(ulimit -Hn)"

# The package has its own lock file and target directory, so building it
# neither touches Folio's dependencies nor waits for Folio's build.
bench_target=$root/target/hyper-sse
CARGO_TARGET_DIR=$bench_target cargo build --release --quiet --manifest-path bench/hyper-sse/Cargo.toml
server_bin=$bench_target/release/sse-server
client_bin=$bench_target/release/sse-client

# Folio as this tree has it; when the tree does not build (work in
# progress), the last commit, exported and built apart.
folio_release=${CARGO_TARGET_DIR:-$root/target}/release
folio_from="this tree ($(git rev-parse --short HEAD) with its uncommitted changes)"
[ -z "$(git status --porcelain -- src Cargo.toml Cargo.lock examples 2>/dev/null)" ] &&
  folio_from="commit $(git rev-parse --short HEAD)"
if ! cargo build --release --quiet --bin folio --example bench_data; then
  echo "this tree does not build; measuring the last commit instead" >&2
  head_dir=$root/target/hyper-sse-head
  rm -rf "$head_dir/src" && mkdir -p "$head_dir/src"
  git archive HEAD | tar -x -C "$head_dir/src"
  (cd "$head_dir/src" && CARGO_TARGET_DIR=$head_dir/target \
    cargo build --release --quiet --bin folio --example bench_data)
  folio_release=$head_dir/target/release
  folio_from="commit $(git rev-parse --short HEAD)"
fi

work=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
results=$work/results.txt

# Waits up to ten seconds for something to accept connections on port $1.
wait_for_port() {
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# Runs the client against the server in $pid on port $2 (path $3, more
# client arguments after), and records its figures under the name $1.
measure() {
  local name=$1 port=$2 path=$3
  shift 3
  echo "== $name"
  "$client_bin" --addr "127.0.0.1:$port" --path "$path" --streams "$STREAMS" \
    --server-pid "$pid" "$@" >"$work/client.txt"
  grep -v '^RESULT ' "$work/client.txt"
  echo "$name|$(grep '^RESULT ' "$work/client.txt")" >>"$results"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  pid=""
}

# One of the package's servers, with arguments $2…, measured as $1.
bench_server() {
  local name=$1
  shift
  local port
  port=$(free_port)
  "$server_bin" --port "$port" "$@" 2>/dev/null &
  pid=$!
  wait_for_port "$port" || { echo "$name did not start" >&2; exit 1; }
  measure "$name" "$port" /live/stories/1
}

# Folio's data, once: one story and STREAMS logged-in readers, whose
# cookies its streams send.
key=$(openssl rand -base64 32)
"$folio_release/examples/bench_data" --db "$work/data/folio.db" --secret-key "$key" \
  --readers "$STREAMS" --stories 1 --cookies "$work/cookies.txt" >/dev/null

bench_folio() {
  local port live_port
  port=$(free_port)
  live_port=$(free_port)
  # The streams do not ping, so the presence TTL outlasts the run (as in
  # bench/viewers.sh).
  (cd "$work" && ROCKET_SECRET_KEY="$key" ROCKET_PORT="$port" ROCKET_LIVE_PORT="$live_port" \
    ROCKET_LOG_LEVEL=off ROCKET_SAMPLE_STORIES=false ROCKET_PRESENCE_TTL=600 \
    exec "$folio_release/folio") &
  pid=$!
  wait_for_folio "http://127.0.0.1:$port" || { echo "Folio did not start" >&2; exit 1; }
  measure "Folio's live listener" "$live_port" /live/stories/1 --cookies "$work/cookies.txt"
}

echo "$STREAMS streams per server; Folio from $folio_from; $(date -u +%F)"
for _ in $(seq 1 "$ROUNDS"); do
  bench_server "hyper 1" --server hyper
  bench_server "hyper 1, tuned" --server hyper --tuned
  bench_server "listener copy" --server raw
  bench_folio
done

echo
awk -F'|' -v streams="$STREAMS" '
  BEGIN { printf "%-22s %10s %18s %16s %9s\n", "server", "idle", streams " streams", "per stream", "open in" }
  {
    split($2, fields, " ")
    for (i in fields) { split(fields[i], kv, "="); v[kv[1]] = kv[2] }
    printf "%-22s %6.1f MiB %14.1f MiB %12s KiB %7s s\n", $1,
      v["idle_kib"] / 1024, v["connected_kib"] / 1024, v["per_stream_kib"], v["connect_s"]
  }' "$results"
