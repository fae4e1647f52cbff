#!/usr/bin/env bash
# The core benchmark (docs/BENCHMARKS.md): one release Folio, wrk at 64
# connections, four workloads measured in one run so they can be compared:
#   trivial   GET /health                        the ceiling
#   list      GET /                              the story list, logged in
#   returning GET /stories/1, readers who read it before
#   first     GET /stories/N, a first read every time (durable before 200)
# Settings: DURATION (10s), CONNECTIONS (64), THREADS (2), READERS (20000), STORIES (50).
# To measure another build (an older commit, say), FOLIO_BIN and BENCH_DATA_BIN
# name its folio binary and its bench_data example; by default both are built
# from this tree. PROFILE=<dir> also records a CPU profile of Folio during
# each workload (perf) and draws it as <dir>/<workload>.svg (inferno); give
# it a binary with symbols (bench/profile.sh builds one). An older binary cannot open a database migrated by a newer
# one, hence the generator of the same build.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
. "$root/bench/common.sh"
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
READERS=${READERS:-20000}
STORIES=${STORIES:-50}

command -v wrk >/dev/null || { apt-get install -y -qq wrk || { apt-get update -qq && apt-get install -y -qq wrk; }; }
folio=${FOLIO_BIN:-$root/target/release/folio}
bench_data=${BENCH_DATA_BIN:-$root/target/release/examples/bench_data}
[ -n "${FOLIO_BIN:-}" ] || cargo build --release --quiet
[ -n "${BENCH_DATA_BIN:-}" ] || cargo build --release --quiet --example bench_data

work=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
key=$(openssl rand -base64 32)
"$bench_data" --db "$work/data/folio.db" --secret-key "$key" \
  --readers "$READERS" --stories "$STORIES" --cookies "$work/cookies.txt"

port=$(free_port)
(cd "$work" && ROCKET_SECRET_KEY="$key" ROCKET_PORT="$port" ROCKET_LOG_LEVEL=off \
  ROCKET_SAMPLE_STORIES=false exec "$folio") &
pid=$!
base="http://127.0.0.1:$port"
wait_for_folio "$base" || { echo "Folio did not start" >&2; exit 1; }

export COOKIES="$work/cookies.txt"
load() { # name, path, [script, script args...]
  local name=$1 path=$2; shift 2
  local script=() recorder=""
  if [ $# -gt 0 ]; then script=(-s "$root/bench/$1"); shift; fi
  if [ -n "${PROFILE:-}" ] && [ "$name" != warmup ]; then
    perf record -F 299 --call-graph dwarf,16384 -p "$pid" -o "$work/$name.perf" -- sleep "${DURATION%s}" 2>/dev/null &
    recorder=$!
  fi
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "${script[@]}" "$base$path" -- "$@" >"$work/$name.txt"
  if [ -n "$recorder" ]; then
    wait "$recorder" || true
    mkdir -p "$PROFILE"
    perf script -i "$work/$name.perf" 2>/dev/null | inferno-collapse-perf >"$PROFILE/$name.folded"
    inferno-flamegraph --title "Folio: $name ($CONNECTIONS connections)" --width 1400 --minwidth 2 \
      <"$PROFILE/$name.folded" >"$PROFILE/$name.svg"
  fi
}
rps() { awk '/^Requests\/sec/ {print $2}' "$work/$1.txt"; }
p99() { awk '$1 == "99%" {print $2}' "$work/$1.txt"; }
errors() { awk '/Non-2xx|Socket errors/ {print}' "$work/$1.txt"; }

load trivial /health
load list / readers.lua returning / "$THREADS"
load warmup /stories/1 readers.lua returning /stories/1 "$THREADS"   # every reader reads story 1 once
load returning /stories/1 readers.lua returning /stories/1 "$THREADS"
load first / readers.lua first 2 "$STORIES" "$THREADS"

completed=$(awk '/requests in/ {print $1}' "$work/first.txt")
# One statement, one snapshot: reads still in flight when wrk stopped land meanwhile.
IFS='|' read -r stored counters < <(sqlite3 "$work/data/folio.db" \
  "SELECT (SELECT COUNT(*) FROM reads WHERE story_id > 1), (SELECT SUM(read_count) FROM stories WHERE id > 1)")
rss=$(ps -o rss= -p "$pid")

printf '\n%-10s %12s %10s %9s\n' workload "requests/s" "p99" "vs trivial"
for name in trivial list returning first; do
  printf '%-10s %12s %10s %8.0f%%\n' "$name" "$(rps $name)" "$(p99 $name)" \
    "$(echo "$(rps $name) $(rps trivial)" | awk '{print 100 * $1 / $2}')"
  errors "$name"
done
echo
echo "first opens answered: $completed; reads stored for them: $stored; read counters: $counters"
[ "$stored" -ge "$completed" ] || echo "LOST READS: fewer stored than answered"
[ "$stored" = "$counters" ] || echo "COUNTER MISMATCH"
echo "resident memory after the run: $((rss / 1024)) MiB"
