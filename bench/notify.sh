#!/usr/bin/env bash
# The notifications benchmark (docs/BENCHMARKS.md): one release Folio with
# FOLLOWERS (100,000) logged-in readers who all follow story 1, CONNECTED
# (5,000) of them with their inbox stream open. An admin posts ROUNDS (3)
# updates over HTTP; for each, the POST's time, when each open stream got
# the notice (p50/p99/max from sending the POST), and the rows stored.
# LISTENER=rocket (default) connects the streams to Rocket's port;
# LISTENER=live to the dedicated live listener (live_port).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
. "$root/bench/common.sh"
FOLLOWERS=${FOLLOWERS:-100000}
CONNECTED=${CONNECTED:-5000}
ROUNDS=${ROUNDS:-3}
LISTENER=${LISTENER:-rocket}
# Each side holds one descriptor per open stream: raise the soft limit as far as allowed.
ulimit -n "$(ulimit -Hn)"

cargo build --release --quiet
cargo build --release --quiet --example bench_data --example bench_notify

work=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
key=$(openssl rand -base64 32)
started=$(date +%s.%N)
"$root/target/release/examples/bench_data" --db "$work/data/folio.db" --secret-key "$key" \
  --readers "$FOLLOWERS" --stories 1 --follow 1 --cookies "$work/cookies.txt"
echo "generated in $(echo "$started $(date +%s.%N)" | awk '{printf "%.1f", $2 - $1}') s"
(cd "$work" && printf 'benchmark password\n' | ROCKET_LOG_LEVEL=off "$root/target/release/folio" admin create boss)

port=$(free_port)
live_port=$(free_port)
(cd "$work" && ROCKET_SECRET_KEY="$key" ROCKET_PORT="$port" ROCKET_LIVE_PORT="$live_port" \
  ROCKET_LOG_LEVEL=off ROCKET_SAMPLE_STORIES=false exec "$root/target/release/folio") &
pid=$!
base="http://127.0.0.1:$port"
wait_for_folio "$base" || { echo "Folio did not start" >&2; exit 1; }

# The admin logs in as a browser would; the updates page then sets the CSRF
# cookie whose token its form carries.
jar="$work/admin-cookies.txt"
token=$(curl -fs -c "$jar" -b "$jar" "$base/login" | sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -1)
curl -fs -o /dev/null -c "$jar" -b "$jar" --data-urlencode "csrf_token=$token" \
  --data-urlencode "username=boss" --data-urlencode "password=benchmark password" "$base/login"
token=$(curl -fs -c "$jar" -b "$jar" "$base/admin/stories/1/updates" |
  sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -1)
[ -n "$token" ] || { echo "the admin could not log in" >&2; exit 1; }
admin_cookie=$(awk -F'\t' 'NF == 7 { print $6 "=" $7 }' "$jar" | paste -sd';' | sed 's/;/; /g')

stream_base=$base
[ "$LISTENER" = live ] && stream_base="http://127.0.0.1:$live_port"
echo "streams connect to the $LISTENER listener"
"$root/target/release/examples/bench_notify" --base "$base" --stream-base "$stream_base" \
  --cookies "$work/cookies.txt" --connected "$CONNECTED" --followers "$FOLLOWERS" \
  --rounds "$ROUNDS" --admin-cookie "$admin_cookie" --csrf-token "$token" \
  --db "$work/data/folio.db" --server-pid "$pid"
