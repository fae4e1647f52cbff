#!/usr/bin/env bash
# The dashboard benchmark (docs/BENCHMARKS.md): a release Folio on a
# database of 1,000 stories, 100,000 readers, 1,000,000 reads and
# 10,000,000 views over two years; every dashboard and story-statistics
# range is fetched ROUNDS times by a logged-in admin, and the median and
# slowest times are printed next to GET /health, measured in the same run.
# Settings: ROUNDS (15), and the generator's sizes: STORIES, READERS, READS, VIEWS, DAYS.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
. "$root/bench/common.sh"
ROUNDS=${ROUNDS:-15}

cargo build --release --quiet
cargo build --release --quiet --example bench_admin

work=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
"$root/target/release/examples/bench_admin" --db "$work/data/folio.db" \
  --stories "${STORIES:-1000}" --readers "${READERS:-100000}" --reads "${READS:-1000000}" \
  --views "${VIEWS:-10000000}" --days "${DAYS:-730}"
(cd "$work" && printf 'benchmark password\n' | ROCKET_LOG_LEVEL=off "$root/target/release/folio" admin create boss)

key=$(openssl rand -base64 32)
port=$(free_port)
(cd "$work" && ROCKET_SECRET_KEY="$key" ROCKET_PORT="$port" ROCKET_LOG_LEVEL=off \
  ROCKET_SAMPLE_STORIES=false exec "$root/target/release/folio") &
pid=$!
base="http://127.0.0.1:$port"
wait_for_folio "$base" || { echo "Folio did not start" >&2; exit 1; }

jar="$work/cookies.txt"
token=$(curl -fs -c "$jar" -b "$jar" "$base/login" | sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -1)
curl -fs -o /dev/null -c "$jar" -b "$jar" --data-urlencode "csrf_token=$token" \
  --data-urlencode "username=boss" --data-urlencode "password=benchmark password" "$base/login"
curl -fs -o /dev/null -b "$jar" "$base/admin" || { echo "the admin could not log in" >&2; exit 1; }

time_of() { # path -> "median max" in ms over ROUNDS fetches (after one warm-up)
  curl -fs -o /dev/null -b "$jar" "$base$1"
  for _ in $(seq 1 "$ROUNDS"); do
    curl -fs -o /dev/null -b "$jar" -w '%{time_total}\n' "$base$1"
  done | sort -n | awk '{ t[NR] = $1 * 1000 } END { printf "%.1f %.1f\n", t[int((NR + 1) / 2)], t[NR] }'
}

from=$(date -u -d '-200 days' +%F); to=$(date -u -d '-20 days' +%F)
printf '%-44s %10s %10s\n' page "median ms" "max ms"
for path in /health \
  "/admin?range=7" "/admin?range=30" "/admin?range=90" "/admin?range=365" "/admin?range=all" \
  "/admin?from=$from&to=$to" "/admin?range=all&metric=reads" \
  "/admin/stories/1/stats?range=30" "/admin/stories/1/stats?range=365" "/admin/stories/1/stats?range=all" \
  "/admin/stats/daily.csv?range=all" "/admin/stats/top.csv?range=all" "/admin/stories/1/stats.csv?range=all"; do
  read -r median max < <(time_of "$path")
  printf '%-44s %10s %10s\n' "$path" "$median" "$max"
done
printf '\nrss after: %s KiB\n' "$(ps -o rss= -p "$pid")"
