# Helpers the benchmark scripts share; sourced, not run.

# A free TCP port on the loopback address.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Waits up to ten seconds for Folio at base URL $1 to answer /health.
wait_for_folio() { for _ in $(seq 1 100); do curl -fs "$1/health" >/dev/null 2>&1 && return 0; sleep 0.1; done; return 1; }

# A scratch Folio for one benchmark: $work (removed on exit, with the Folio
# in $pid stopped), a fresh secret $key, a free $port and its $base URL.
scratch_folio() {
  work=$(mktemp -d)
  pid=""
  trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
  key=$(openssl rand -base64 32)
  port=$(free_port)
  base="http://127.0.0.1:$port"
}

# Starts the release binary ($folio, else target/release/folio) in $work,
# logging nothing; SAMPLES=true keeps the sample stories. stop_folio stops it.
start_folio() {
  (cd "$work" && ROCKET_SECRET_KEY="$key" ROCKET_PORT="$port" ROCKET_LOG_LEVEL=off \
    ROCKET_SAMPLE_STORIES="${SAMPLES:-false}" exec "${folio:-$root/target/release/folio}") &
  pid=$!
  wait_for_folio "$base" || { echo "Folio did not start" >&2; exit 1; }
}
stop_folio() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""; }
