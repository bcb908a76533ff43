"""spaCy preprocessing: one blank English pipeline per process, lemmas by lookup table.

The pipeline is built once from ``spacy-lookups-data`` (offline) and saved beside the
model, so loading it needs neither the network nor the lookups package.
"""

from __future__ import annotations

from pathlib import Path

import spacy
from spacy.language import Language

__all__ = ["build_pipeline", "load_pipeline", "Lemmatiser"]


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

    def lemma(self, lower: str) -> str:
        cached = self._cache.get(lower)
        if cached is None:
            cached = self._table.get(lower, lower)
            if len(self._cache) < 200_000:
                self._cache[lower] = cached
        return cached

    def tokens(self, texts, batch_size: int = 256):
        """Yield, per text, a list of (lemma, surface, start, end) for word-like tokens."""
        for doc in self.tokenizer.pipe(texts, batch_size=batch_size):
            out = []
            for tok in doc:
                if tok.is_space or (tok.is_punct and tok.text not in {"£", "%"}):
                    continue
                out.append((self.lemma(tok.lower_), tok.text, tok.idx, tok.idx + len(tok.text)))
            yield out
