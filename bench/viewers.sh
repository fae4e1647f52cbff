#!/usr/bin/env bash
# The live-viewers benchmark (docs/BENCHMARKS.md): one release Folio holding
# VIEWERS (10,000) logged-in readers of one story, each with its own live
# stream. Reports the server's resident memory idle, with all connected and
# after they leave, and how fast one more viewer's arrival reaches them all.
# LISTENER=rocket (default) connects the viewers to Rocket's port;
# LISTENER=live to the dedicated live listener (live_port).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
. "$root/bench/common.sh"
VIEWERS=${VIEWERS:-10000}
LISTENER=${LISTENER:-rocket}
# Each side holds one descriptor per viewer: raise the soft limit as far as allowed.
ulimit -n "$(ulimit -Hn)"

cargo build --release --quiet
cargo build --release --quiet --example bench_data --example bench_viewers

work=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
key=$(openssl rand -base64 32)
"$root/target/release/examples/bench_data" --db "$work/data/folio.db" --secret-key "$key" \
  --readers $((VIEWERS + 1)) --stories 1 --cookies "$work/cookies.txt"

port=$(free_port)
live_port=$(free_port)
# The viewers here do not ping, so the presence TTL is set long enough that
# nobody expires during the run.
(cd "$work" && ROCKET_SECRET_KEY="$key" ROCKET_PORT="$port" ROCKET_LIVE_PORT="$live_port" \
  ROCKET_LOG_LEVEL=off ROCKET_SAMPLE_STORIES=false ROCKET_PRESENCE_TTL=600 ROCKET_STREAMS_PER_ADDRESS=100000 \
  exec env ${EXTRA_ENV:-} "$root/target/release/folio") &
pid=$!
wait_for_folio "http://127.0.0.1:$port" || { echo "Folio did not start" >&2; exit 1; }

stream_port=$port
[ "$LISTENER" = live ] && stream_port=$live_port
echo "viewers connect to the $LISTENER listener"
"$root/target/release/examples/bench_viewers" --base "http://127.0.0.1:$stream_port" --story 1 \
  --cookies "$work/cookies.txt" --viewers "$VIEWERS" --server-pid "$pid"
