"""Turn questions into terms for the linear heads.

Terms are lemma unigrams and bigrams of the question and rule-based matches worth a feature of their own:
money, years and ranges, FOIA section references, "published", broad asks, named
systems and suppliers. The question's context (its parent's stem, the whole request)
is read as content-word unigrams. Each term keeps the surface words it came from, for evidence.
"""

from __future__ import annotations

import re
from bisect import bisect_left

import numpy as np
from scipy import sparse

from .nlp import Lemmatiser

__all__ = ["Featuriser", "Document", "CharWordGrams", "CharTfidf", "identity"]

_STOP = frozenset(
    "a an the of to in on for and or by with at from as is are was were be been this that these those "
    "it its you your we our i me my please could would can will do does did any all each".split()
)
# Patterns over the raw text (numbers and dates), and phrase lists matched on the
# lower-cased token stream (punctuation dropped, so "anti-virus" is "anti virus").
_PATTERNS = [
    ("_money_", re.compile(r"£\s?\d[\d,]*(?:\.\d+)?\s?(?:k|m|bn|million|billion)?|\b\d[\d,]*\s?(?:pounds|gbp)\b", re.I)),
    ("_fin_year_", re.compile(r"\b(?:19|20)\d{2}\s?[/-]\s?(?:\d{2}|\d{4})\b")),
    ("_year_", re.compile(r"\b(?:19|20)\d{2}\b")),
    ("_since_", re.compile(r"\b(?:[Ss]ince|[Ff]rom|[Bb]etween)\s+(?:19|20)\d{2}\b")),
    ("_foia_section_", re.compile(r"\b(?:[Ss]ection|s\.?)\s?(?:1[02]|2[12]|3[0-9]|4[0-4])(?:\(\d\))?\b")),
]
_PHRASES = {
    "_since_": "last five years|past five years|last ten years|past ten years|last 5 years|past 5 years|last 10 years|"
               "past 10 years|previous five years|previous 5 years",
    "_published_": "publish|published|publishes|publicly available|website|register|statement of accounts|minutes|"
                   "pay policy",
    "_future_": "forthcoming|upcoming|not yet published|due to be published|will be published|draft|due out|"
                "next month|later this year",
    "_broad_": "|".join(f"{a} {b}" for a in ("all", "any", "every") for b in (
        "emails", "email", "e mails", "e mail", "correspondence", "communication", "communications", "record",
        "records", "document", "documents", "letter", "letters", "message", "messages", "notes")),
    "_legal_": "legal advice|counsel|barrister|solicitor|solicitors|legal opinion|litigation|kc|qc",
    "_person_": "name of|names of|named|who is|who was|who were|who made|who authorised|who authorized|who signed|"
                "individual salary|individual 's salary|individual pay|home address|home addresses",
    "_security_": "firewall|firewalls|antivirus|anti virus|penetration test|penetration testing|penetration tests|"
                  "pen test|pen testing|cctv|ransomware|cyber|phishing|malware|vulnerability|vulnerabilities",
    "_location_": "address|addresses|location|locations|located|postcode|whereabouts|where is|where are",
    "_price_": "price|prices|pricing|rate|rates|unit cost|per hour|hourly rate|tender price|tender prices|"
               "tendered price|bid|bids|tender score|tender scores|contract value|value of the contract",
}
# named systems and suppliers: matched case-sensitively on the token's own spelling
_SYSTEMS = frozenset(
    "SIMS Arbor Bromcom Capita Civica Northgate Liquidlogic Mosaic Oracle SAP Agresso Unit4 Microsoft M365 Azure "
    "AWS Google Salesforce Idox Uniform Tascomi Servelec Synergy Tribal ParentPay Scomis ServiceNow Dynamics "
    "Whitespace Bartec Yotta Confirm Symology Mayrise Orchard Citrix VMware Cisco Sophos Fortinet Mimecast "
    "Office365".split()
)


def _phrase_index() -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    index: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for name, phrases in _PHRASES.items():
        for phrase in phrases.split("|"):
            words = tuple(phrase.split())
            index.setdefault(words[0], []).append((name, words[1:]))
    return index


_INDEX = _phrase_index()


def rule_hits(text: str, tokens) -> list[tuple[str, int, int]]:
    """(rule, start, end) for every rule match in a text, from its patterns and tokens."""
    hits = []
    for name, rx in _PATTERNS:
        for m in rx.finditer(text):
            hits.append((name, m.start(), m.end()))
    lowers = [t[1].lower() for t in tokens]
    for i, low in enumerate(lowers):
        for name, rest in _INDEX.get(low, ()):
            if not rest:
                hits.append((name, tokens[i][2], tokens[i][3]))
            elif tuple(lowers[i + 1 : i + 1 + len(rest)]) == rest:
                hits.append((name, tokens[i][2], tokens[i + len(rest)][3]))
        if tokens[i][1] in _SYSTEMS:
            hits.append(("_system_", tokens[i][2], tokens[i][3]))
    return hits


class CharWordGrams:
    """Character n-grams inside word boundaries (as scikit-learn's ``char_wb``), with a
    per-process cache of each word's n-grams: questions repeat a few thousand words, so
    this is several times faster than re-deriving them for every text."""

    def __init__(self, ngram_range=(3, 5), cache_size: int = 200_000):
        self.ngram_range, self.cache_size = tuple(ngram_range), cache_size
        self._cache: dict[str, list[str]] = {}

    def _word(self, word: str) -> list[str]:
        grams = self._cache.get(word)
        if grams is None:
            padded, (lo, hi) = f" {word} ", self.ngram_range
            grams = []
            for n in range(lo, hi + 1):
                grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
                if n >= len(padded):
                    break
            if len(self._cache) < self.cache_size:
                self._cache[word] = grams
        return grams

    def __call__(self, text: str) -> list[str]:
        out: list[str] = []
        for word in text.lower().split():
            out.extend(self._word(word))
        return out

    def __getstate__(self):  # the cache is rebuilt in each process, never pickled
        return {"ngram_range": self.ngram_range, "cache_size": self.cache_size}

    def __setstate__(self, state):
        self.__init__(**state)


class CharTfidf:
    """TF-IDF of ``CharWordGrams``: fitted by scikit-learn's TfidfVectorizer, applied by a
    per-word cache of column indices (same numbers, several times faster: counting
    millions of n-grams through a Python dict is what costs in the stock transform)."""

    def __init__(self, ngram_range=(3, 5), min_df: int = 3, max_features: int | None = None):
        self.ngram_range, self.min_df, self.max_features = tuple(ngram_range), min_df, max_features

    def fit_transform(self, texts: list[str]):
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.vectorizer_ = TfidfVectorizer(analyzer=CharWordGrams(self.ngram_range), min_df=self.min_df,
                                           sublinear_tf=True, dtype=np.float32, max_features=self.max_features)
        X = self.vectorizer_.fit_transform(texts)
        self._reset()
        return X

    def _reset(self):
        self._vocab = self.vectorizer_.vocabulary_
        self._idf = self.vectorizer_.idf_.astype(np.float32)
        self._grams = CharWordGrams(self.ngram_range)
        self._cols: dict[str, np.ndarray] = {}

    def _word_cols(self, word: str) -> np.ndarray:
        cols = self._cols.get(word)
        if cols is None:
            vocab = self._vocab
            cols = np.fromiter((vocab[g] for g in self._grams._word(word) if g in vocab), dtype=np.int32)
            if len(self._cols) < 200_000:
                self._cols[word] = cols
        return cols

    def transform(self, texts: list[str]):
        indptr, chunks = [0], []
        for text in texts:
            parts = [self._word_cols(w) for w in text.lower().split()]
            cols = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)
            chunks.append(cols)
            indptr.append(indptr[-1] + len(cols))
        indices = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int32)
        X = sparse.csr_matrix((np.ones(len(indices), dtype=np.float32), indices, np.asarray(indptr)),
                              shape=(len(texts), len(self._idf)))
        X.sum_duplicates()  # counts
        X.data = (1.0 + np.log(X.data)) * self._idf[X.indices]  # sublinear tf x idf
        norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())  # l2, as TfidfVectorizer
        scale = np.divide(1.0, norms, out=np.ones_like(norms), where=norms > 0).astype(np.float32)
        X.data *= np.repeat(scale, np.diff(X.indptr))
        return X

    def __getstate__(self):
        return {"ngram_range": self.ngram_range, "min_df": self.min_df, "max_features": self.max_features,
                "vectorizer_": self.vectorizer_}

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._reset()


def identity(x):
    """Analyzer for pre-tokenised documents (module level so that it pickles)."""
    return x


class Featuriser:
    """Requests in, terms per question out; one instance per process (it holds the pipeline).

    Each request is tokenised once; a question's terms are the tokens inside its span,
    its context the tokens inside its parent's span and the request's kept lines.
    """

    def __init__(self, lemmatiser: Lemmatiser):
        self.lemmatiser = lemmatiser

    def documents(self, texts: list[str]) -> list["Document"]:
        return [Document(text, toks) for text, toks in zip(texts, self.lemmatiser.tokens(texts))]


class Document:
    """One tokenised text, with rule matches found once and sliced by character span."""

    __slots__ = ("text", "tokens", "_starts", "_hits")

    def __init__(self, text: str, tokens):
        self.text, self.tokens = text, tokens
        self._starts = [t[2] for t in tokens]
        self._hits = rule_hits(text, tokens)

    def _slice(self, start: int, end: int):
        lo, hi = bisect_left(self._starts, start), bisect_left(self._starts, end)
        return [t for t in self.tokens[lo:hi] if t[3] <= end]

    def terms(self, start: int, end: int) -> list[str]:
        lemmas = [t[0] for t in self._slice(start, end)]
        terms = [l for l in lemmas if l not in _STOP]
        terms.extend(f"{a} {b}" for a, b in zip(lemmas, lemmas[1:]) if not (a in _STOP and b in _STOP))
        seen = set()
        for name, s, e in self._hits:
            if start <= s and e <= end and name not in seen:
                seen.add(name)
                terms.append(name)
        return terms

    def unigrams(self, start: int, end: int) -> list[str]:
        return [t[0] for t in self._slice(start, end) if t[0] not in _STOP]

    def ranges_terms(self, ranges: list[tuple[int, int]]) -> list[str]:
        """Terms of several ranges (the kept lines of a request), as one text."""
        out: list[str] = []
        for s, e in ranges:
            out.extend(self.terms(s, e))
        return out

    def evidence_map(self, start: int, end: int) -> dict[str, str]:
        """term -> the words of the span it came from (first occurrence)."""
        toks = self._slice(start, end)
        where: dict[str, str] = {}
        for i, (lemma, _surface, s, e) in enumerate(toks):
            where.setdefault(lemma, self.text[s:e])
            if i + 1 < len(toks):
                where.setdefault(f"{lemma} {toks[i + 1][0]}", self.text[s : toks[i + 1][3]])
        for name, s, e in self._hits:
            if start <= s and e <= end:
                where.setdefault(name, self.text[s:e])
        return where
