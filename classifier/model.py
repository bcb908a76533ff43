"""The trained model: TF-IDF vocabularies and five linear heads.

A question is read with its context: its own words (lemma unigrams, bigrams, rule
matches), its parent's stem and the whole request (content-word unigrams, weighted
down). A fifth head decides which prose sentences ask for something (for the splitter).
``TriageModel`` holds only arrays and scikit-learn vectorizers (never the spaCy
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
from .features import CharTfidf, Document, Featuriser, identity
from .heads import BinaryHeads, RankingHead
from .split import Span, candidates, select

__all__ = ["TriageModel", "Batch", "gold_batch", "span_batch", "kept_ranges"]


def kept_ranges(text: str) -> list[tuple[int, int]]:
    """The request's own lines (no quoted replies, footers, signature), as character ranges."""
    return [(l.start, l.end) for l in kept_lines(text) if l.text.strip()]


@dataclass
class Batch:
    """Requests and the questions to score in them: (request index, start, end, context span)."""

    texts: list[str]
    questions: list[tuple[int, int, int, tuple[int, int] | None]]
    docs: list[Document] | None = None


def gold_batch(requests: list[Request]) -> Batch:
    questions = []
    for i, r in enumerate(requests):
        by_ref = {q.ref: q for q in r.questions}
        for q in r.questions:
            parent = by_ref.get(q.parent_ref) if q.parent_ref else None
            questions.append((i, q.start, q.end, (parent.start, parent.end) if parent else None))
    return Batch([r.text for r in requests], questions)


def span_batch(texts: list[str], all_spans: list[list[Span]], docs: list[Document] | None = None) -> Batch:
    questions = [(i, s.start, s.end, s.context) for i, spans in enumerate(all_spans) for s in spans]
    return Batch(texts, questions, docs)


def _prose_flags(text: str, spans: list[Span]) -> list[tuple[Span, list[str]]]:
    """The prose candidates of one request with their layout flags, for the ask filter."""
    prose = [sp for sp in spans if sp.kind == "prose"]
    out = []
    for i, sp in enumerate(prose):
        sent = text[sp.start : sp.end]
        words = sent.split()
        f = ["_pos_first_"] if i == 0 else []
        if i == len(prose) - 1:
            f.append("_pos_last_")
        if "?" in sent:
            f.append("_qmark_")
        if sp.rule_ask:
            f.append("_rule_ask_")
        f.append("_len_short_" if len(words) < 6 else "_len_long_" if len(words) > 40 else "_len_mid_")
        if words:
            f.append("_first_" + words[0].lower().strip(",.:;!?"))
        out.append((sp, f))
    return out


def _ask_rows(doc: Document, spans: list[Span]) -> tuple[list[Span], list[list[str]]]:
    """The prose candidates of one request and their terms (words + layout flags)."""
    flagged = _prose_flags(doc.text, spans)
    return [sp for sp, _ in flagged], [doc.terms(sp.start, sp.end) + f for sp, f in flagged]


def _ask_labels(request: Request, prose: list[Span]) -> list[int]:
    gold = [(q.start, q.end) for q in request.questions]
    labels = []
    for sp in prose:
        inside = max((min(sp.end, ge) - max(sp.start, gs) for gs, ge in gold), default=0)
        labels.append(int(inside >= 0.5 * (sp.end - sp.start)))
    return labels


def _vectorizer(cfg: dict) -> TfidfVectorizer:
    return TfidfVectorizer(analyzer=identity, lowercase=False, dtype=np.float32, **cfg)


class TriageModel:
    def __init__(self, taxonomy: dict, config: dict):
        self.taxonomy = taxonomy
        self.config = config

    # -- features -----------------------------------------------------------------
    def _features(self, featuriser: Featuriser, batch: Batch, fit: bool = False):
        docs = batch.docs or featuriser.documents(batch.texts)
        batch.docs = docs
        body_terms = [d.ranges_terms(kept_ranges(d.text)) for d in docs]
        request_uni = [[t for t in ts if " " not in t and not t.startswith("_")] for ts in body_terms]
        own = [docs[o].terms(s, e) for o, s, e, _ in batch.questions]
        parents = [docs[o].unigrams(*c) if c else [] for o, _, _, c in batch.questions]
        owners = np.fromiter((o for o, _, _, _ in batch.questions), dtype=np.int64, count=len(batch.questions))
        w = self.config.get("context_weights", {})
        chars = self.config.get("char_ngrams") or {}
        raw = [docs[o].text[s:e] for o, s, e, _ in batch.questions] if chars.get("weight") else None
        if fit:
            cfg = self.config["vectorizer"]
            self.own_vectorizer_, self.parent_vectorizer_, self.request_vectorizer_ = (
                _vectorizer(cfg), _vectorizer(cfg), _vectorizer(cfg))
            self.request_vectorizer_.fit([request_uni[o] for o in owners])  # idf weighted by questions
            parts = (self.own_vectorizer_.fit_transform(own), self.parent_vectorizer_.fit_transform(parents),
                     self.request_vectorizer_.transform(request_uni)[owners])
            if raw is not None:
                self.char_vectorizer_ = CharTfidf(chars["ngram_range"], chars.get("min_df", 3),
                                                  chars.get("max_features"))
                parts += (self.char_vectorizer_.fit_transform(raw),)
        elif not own:
            return sparse.csr_matrix((0, 1), dtype=np.float32), body_terms
        else:
            parts = (self.own_vectorizer_.transform(own), self.parent_vectorizer_.transform(parents),
                     self.request_vectorizer_.transform(request_uni)[owners])  # each request once
            if raw is not None:
                parts += (self.char_vectorizer_.transform(raw),)
        blocks = [parts[0], parts[1] * w.get("parent", 0.5), parts[2] * w.get("request", 0.5)]
        if raw is not None:
            blocks.append(parts[3] * chars["weight"])
        X = sparse.hstack(blocks, format="csr", dtype=np.float32)
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
        groups = np.asarray([o for o, *_ in batch.questions])
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
        self._fit_ask_filter(requests, batch.docs)
        return self

    def _fit_ask_filter(self, requests: list[Request], docs: list[Document]) -> None:
        terms, labels, groups = [], [], []
        for i, (r, doc) in enumerate(zip(requests, docs)):
            prose, rows = _ask_rows(doc, candidates(r.text))
            terms += rows
            labels += _ask_labels(r, prose)
            groups += [i] * len(prose)
        self.ask_vectorizer_ = _vectorizer(self.config["vectorizer"])
        Xa = self.ask_vectorizer_.fit_transform(terms).tocsr()
        self.asks_ = BinaryHeads(["ask"], folds=self.config["cv_folds"], seed=self.config["seed"],
                                 **_opts(self.config["asks"])).fit(Xa, np.asarray(labels).reshape(-1, 1),
                                                                   np.asarray(groups))

    # -- prediction ---------------------------------------------------------------
    def split(self, featuriser: Featuriser, texts: list[str], docs: list[Document] | None = None) -> list[list[Span]]:
        """Split several requests, scoring all their prose sentences in one batch."""
        docs = docs or featuriser.documents(texts)
        all_spans = [candidates(t) for t in texts]
        terms, counts = [], []
        for doc, spans in zip(docs, all_spans):
            _, rows = _ask_rows(doc, spans)
            terms += rows
            counts.append(len(rows))
        keep: list[bool] = []
        if terms:
            probs = self.asks_.predict_proba(self.ask_vectorizer_.transform(terms))[:, 0]
            keep = list(probs >= self.asks_.thresholds_[0])
        out, pos = [], 0
        for t, spans, n in zip(texts, all_spans, counts):
            out.append(select(t, spans, keep[pos : pos + n]))
            pos += n
        return out

    def predict(self, featuriser: Featuriser, batch: Batch) -> dict:
        """Probabilities per question (topics, exemptions, departments) and per request (regime)."""
        X, body_terms = self._features(featuriser, batch)
        out = {"X": X, "regime": self.regimes_.predict_proba(self.regime_vectorizer_.transform(body_terms))}
        if X.shape[0]:
            out.update(topics=self.topics_.predict_proba(X), exemptions=self.exemptions_.predict_proba(X),
                       departments=self.departments_.predict_proba(X))
        return out

    def evidence(self, x_row: tuple[np.ndarray, np.ndarray], head: BinaryHeads, j: int, k: int = 3) -> list[str]:
        """The question's own terms whose weight x coefficient pushed label j up most.

        ``x_row`` is the (indices, values) of the question's row of the feature matrix.
        """
        indices, data = x_row
        keep = indices < len(self.vocabulary_)
        idx, vals = indices[keep], data[keep]
        contrib = vals * head.coef_[j, idx]
        order = np.argsort(-contrib)
        return [self.vocabulary_[idx[i]] for i in order[:k] if contrib[i] > 0]


def _opts(section: dict) -> dict:
    return {k: v for k, v in section.items() if k in ("C", "class_weight", "recall_first", "min_recall")}
