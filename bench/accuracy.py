"""Accuracy of the model against a plain keyword baseline, and on real request titles.

1. Cross-validated metrics of the model (folds grouped by request; same as
   `foi-triage evaluate`), next to a keyword baseline that needs no training: a topic or
   exemption is predicted when one of its typical words (training_data/taxonomy.yaml)
   occurs in the question, and the lead department is the one whose name and
   description share most words with the question.
2. Real request titles sent to UK councils about children's social care (WhatDoTheyKnow,
   ../shared/data; evaluation only, never trained on): the share tagged social_care and
   routed to children's services. Skipped when that folder is absent.

    python bench/accuracy.py [--folds 5]
"""

from __future__ import annotations

import argparse
import csv
import json
import re
from collections import Counter

from _requests import ROOT

from classifier import Triage
from classifier.metrics import multilabel_report
from classifier.train import TrainingData, cross_validate

WORD = re.compile(r"[a-z£0-9]+")


def _words(text: str) -> set[str]:
    return set(WORD.findall(text.lower()))


def keyword_baseline(data: TrainingData) -> dict:
    tax = data.taxonomy
    topic_words = {l.id: [w.lower() for w in l.typical_words] for l in tax.topics}
    ex_words = {l.id: [w.lower() for w in l.typical_words] for l in tax.exemptions}
    stop = {"and", "the", "of", "to", "a", "in", "for", "or", "on", "with", "by"}
    dept_words = {l.id: (_words(l.name + " " + l.description) - stop) for l in tax.departments}
    gold_t, pred_t, gold_e, pred_e, top1 = [], [], [], [], []
    for r in data.requests:
        for q in r.questions:
            low = q.text.lower()
            words = _words(low)
            gold_t.append(set(q.topics))
            gold_e.append(set(q.exemptions))
            pred_t.append({t for t, ws in topic_words.items() if any(w in low for w in ws)})
            pred_e.append({e for e, ws in ex_words.items() if any(w in low for w in ws)})
            scores = {d: len(words & ws) for d, ws in dept_words.items()}
            best = max(scores.values())
            lead = "information_governance" if best == 0 else max(scores, key=scores.get)
            top1.append(lead == q.departments[0])
    return {"topics": multilabel_report(gold_t, pred_t, tax.ids("topics"))["micro"],
            "exemptions": multilabel_report(gold_e, pred_e, tax.ids("exemptions"))["micro"],
            "lead_top1": round(sum(top1) / len(top1), 4)}


def wdtk(triage: Triage) -> dict | None:
    path = ROOT.parent / "shared" / "data" / "wdtk-childrens-social-care" / "foi_csc_requests_summary.csv"
    if not path.exists():
        return None
    with path.open(encoding="utf-8", errors="replace") as fh:
        rows = list(csv.DictReader(fh))
    column = "Request Title"
    titles = sorted({r[column].strip() for r in rows if r[column].strip()})
    results = []
    for i in range(0, len(titles), 500):
        results += triage.classify_many([{"text": t} for t in titles[i : i + 500]])
    social = sum(any(t["label"] == "social_care" for q in r["questions"] for t in q["topics"]) for r in results)
    leads = Counter(r["departments"][0]["label"] if r["departments"] else "(none)" for r in results)
    return {"distinct_titles": len(titles), "tagged_social_care": round(social / len(titles), 4),
            "lead_childrens_services": round(leads["childrens_services"] / len(titles), 4),
            "lead_departments": dict(leads.most_common())}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args()
    data = TrainingData()
    model = cross_validate(data, folds=args.folds)
    report = {
        "model": {"split_f1": model["split"]["f1"], "topics": model["topics"]["micro"],
                  "exemptions": model["exemptions"]["micro"],
                  "exemption_recall": {k: model["exemptions"]["per_label"][k]["recall"] for k in ("s21", "s40_2", "s43_2")},
                  "lead_top1": model["departments"]["lead_top1"], "lead_top2": model["departments"]["lead_top2"],
                  "regime_accuracy": model["regime"]["accuracy"]},
        "keyword_baseline": keyword_baseline(data),
        "wdtk_childrens_social_care": wdtk(Triage.load()),
    }
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "accuracy.json").write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
