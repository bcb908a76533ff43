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
from .split import Span, candidates, select

__all__ = ["TriageModel", "Batch", "request_body", "gold_batch", "prose_sentences"]


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


def prose_sentences(text: str, spans: list[Span]) -> tuple[list[str], list[list[str]]]:
    """The prose candidates of one request and their layout flags, for the ask filter."""
    prose = [sp for sp in spans if sp.kind == "prose"]
    texts, flags = [], []
    for i, sp in enumerate(prose):
        sent = text[sp.start : sp.end]
        words = len(sent.split())
        f = ["_pos_first_"] if i == 0 else []
        if i == len(prose) - 1:
            f.append("_pos_last_")
        if "?" in sent:
            f.append("_qmark_")
        if sp.rule_ask:
            f.append("_rule_ask_")
        f.append("_len_short_" if words < 6 else "_len_long_" if words > 40 else "_len_mid_")
        first = sent.split(None, 1)[0].lower().strip(",.:;!?") if words else ""
        f.append("_first_" + first)
        texts.append(sent)
        flags.append(f)
    return texts, flags


def _ask_labels(request: Request, spans: list[Span]) -> list[int]:
    prose = [(sp.start, sp.end) for sp in spans if sp.kind == "prose"]
    gold = [(q.start, q.end) for q in request.questions]
    labels = []
    for s, e in prose:
        inside = max((min(e, ge) - max(s, gs) for gs, ge in gold), default=0)
        labels.append(int(inside >= 0.5 * (e - s)))
    return labels


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
        self._fit_ask_filter(requests, featuriser)
        return self

    def _fit_ask_filter(self, requests: list[Request], featuriser: Featuriser) -> None:
        sentences, flags, labels, groups = [], [], [], []
        for i, r in enumerate(requests):
            spans = candidates(r.text)
            t, f = prose_sentences(r.text, spans)
            sentences += t
            flags += f
            labels += _ask_labels(r, spans)
            groups += [i] * len(t)
        terms = [a + b for a, b in zip(featuriser.terms(sentences), flags)]
        self.ask_vectorizer_ = _vectorizer(self.config["vectorizer"])
        Xa = self.ask_vectorizer_.fit_transform(terms).tocsr()
        self.asks_ = BinaryHeads(["ask"], folds=self.config["cv_folds"], seed=self.config["seed"],
                                 **_opts(self.config["asks"])).fit(Xa, np.asarray(labels).reshape(-1, 1),
                                                                   np.asarray(groups))

    def ask_flags(self, featuriser: Featuriser, sentences: list[str], flags: list[list[str]]) -> list[bool]:
        """Which prose sentences ask for something (the learned filter of the splitter)."""
        if not sentences:
            return []
        X = self.ask_vectorizer_.transform([a + b for a, b in zip(featuriser.terms(sentences), flags)])
        return list(self.asks_.predict_proba(X)[:, 0] >= self.asks_.thresholds_[0])

    def split(self, featuriser: Featuriser, texts: list[str]) -> list[list[Span]]:
        """Split several requests, scoring all their prose sentences in one batch."""
        all_spans = [candidates(t) for t in texts]
        sentences, flags, counts = [], [], []
        for t, spans in zip(texts, all_spans):
            s, f = prose_sentences(t, spans)
            sentences += s
            flags += f
            counts.append(len(s))
        keep = self.ask_flags(featuriser, sentences, flags)
        out, pos = [], 0
        for t, spans, n in zip(texts, all_spans, counts):
            out.append(select(t, spans, keep[pos : pos + n]))
            pos += n
        return out

    # -- prediction ---------------------------------------------------------------
    def predict(self, featuriser: Featuriser, batch: Batch) -> dict:
        """Probabilities per question (topics, exemptions, departments) and per request (regime)."""
        if not batch.texts:
            body_terms = featuriser.terms(batch.bodies)
            empty = np.zeros((0, 1))
            return {"X": sparse.csr_matrix((0, 1)), "topics": empty, "exemptions": empty, "departments": empty,
                    "regime": self.regimes_.predict_proba(self.regime_vectorizer_.transform(body_terms))}
        X, body_terms = self._features(featuriser, batch)
        return {"X": X, "topics": self.topics_.predict_proba(X), "exemptions": self.exemptions_.predict_proba(X),
                "departments": self.departments_.predict_proba(X),
                "regime": self.regimes_.predict_proba(self.regime_vectorizer_.transform(body_terms))}

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
