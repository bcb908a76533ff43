"""spaCy preprocessing: one blank English pipeline per process, lemmas by lookup table.

The pipeline is built once from ``spacy-lookups-data`` (offline) and saved beside the
model, so loading it needs neither the network nor the lookups package.
"""

from __future__ import annotations

from pathlib import Path

import spacy
from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, ORTH
from spacy.language import Language

__all__ = ["build_pipeline", "load_pipeline", "Lemmatiser"]

_ATTRS = [ORTH, IDX, IS_PUNCT, IS_SPACE]


def build_pipeline() -> Language:
    """A blank English tokenizer with the lookup lemmatizer; nothing is downloaded."""
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    return nlp


def load_pipeline(path: str | Path) -> Language:
    return spacy.load(Path(path))


class Lemmatiser:
    """Tokenise with spaCy's tokenizer and lemmatise by the lookup table.

    spaCy's lemmatizer component costs a Python call per token; the same table read
    through a per-process cache of lower-cased forms is several times faster on
    request text, where a few thousand word forms repeat.
    """

    def __init__(self, nlp: Language):
        self.tokenizer = nlp.tokenizer
        self._table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
        self._cache: dict[str, str] = {}
        self._orth_cache: dict[int, tuple[str, str, int, bool]] = {}

    def lemma(self, lower: str) -> str:
        cached = self._cache.get(lower)
        if cached is None:
            cached = self._table.get(lower, lower)
            if len(self._cache) < 200_000:
                self._cache[lower] = cached
        return cached

    def tokens(self, texts, batch_size: int = 256):
        """Yield, per text, a list of (lemma, surface, start, end) for word-like tokens.

        Reads the tokenizer's arrays rather than Token objects (several times faster),
        with a per-process cache from the token's hash to its surface form and lemma.
        """
        cache = self._orth_cache
        strings = self.tokenizer.vocab.strings
        for doc in self.tokenizer.pipe(texts, batch_size=batch_size):
            out = []
            for orth, idx, punct, space in doc.to_array(_ATTRS).tolist():
                entry = cache.get(orth)
                if entry is None:
                    surface = strings[orth]
                    keep = not space and (not punct or surface in ("£", "%"))
                    entry = (self.lemma(surface.lower()), surface, len(surface), keep)
                    if len(cache) < 200_000:
                        cache[orth] = entry
                if entry[3]:
                    out.append((entry[0], entry[1], idx, idx + entry[2]))
            yield out
