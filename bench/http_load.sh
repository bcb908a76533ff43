#!/usr/bin/env bash
# The same load as bench/http_load.py but from wrk (Debian package `wrk`), whose C client
# leaves more of the two cores to the server: 4 and 16 connections, 30 s each.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }
PORT=${PORT:-8099}
OMP_NUM_THREADS=1 .venv/bin/foi-triage serve --port "$PORT" --workers "${WORKERS:-2}" --threads 4 2>/dev/null &
SERVER=$!
trap 'kill -TERM $SERVER; wait $SERVER' EXIT
for _ in $(seq 100); do curl -s "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.2; done
for c in 4 16; do
  echo "== $c connections"
  wrk -t 2 -c "$c" -d "${DURATION:-30s}" --latency -s bench/wrk_post.lua "http://127.0.0.1:$PORT/v1/classify" \
    | grep -E "Requests/sec|Latency|50%|99%|Non-2xx|Socket errors" || true
done
