#!/usr/bin/env bash
# The backup benchmark (docs/BENCHMARKS.md): `folio backup` of a large
# database while wrk loads the story list, against `cp` of the same file
# (the baseline) and against the same load without a backup.
# Settings: ACTIONS (5000000 activity-log rows, about 700 MB), DURATION (12s).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
. "$root/bench/common.sh"
ACTIONS=${ACTIONS:-5000000}
DURATION=${DURATION:-12s}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
command -v sqlite3 >/dev/null || { apt-get update -qq && apt-get install -y -qq sqlite3; }
folio=${FOLIO_BIN:-$root/target/release/folio}
[ -n "${FOLIO_BIN:-}" ] || cargo build --release --quiet

scratch_folio
export SAMPLES=true
start_folio # creates the database, with the sample stories
stop_folio
db="$work/data/folio.db"
sqlite3 "$db" >/dev/null <<SQL
PRAGMA journal_mode = WAL;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $ACTIONS - 1)
INSERT INTO actions (user_key, session_key, type, time, at_ms, wall_clock, properties, received_at)
SELECT 'user-' || (i % 1000), 's' || (i / 1000), 'SCROLL',
       strftime('%Y-%m-%dT%H:%M:%SZ', t, 'unixepoch'), t * 1000,
       strftime('%Y-%m-%dT%H:%M:%S', t, 'unixepoch'), '{"storyId":1}', t
FROM (SELECT i, 1767225600 + i * 1.7 AS t FROM n);
PRAGMA wal_checkpoint(TRUNCATE);
SQL
echo "database: $(du -h "$db" | cut -f1)"
start_folio
sync
seconds() { /usr/bin/time -f %e "$@" 2>&1 >/dev/null | tail -n1; }
echo "cp of the file (baseline, server idle): $(seconds cp "$db" "$work/cp.db") s"
rm -f "$work/cp.db"; sync
load() { wrk -t2 -c16 -d"$DURATION" --latency "$base/" | awk '/^Requests\/sec/ {r=$2} $1=="99%" {p=$2} END {printf "%s req/s, p99 %s", r, p}'; }
echo "story list, no backup:     $(load)"
load >"$work/during.txt" &
loader=$!
sleep 1
took=$(cd "$work" && ROCKET_SECRET_KEY="$key" ROCKET_PORT="$port" seconds "$folio" backup "$work/backups/copy.db")
wait "$loader"
echo "story list, during backup: $(cat "$work/during.txt")"
echo "folio backup under that load: $took s, copy $(du -h "$work/backups/copy.db" | cut -f1)"
