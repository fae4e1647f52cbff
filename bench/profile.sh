#!/usr/bin/env bash
# bench/run.sh with a CPU profile of each workload: builds Folio and the
# data generator with symbols (under target/profiling, so the stripped
# release build is left alone), installs inferno if needed, and writes
# flame graphs to ${PROFILE:-docs/flamegraphs}/<workload>.svg.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v perf >/dev/null || apt-get install -y -qq linux-perf
command -v inferno-flamegraph >/dev/null || cargo install --locked inferno
CARGO_PROFILE_RELEASE_STRIP=false CARGO_PROFILE_RELEASE_DEBUG=line-tables-only \
  cargo build --release --quiet --target-dir target/profiling --example bench_data --bin folio
FOLIO_BIN="$PWD/target/profiling/release/folio" BENCH_DATA_BIN="$PWD/target/profiling/release/examples/bench_data" \
  PROFILE="${PROFILE:-docs/flamegraphs}" exec bash bench/run.sh
