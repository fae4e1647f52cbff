#!/usr/bin/env bash
# The activity-log benchmark (docs/BENCHMARKS.md), on one release Folio:
#  1. ingest: wrk posts batches of BATCH (100) actions from CLIENTS (32)
#     connections for DURATION (10s) with an API token; every answered
#     batch is checked to be in the database afterwards;
#  2. queries: ACTIONS (10,000,000) actions of USERS (1,000) users over
#     DAYS (100) days are generated straight into the database, then one
#     user's day (and other filters) is fetched ROUNDS (15) times, the
#     median and slowest printed next to GET /health measured in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
. "$root/bench/common.sh"
BATCH=${BATCH:-100}
CLIENTS=${CLIENTS:-32}
DURATION=${DURATION:-10s}
ACTIONS=${ACTIONS:-10000000}
USERS=${USERS:-1000}
DAYS=${DAYS:-100}
ROUNDS=${ROUNDS:-15}

command -v wrk >/dev/null || { apt-get install -y -qq wrk || { apt-get update -qq && apt-get install -y -qq wrk; }; }
cargo build --release --quiet

# The token's posting budgets, so high that they never refuse: every batch
# is still checked against them, so their cost is in the figures.
export ROCKET_ACTIVITY_TOKEN_ACTIONS_PER_SECOND=1000000000
export ROCKET_ACTIVITY_TOKEN_ACTION_BURST=1000000000
export ROCKET_ACTIVITY_TOKEN_ACTIONS_PER_DAY=4000000000
export ROCKET_ACTIVITY_TOKEN_BYTES_PER_DAY=1000000000000000

scratch_folio
start_folio
db="$work/data/folio.db"
# An API token, stored as Folio stores one (its SHA-256).
export TOKEN="folio_$(openssl rand -hex 32)"
hash=$(printf '%s' "$TOKEN" | sha256sum | cut -d' ' -f1)
sqlite3 "$db" "INSERT INTO api_tokens (name, token_hash, created_at) VALUES ('bench', X'$hash', 0)"

echo "== ingest: batches of $BATCH from $CLIENTS connections, $DURATION"
wrk -t2 -c"$CLIENTS" -d"$DURATION" --latency "$base/health" >"$work/trivial.txt"
BATCH=$BATCH wrk -t2 -c"$CLIENTS" -d"$DURATION" --latency -s "$root/bench/log.lua" "$base/api/log" >"$work/ingest.txt"
rps() { awk '/^Requests\/sec/ {print $2}' "$work/$1.txt"; }
p99() { awk '$1 == "99%" {print $2}' "$work/$1.txt"; }
answered=$(awk '/requests in/ {print $1}' "$work/ingest.txt")
stored=$(sqlite3 "$db" "SELECT COUNT(*) FROM actions")
printf '%-10s %12s %10s\n' workload "requests/s" p99
printf '%-10s %12s %10s\n' trivial "$(rps trivial)" "$(p99 trivial)"
printf '%-10s %12s %10s\n' "log" "$(rps ingest)" "$(p99 ingest)"
grep -E 'Non-2xx|Socket errors' "$work/ingest.txt" || true
echo "actions/s: $(echo "$(rps ingest) $BATCH" | awk '{printf "%.0f", $1 * $2}')"
echo "batches answered: $answered; actions stored: $stored (at least $((answered * BATCH)) expected)"
[ "$stored" -ge $((answered * BATCH)) ] || echo "LOST ACTIONS"

echo "== queries on $ACTIONS actions of $USERS users over $DAYS days"
stop_folio
generated=$(date +%s)
# Indexes are built after the rows, as a bulk load would.
sqlite3 "$db" <<SQL
PRAGMA journal_mode = WAL;
DELETE FROM actions;
DROP INDEX actions_by_user;
DROP INDEX actions_by_time;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $ACTIONS - 1)
INSERT INTO actions (user_key, session_key, type, time, at_ms, wall_clock, properties, received_at)
SELECT 'user-' || (i % $USERS), 's' || (i / 1000),
       CASE (i / $USERS) % 4 WHEN 0 THEN 'NAVIGATE' WHEN 1 THEN 'SCROLL' WHEN 2 THEN 'CLICK' ELSE 'READ_COMPLETE' END,
       strftime('%Y-%m-%dT%H:%M:%SZ', t, 'unixepoch'), t * 1000,
       strftime('%Y-%m-%dT%H:%M:%S', t, 'unixepoch'), '{"storyId":' || (i % 50) || '}', t
FROM (SELECT i, 1767225600 + (i * ($DAYS * 86400 / $ACTIONS.0)) AS t FROM n);
CREATE INDEX actions_by_user ON actions (user_key, at_ms);
CREATE INDEX actions_by_time ON actions (at_ms);
ANALYZE;
SQL
echo "generated in $(($(date +%s) - generated)) s; database $(du -h "$db" | cut -f1)"
start_folio

time_of() { # path -> "median max rows" over ROUNDS fetches, after one warm-up
  local rows
  rows=$(curl -fs -H "Authorization: Bearer $TOKEN" "$base$1" | python3 -c 'import json,sys; print(len(json.load(sys.stdin).get("actions", [])))' 2>/dev/null || echo -)
  for _ in $(seq 1 "$ROUNDS"); do
    curl -fs -o /dev/null -H "Authorization: Bearer $TOKEN" -w '%{time_total}\n' "$base$1"
  done | sort -n | awk -v rows="$rows" '{ t[NR] = $1 * 1000 } END { printf "%.1f %.1f %s\n", t[int((NR + 1) / 2)], t[NR], rows }'
}
printf '%-92s %9s %9s %6s\n' query "median ms" "max ms" rows
for path in /health \
  "/api/log/get?userId=user-42&start=2026-02-10T00:00:00&end=2026-02-10T23:59:59" \
  "/api/log/get?userId=user-42&type=CLICK&start=2026-02-10T00:00:00&end=2026-02-10T23:59:59" \
  "/api/log?userId=user-42&start=2026-02-10T00:00:00Z&end=2026-02-10T23:59:59Z" \
  "/api/log?userId=user-42&date=2026-02-10T12:00:00" \
  "/api/log?userId=user-42&limit=1000" \
  "/api/log?type=CLICK&limit=1000" \
  "/api/log?start=2026-03-01T00:00:00Z&end=2026-03-01T00:10:00Z&limit=1000"; do
  read -r median max rows < <(time_of "$path")
  printf '%-92s %9s %9s %6s\n' "$path" "$median" "$max" "$rows"
done
printf '\nrss after: %s KiB\n' "$(ps -o rss= -p "$pid")"
