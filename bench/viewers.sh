#!/usr/bin/env bash
# The live-viewers benchmark (docs/BENCHMARKS.md): one release Folio holding
# VIEWERS (10,000) logged-in readers of one story, each with its own live
# stream. Reports the server's resident memory idle, with all connected and
# after they leave, and how fast one more viewer's arrival reaches them all.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
VIEWERS=${VIEWERS:-10000}
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

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# The viewers here do not ping, so the presence TTL is set long enough that
# nobody expires during the run.
(cd "$work" && ROCKET_SECRET_KEY="$key" ROCKET_PORT="$port" ROCKET_LOG_LEVEL=off \
  ROCKET_SAMPLE_STORIES=false ROCKET_PRESENCE_TTL=600 exec "$root/target/release/folio") &
pid=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.1; done

"$root/target/release/examples/bench_viewers" --base "http://127.0.0.1:$port" --story 1 \
  --cookies "$work/cookies.txt" --viewers "$VIEWERS" --server-pid "$pid"
