"""Training and cross-validated evaluation on ``training_data/``."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import yaml
from sklearn.model_selection import GroupKFold

from .artifact import save_model
from .corpus import Request, corpus_hash, load_corpus
from .features import Featuriser
from .metrics import match_spans, multilabel_report, prf
from .model import TriageModel, gold_batch
from .nlp import Lemmatiser, build_pipeline
from .taxonomy import load_taxonomy

__all__ = ["TrainingData", "train", "cross_validate", "DEFAULT_DATA_DIR"]

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "training_data"


class TrainingData:
    def __init__(self, data_dir: str | Path = DEFAULT_DATA_DIR):
        self.dir = Path(data_dir)
        self.taxonomy = load_taxonomy(self.dir / "taxonomy.yaml")
        self.config = yaml.safe_load((self.dir / "config.yaml").read_text(encoding="utf-8"))
        self.requests = load_corpus([self.dir / "corpus"], self.taxonomy)
        self.hash = corpus_hash([self.dir / "corpus", self.dir / "taxonomy.yaml", self.dir / "config.yaml"])


def _fit(requests: list[Request], data: TrainingData, featuriser: Featuriser) -> TriageModel:
    return TriageModel(data.taxonomy.to_dict(), data.config).fit(requests, featuriser)


def train(data: TrainingData, out_dir: Path, name: str = "default", version: str = "", metrics: dict | None = None) -> dict:
    nlp = build_pipeline()
    featuriser = Featuriser(Lemmatiser(nlp))
    model = _fit(data.requests, data, featuriser)
    from . import __version__

    meta = {
        "name": name,
        "version": version or __version__,
        "trained_at": datetime.now(timezone.utc).strftime("%Y-%m-%d"),
        "labels": {h: data.taxonomy.ids(h) for h in ("topics", "exemptions", "departments", "regimes")},
        "thresholds": {
            "topics": dict(zip(model.topic_labels, map(float, model.topics_.thresholds_))),
            "exemptions": dict(zip(model.exemption_labels, map(float, model.exemptions_.thresholds_))),
        },
        "config": data.config,
        "training_data": {"sha256": data.hash, "requests": len(data.requests),
                          "questions": sum(len(r.questions) for r in data.requests)},
        "metrics": metrics or {},
    }
    return save_model(model, nlp, Path(out_dir), meta)


def cross_validate(data: TrainingData, folds: int = 5) -> dict:
    """k-fold cross-validation with folds grouped by request (a request never straddles folds)."""
    nlp = build_pipeline()
    featuriser = Featuriser(Lemmatiser(nlp))
    requests = data.requests
    tax = data.taxonomy
    topics_l, exempt_l, dept_l = tax.ids("topics"), tax.ids("exemptions"), tax.ids("departments")
    gold_t, pred_t, gold_e, pred_e, leads, ranks, regime_gold, regime_pred = [], [], [], [], [], [], [], []
    split_counts = [0, 0, 0]
    splitter = GroupKFold(n_splits=folds)
    for train_idx, test_idx in splitter.split(np.zeros(len(requests)), groups=np.arange(len(requests))):
        model = _fit([requests[i] for i in train_idx], data, featuriser)
        test = [requests[i] for i in test_idx]
        docs = featuriser.documents([r.text for r in test])
        for r, spans in zip(test, model.split(featuriser, [r.text for r in test], docs)):
            pred = [(s.start, s.end) for s in spans]
            gold = [(q.start, q.end) for q in r.questions]
            tp = len(match_spans(pred, gold))
            split_counts = [split_counts[0] + tp, split_counts[1] + len(pred) - tp, split_counts[2] + len(gold) - tp]
        batch = gold_batch(test)
        batch.docs = docs
        out = model.predict(featuriser, batch)
        qs = [q for r in test for q in r.questions]
        for q, t, e, d in zip(qs, out["topics"], out["exemptions"], out["departments"]):
            gold_t.append(set(q.topics))
            gold_e.append(set(q.exemptions))
            pred_t.append({topics_l[j] for j in np.flatnonzero(t >= model.topics_.thresholds_)})
            pred_e.append({exempt_l[j] for j in np.flatnonzero(e >= model.exemptions_.thresholds_)})
            leads.append(q.departments[0])
            ranks.append([dept_l[j] for j in np.argsort(-d)])
        regime_gold += [r.regime for r in test]
        regime_pred += [model.regime_labels[j] for j in out["regime"].argmax(axis=1)]
    top1 = np.mean([o[0] == g for o, g in zip(ranks, leads)])
    top2 = np.mean([g in o[:2] for o, g in zip(ranks, leads)])
    confusion = {g: dict(Counter(o[0] for o, gg in zip(ranks, leads) if gg == g)) for g in dept_l}
    per_dept = {d: prf(sum(1 for o, g in zip(ranks, leads) if o[0] == d == g),
                       sum(1 for o, g in zip(ranks, leads) if o[0] == d != g),
                       sum(1 for o, g in zip(ranks, leads) if g == d != o[0])) for d in dept_l}
    return {
        "folds": folds,
        "grouped_by": "request",
        "requests": len(requests),
        "questions": len(leads),
        "split": prf(*split_counts),
        "topics": multilabel_report(gold_t, pred_t, topics_l),
        "exemptions": multilabel_report(gold_e, pred_e, exempt_l),
        "departments": {"lead_top1": round(float(top1), 4), "lead_top2": round(float(top2), 4),
                        "per_label": per_dept, "confusion": confusion},
        "regime": {"accuracy": round(float(np.mean([a == b for a, b in zip(regime_gold, regime_pred)])), 4),
                   "per_label": multilabel_report([{g} for g in regime_gold], [{p} for p in regime_pred],
                                                  tax.ids("regimes"))["per_label"]},
    }
