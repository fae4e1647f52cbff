#!/usr/bin/env bash
# SQLite against PostgreSQL (docs/BENCHMARKS.md, "Storage engines"): one
# release Folio on each in turn, in one run, on the same data (bench_data's,
# moved into a throwaway PostgreSQL server with `folio migrate-data` before
# either run), under the same workloads as bench/run.sh (the story list, a
# returning reader, first opens) plus /api/log ingest (bench/log.lua, batches
# of BATCH actions with an API token). GET /health is each run's baseline.
# PostgreSQL runs on the same machine, so it shares the cores with Folio and
# wrk. Settings: DURATION (10s), CONNECTIONS (64), THREADS (2), READERS
# (20000), STORIES (50), BATCH (100).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
. "$root/bench/common.sh"
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
READERS=${READERS:-20000}
STORIES=${STORIES:-50}
export BATCH=${BATCH:-100}
command -v wrk >/dev/null || { apt-get install -y -qq wrk || { apt-get update -qq && apt-get install -y -qq wrk; }; }
cargo build --release --quiet
cargo build --release --quiet --example bench_data
folio=$root/target/release/folio

work=$(mktemp -d)
chmod 755 "$work"   # the postgres user runs the server in it
pid=""
pg="$work/postgres"
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; bash "$root/.ci/postgres" stop "$pg"; rm -rf "$work"' EXIT
key=$(openssl rand -base64 32)
"$root/target/release/examples/bench_data" --db "$work/data/folio.db" --secret-key "$key" \
  --readers "$READERS" --stories "$STORIES" --cookies "$work/cookies.txt"
export COOKIES="$work/cookies.txt"
# An API token, stored as Folio stores one (its SHA-256).
export TOKEN="folio_$(openssl rand -hex 32)"
hash=$(printf '%s' "$TOKEN" | sha256sum | cut -d' ' -f1)
sqlite3 "$work/data/folio.db" "INSERT INTO api_tokens (name, token_hash, created_at) VALUES ('bench', X'$hash', 0)"

server=$(bash "$root/.ci/postgres" start "$pg" "$(free_port)")
psql -q "$server" -c "CREATE DATABASE folio"
postgres_url="${server%/postgres}/folio"
(cd "$work" && ROCKET_LOG_LEVEL=off "$folio" migrate-data --to "$postgres_url")

# The token's posting budgets, so high that they never refuse.
export ROCKET_ACTIVITY_TOKEN_ACTIONS_PER_SECOND=1000000000
export ROCKET_ACTIVITY_TOKEN_ACTION_BURST=1000000000
export ROCKET_ACTIVITY_TOKEN_ACTIONS_PER_DAY=4000000000
export ROCKET_ACTIVITY_TOKEN_BYTES_PER_DAY=1000000000000000

load() { # name, path, [script, script args...]
  local name=$1 path=$2; shift 2
  local script=()
  if [ $# -gt 0 ]; then script=(-s "$root/bench/$1"); shift; fi
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "${script[@]}" "$base$path" -- "$@" >"$work/$name.txt"
}
rps() { awk '/^Requests\/sec/ {print $2}' "$work/$1.txt"; }
p99() { awk '$1 == "99%" {print $2}' "$work/$1.txt"; }

run() { # engine, database URL
  local engine=$1
  port=$(free_port)
  base="http://127.0.0.1:$port"
  (cd "$work" && DATABASE_URL="$2" ROCKET_SECRET_KEY="$key" ROCKET_PORT="$port" ROCKET_LOG_LEVEL=off \
    ROCKET_SAMPLE_STORIES=false exec "$folio") &
  pid=$!
  wait_for_folio "$base" || { echo "Folio did not start on $engine" >&2; exit 1; }
  load "$engine-trivial" /health
  load "$engine-list" / readers.lua returning / "$THREADS"
  load "$engine-warmup" /stories/1 readers.lua returning /stories/1 "$THREADS"
  load "$engine-returning" /stories/1 readers.lua returning /stories/1 "$THREADS"
  load "$engine-first" / readers.lua first 2 "$STORIES" "$THREADS"
  load "$engine-log" /api/log log.lua
  stop_folio
}
run sqlite "sqlite://$work/data/folio.db"
run postgres "$postgres_url"

printf '\n%-10s %14s %9s %8s   %14s %9s %8s   %9s\n' workload "SQLite req/s" p99 "vs /health" \
  "PostgreSQL req/s" p99 "vs /health" "PG / SQLite"
for name in trivial list returning first log; do
  s=$(rps "sqlite-$name") p=$(rps "postgres-$name")
  printf '%-10s %14s %9s %7.0f%%   %14s %9s %7.0f%%   %9.2f\n' "$name" \
    "$s" "$(p99 "sqlite-$name")" "$(echo "$s $(rps sqlite-trivial)" | awk '{print 100 * $1 / $2}')" \
    "$p" "$(p99 "postgres-$name")" "$(echo "$p $(rps postgres-trivial)" | awk '{print 100 * $1 / $2}')" \
    "$(echo "$p $s" | awk '{print $1 / $2}')"
done
grep -H -E 'Non-2xx|Socket errors' "$work"/*.txt || true
echo
echo "actions/s posted: SQLite $(echo "$(rps sqlite-log) $BATCH" | awk '{printf "%.0f", $1 * $2}'), PostgreSQL $(echo "$(rps postgres-log) $BATCH" | awk '{printf "%.0f", $1 * $2}')"
reads=$(psql -qtA "$postgres_url" -c "SELECT COUNT(*) || ' reads, counters ' || (SELECT SUM(read_count) FROM stories) FROM reads")
echo "PostgreSQL after the run: $reads"
