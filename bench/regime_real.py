"""Real-data check of the regime head (benchmark, not a test; evaluation only).

Canadian municipal request summaries (Toronto, Calgary, Edmonton, Waterloo, Sudbury) are
labelled `general` or `personal` (= a request for the requester's own information). How
well does our `sar` label pick out the personal ones? Reads ../shared/data when present
and skips cleanly otherwise.

    python bench/regime_real.py
"""

from __future__ import annotations

import csv
import json
import sys
from collections import Counter

from _requests import ROOT

from classifier import Triage
from classifier.metrics import prf

DATA = ROOT.parent / "shared" / "data" / "canada-foi-summaries"
FILES = ["ca_on_toronto", "ca_ab_calgary", "ca_ab_edmonton", "ca_on_waterloo_region", "ca_on_greater_sudbury"]


def main() -> int:
    if not DATA.is_dir():
        print(f"skipped: {DATA} is not here (it is evaluation data outside the project)")
        return 0
    triage = Triage.load()
    report, total = {}, [0, 0, 0]
    for name in FILES:
        rows = [r for r in csv.DictReader((DATA / f"{name}.csv").open(encoding="utf-8", errors="replace"))
                if r.get("classification") in ("general", "personal") and (r.get("abstract") or "").strip()]
        gold = [r["classification"] == "personal" for r in rows]
        results = []
        for i in range(0, len(rows), 500):
            results += triage.classify_many([{"text": r["abstract"]} for r in rows[i : i + 500]])
        pred = [res["regime"]["label"] == "sar" for res in results]
        tp = sum(g and p for g, p in zip(gold, pred))
        fp = sum(p and not g for g, p in zip(gold, pred))
        fn = sum(g and not p for g, p in zip(gold, pred))
        total = [total[0] + tp, total[1] + fp, total[2] + fn]
        report[name] = {"rows": len(rows), "personal": sum(gold), **prf(tp, fp, fn),
                        "predicted_regimes": dict(Counter(res["regime"]["label"] for res in results))}
        print(name, json.dumps(report[name]))
    report["all"] = prf(*total)
    print("all", json.dumps(report["all"]))
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "regime_real.json").write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
