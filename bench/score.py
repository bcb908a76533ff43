"""Batch scoring throughput, scaling and memory (`foi-triage score`), with 1 and 2 workers
and the Dask engine on a local 2-worker cluster.

    python bench/score.py [--sizes 5000,10000,20000]

Targets (issue 4): >= 1,200 requests/s with 2 workers, >= 85% parallel efficiency, peak
memory < 600 MB whatever the input size, Dask within 30% of the local engine.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from _requests import ROOT, benchmark_requests

CLI = str(Path(sys.executable).parent / "foi-triage")
MEASURE = ("import resource,subprocess,sys,json,time;t=time.perf_counter();"
           "rc=subprocess.run(sys.argv[1:]).returncode;"
           "print(json.dumps({'rc':rc,'s':time.perf_counter()-t,"
           "'self_mb':resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024,"
           "'child_mb':resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024}))")


def run(inp: Path, workers: int, engine: str = "local") -> dict:
    out = inp.with_suffix(f".{engine}{workers}.out.jsonl")
    out.unlink(missing_ok=True)
    cmd = [sys.executable, "-c", MEASURE, CLI, "score", str(inp), "--out", str(out), "--workers", str(workers),
           "--no-progress", "--engine", engine, "--chunk-size", "500"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    m = json.loads(proc.stdout.strip().splitlines()[-1])
    assert m["rc"] == 0, proc.stderr
    return m


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="5000,10000,20000")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    texts = benchmark_requests(max(sizes), seed=11)
    report = {"runs": []}
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            inp = Path(tmp) / f"in{n}.jsonl"
            inp.write_text("".join(json.dumps({"id": f"R{i}", "text": t}) + "\n" for i, t in enumerate(texts[:n])))
            for workers, engine in ((1, "local"), (2, "local")) + (((2, "dask"),) if n == max(sizes) else ()):
                m = run(inp, workers, engine)
                row = {"requests": n, "workers": workers, "engine": engine, "seconds": round(m["s"], 2),
                       "requests_per_s": round(n / m["s"], 1),
                       "peak_mb": round(max(m["self_mb"], m["child_mb"]), 1)}
                report["runs"].append(row)
                print(json.dumps(row), flush=True)
    big = max(sizes)
    by = {(r["requests"], r["workers"], r["engine"]): r for r in report["runs"]}
    one, two = by[(big, 1, "local")], by[(big, 2, "local")]
    report["parallel_efficiency_2_workers"] = round(two["requests_per_s"] / (2 * one["requests_per_s"]), 3)
    report["dask_vs_local_2_workers"] = round(by[(big, 2, "dask")]["requests_per_s"] / two["requests_per_s"], 3)
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "score.json").write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps({k: v for k, v in report.items() if k != "runs"}, indent=2))


if __name__ == "__main__":
    main()
