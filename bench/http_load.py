"""Load benchmark of the HTTP service on loopback (bounded: a fixed number of requests).

Starts `foi-triage serve` on a free port, then for 1, 4 and 16 concurrent clients sends
single classifications (keep-alive connections, realistic requests) and reports
throughput, latency p50/p99 and errors; then sends 20,000 more and compares the server's
memory before and after.

    python bench/http_load.py [--requests 2000] [--soak 20000] [--workers 2] [--threads 4]

Target (issue 3, this 2-core machine): >= 300 classifications/s with p99 < 50 ms at 4
concurrent clients. The client runs on the same 2 cores as the server, so it costs the
server some of its CPU.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from _requests import ROOT, benchmark_requests

CLI = str(Path(sys.executable).parent / "foi-triage")


def rss_mb(pid: int) -> float:
    """Resident memory of the server: the gunicorn master and its worker processes."""
    pids = [pid] + [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit() and _parent(int(p.name)) == pid]
    total = 0
    for p in pids:
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


def _parent(pid: int) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def load(port: int, bodies: list[bytes], clients: int) -> dict:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    per_client = [bodies[i::clients] for i in range(clients)]

    def worker(mine: list[bytes]):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        local = []
        for body in mine:
            t = time.perf_counter()
            try:
                conn.request("POST", "/v1/classify", body=body, headers={"Content-Type": "application/json"})
                resp = conn.getresponse()
                resp.read()
                if resp.status != 200:
                    with lock:
                        errors[0] += 1
            except (OSError, http.client.HTTPException):
                with lock:
                    errors[0] += 1
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            local.append((time.perf_counter() - t) * 1000)
        with lock:
            latencies.extend(local)

    threads = [threading.Thread(target=worker, args=(m,)) for m in per_client]
    start = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    seconds = time.perf_counter() - start
    latencies.sort()
    return {"clients": clients, "requests": len(bodies), "errors": errors[0],
            "per_s": round(len(bodies) / seconds, 1), "p50_ms": round(statistics.median(latencies), 2),
            "p99_ms": round(latencies[int(0.99 * (len(latencies) - 1))], 2)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--soak", type=int, default=20000)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    server = subprocess.Popen([CLI, "serve", "--port", str(port), "--threads", str(args.threads),
                               "--workers", str(args.workers)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        texts = benchmark_requests(2000, seed=3)
        bodies = [json.dumps({"text": t}).encode() for t in texts]
        load(port, bodies[:200], 4)  # warm-up
        report = {"server_workers": args.workers, "server_threads": args.threads, "runs": []}
        for clients in (1, 4, 16):
            run = load(port, (bodies * (args.requests // len(bodies) + 1))[: args.requests], clients)
            report["runs"].append(run)
            print(json.dumps(run), flush=True)
        before = rss_mb(server.pid)
        soak = load(port, (bodies * (args.soak // len(bodies) + 1))[: args.soak], 4)
        after = rss_mb(server.pid)
        report["soak"] = {**soak, "rss_before_mb": round(before, 1), "rss_after_mb": round(after, 1)}
        print(json.dumps(report["soak"]), flush=True)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "http_load.json").write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
