# Helpers the benchmark scripts share; sourced, not run.

# A free TCP port on the loopback address.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Waits up to ten seconds for Folio at base URL $1 to answer /health.
wait_for_folio() { for _ in $(seq 1 100); do curl -fs "$1/health" >/dev/null 2>&1 && return 0; sleep 0.1; done; return 1; }
