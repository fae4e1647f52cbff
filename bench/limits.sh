#!/usr/bin/env bash
# What the limits cost (docs/BENCHMARKS.md, "Limits"): this tree's release
# build against an older one (BASE, default: the commit before the stream
# budgets and rate limits), alternating ROUNDS (4) times, each run on a fresh
# database of its own build's generator. Every run measures, with wrk at
# CONNECTIONS (64) for DURATION (8s):
#   trivial   GET /health                      the ceiling, for the ratios
#   returning GET /stories/1 by READERS (20000) readers who read it before
#   log       POST /api/log, batches of BATCH (100) actions with an API token
# The limits are set high for the newer build (LIMIT_ENV), so that what is
# measured is the cost of checking them, not of refusing.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
. "$root/bench/common.sh"
BASE=${BASE:-2ee0def}
ROUNDS=${ROUNDS:-4}
DURATION=${DURATION:-8s}
CONNECTIONS=${CONNECTIONS:-64}
READERS=${READERS:-20000}
BATCH=${BATCH:-100}
# Checked on every batch, never reached (0 would turn the checks off).
LIMIT_ENV=${LIMIT_ENV:-ROCKET_ACTIVITY_TOKEN_ACTIONS_PER_SECOND=1000000000 ROCKET_ACTIVITY_TOKEN_ACTION_BURST=1000000000 ROCKET_ACTIVITY_TOKEN_ACTIONS_PER_DAY=4000000000 ROCKET_ACTIVITY_TOKEN_BYTES_PER_DAY=1000000000000000}

command -v wrk >/dev/null || { apt-get install -y -qq wrk || { apt-get update -qq && apt-get install -y -qq wrk; }; }

# The older build, in a work tree of its own under target/ (kept between runs).
base_dir="$root/target/bench-base"
if [ ! -d "$base_dir/src" ]; then
  git worktree add --detach "$base_dir/src" "$BASE" >/dev/null
fi
git -C "$base_dir/src" checkout --quiet --detach "$BASE"
(cd "$base_dir/src" && CARGO_TARGET_DIR="$base_dir/target" cargo build --release --quiet \
  --bin folio --example bench_data)
cargo build --release --quiet --bin folio --example bench_data

scratch_folio
export BATCH
rps() { awk '/^Requests\/sec/ {print $2}' "$1"; }

run() { # label, binary dir, extra environment
  local label=$1 dir=$2 extra=$3 data="$work/$1"
  rm -rf "$data" && mkdir -p "$data"
  "$dir/examples/bench_data" --db "$data/data/folio.db" --secret-key "$key" \
    --readers "$READERS" --stories 50 --cookies "$data/cookies.txt" >/dev/null
  local db="$data/data/folio.db"
  export TOKEN="folio_$(openssl rand -hex 32)"
  local hash
  hash=$(printf '%s' "$TOKEN" | sha256sum | cut -d' ' -f1)
  sqlite3 "$db" "INSERT INTO api_tokens (name, token_hash, created_at) VALUES ('bench', X'$hash', 0)"
  # shellcheck disable=SC2086 # $extra is a list of NAME=value words
  (cd "$data" && exec env $extra ROCKET_SECRET_KEY="$key" ROCKET_PORT="$port" ROCKET_LOG_LEVEL=off \
    ROCKET_SAMPLE_STORIES=false "$dir/folio") &
  pid=$!
  wait_for_folio "$base" || { echo "Folio did not start" >&2; exit 1; }
  export COOKIES="$data/cookies.txt"
  local w=(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency)
  "${w[@]}" "$base/health" >"$data/trivial.txt"
  "${w[@]}" -s "$root/bench/readers.lua" "$base/stories/1" -- returning /stories/1 2 >/dev/null
  "${w[@]}" -s "$root/bench/readers.lua" "$base/stories/1" -- returning /stories/1 2 >"$data/returning.txt"
  "${w[@]}" -s "$root/bench/log.lua" "$base/api/log" >"$data/log.txt"
  stop_folio
  local t r l
  t=$(rps "$data/trivial.txt") r=$(rps "$data/returning.txt") l=$(rps "$data/log.txt")
  local refused
  refused=$(awk '/Non-2xx/ {print $4}' "$data/returning.txt" "$data/log.txt" | paste -sd+ | bc 2>/dev/null || echo 0)
  printf '%-6s %-7s %10s %10s (%3.0f%%) %8s (%3.0f%%) %s\n' "$round" "$label" "$t" "$r" \
    "$(echo "$r $t" | awk '{print 100 * $1 / $2}')" "$l" "$(echo "$l $t" | awk '{print 100 * $1 / $2}')" \
    "${refused:+non-2xx: $refused}"
  rm -rf "$data"
}

printf '%-6s %-7s %10s %17s %15s\n' round build "/health" "returning reader" "/api/log"
for round in $(seq 1 "$ROUNDS"); do
  if [ $((round % 2)) = 1 ]; then
    run before "$base_dir/target/release" ""
    run after "$root/target/release" "$LIMIT_ENV"
  else
    run after "$root/target/release" "$LIMIT_ENV"
    run before "$base_dir/target/release" ""
  fi
done
