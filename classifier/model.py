"""The trained model: TF-IDF vocabularies and four linear heads.

A question is read with its context: its own words (lemma unigrams, bigrams, rule
matches), its parent's stem and the whole request (content-word unigrams, weighted
down). ``TriageModel`` holds only arrays and scikit-learn vectorizers (never the spaCy
pipeline), so it pickles small and loads fast. Class paths here are public API:
renaming one breaks saved models.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import MultiLabelBinarizer

from .clean import kept_lines
from .corpus import Request
from .features import Featuriser, identity
from .heads import BinaryHeads, RankingHead

__all__ = ["TriageModel", "Batch", "request_body", "gold_batch"]


def request_body(text: str) -> str:
    """The request without quoted replies, footers and signature, for request-level features."""
    return "\n".join(line.text for line in kept_lines(text))


@dataclass
class Batch:
    """Questions to score: their text, parent stem, and the index of their request in ``bodies``."""

    texts: list[str]
    parents: list[str]
    owner: list[int]
    bodies: list[str]


def gold_batch(requests: list[Request]) -> Batch:
    texts, parents, owner = [], [], []
    for i, r in enumerate(requests):
        by_ref = {q.ref: q.text for q in r.questions}
        for q in r.questions:
            texts.append(q.text)
            parents.append(by_ref.get(q.parent_ref, "") if q.parent_ref else "")
            owner.append(i)
    return Batch(texts, parents, owner, [request_body(r.text) for r in requests])


def _vectorizer(cfg: dict) -> TfidfVectorizer:
    return TfidfVectorizer(analyzer=identity, lowercase=False, dtype=np.float32, **cfg)


class TriageModel:
    def __init__(self, taxonomy: dict, config: dict):
        self.taxonomy = taxonomy
        self.config = config

    # -- features -----------------------------------------------------------------
    def _features(self, featuriser: Featuriser, batch: Batch, fit: bool = False):
        body_terms = featuriser.terms(batch.bodies)
        own = featuriser.terms(batch.texts)
        parents = featuriser.unigrams(batch.parents)
        request_uni = [[t for t in ts if " " not in t and not t.startswith("_")] for ts in body_terms]
        requests = [request_uni[i] for i in batch.owner]
        w = self.config.get("context_weights", {})
        if fit:
            cfg = self.config["vectorizer"]
            self.own_vectorizer_, self.parent_vectorizer_, self.request_vectorizer_ = (
                _vectorizer(cfg), _vectorizer(cfg), _vectorizer(cfg))
            parts = (self.own_vectorizer_.fit_transform(own), self.parent_vectorizer_.fit_transform(parents),
                     self.request_vectorizer_.fit_transform(requests))
        else:
            parts = (self.own_vectorizer_.transform(own), self.parent_vectorizer_.transform(parents),
                     self.request_vectorizer_.transform(requests))
        X = sparse.hstack([parts[0], parts[1] * w.get("parent", 0.5), parts[2] * w.get("request", 0.5)],
                          format="csr", dtype=np.float32)
        return X, body_terms

    # -- training -----------------------------------------------------------------
    def fit(self, requests: list[Request], featuriser: Featuriser) -> "TriageModel":
        cfg, seed, k = self.config, self.config["seed"], self.config["cv_folds"]
        self.topic_labels = [l["id"] for l in self.taxonomy["topics"]]
        self.exemption_labels = [l["id"] for l in self.taxonomy["exemptions"]]
        self.department_labels = [l["id"] for l in self.taxonomy["departments"]]
        self.regime_labels = [l["id"] for l in self.taxonomy["regimes"]]
        batch = gold_batch(requests)
        qs = [q for r in requests for q in r.questions]
        groups = np.asarray(batch.owner)
        X, body_terms = self._features(featuriser, batch, fit=True)
        Yt = MultiLabelBinarizer(classes=self.topic_labels).fit_transform([q.topics for q in qs])
        Ye = MultiLabelBinarizer(classes=self.exemption_labels).fit_transform([q.exemptions for q in qs])
        yd = np.asarray([self.department_labels.index(q.departments[0]) for q in qs])
        self.topics_ = BinaryHeads(self.topic_labels, folds=k, seed=seed, **_opts(cfg["topics"])).fit(X, Yt, groups)
        self.exemptions_ = BinaryHeads(self.exemption_labels, folds=k, seed=seed,
                                       **_opts(cfg["exemptions"])).fit(X, Ye, groups)
        self.departments_ = RankingHead(self.department_labels, folds=k, seed=seed,
                                        **_opts(cfg["departments"])).fit(X, yd, groups)
        self.regime_vectorizer_ = _vectorizer(cfg["vectorizer"])
        Xr = self.regime_vectorizer_.fit_transform(body_terms).tocsr()
        yr = np.asarray([self.regime_labels.index(r.regime) for r in requests])
        self.regimes_ = RankingHead(self.regime_labels, folds=k, seed=seed,
                                    **_opts(cfg["regimes"])).fit(Xr, yr, np.arange(len(requests)))
        self.vocabulary_ = self.own_vectorizer_.get_feature_names_out()
        return self

    # -- prediction ---------------------------------------------------------------
    def predict(self, featuriser: Featuriser, batch: Batch) -> dict:
        """Probabilities per question (topics, exemptions, departments) and per request (regime)."""
        X, body_terms = self._features(featuriser, batch)
        regime = self.regimes_.predict_proba(self.regime_vectorizer_.transform(body_terms))
        if X.shape[0] == 0:
            empty = np.zeros((0, 1))
            return {"X": X, "topics": empty, "exemptions": empty, "departments": empty, "regime": regime}
        return {"X": X, "topics": self.topics_.predict_proba(X), "exemptions": self.exemptions_.predict_proba(X),
                "departments": self.departments_.predict_proba(X), "regime": regime}

    def evidence(self, x_row, head: BinaryHeads, j: int, k: int = 3) -> list[str]:
        """The question's own terms whose weight x coefficient pushed label j up most."""
        n_own = len(self.vocabulary_)
        keep = x_row.indices < n_own
        idx, vals = x_row.indices[keep], x_row.data[keep]
        contrib = vals * head.coef_[j, idx]
        order = np.argsort(-contrib)
        return [self.vocabulary_[idx[i]] for i in order[:k] if contrib[i] > 0]


def _opts(section: dict) -> dict:
    return {k: v for k, v in section.items() if k in ("C", "class_weight", "recall_first")}
