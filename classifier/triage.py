"""The public entry point: ``Triage.load()`` once, then ``classify`` requests.

The result is the JSON shape of ``output-contract.md`` (schema foi-triage/result/v1).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import numpy as np

from .artifact import DEFAULT_MODEL_DIR, load_model
from .deadline import due
from .features import Featuriser
from .model import TriageModel, span_batch
from .nlp import Lemmatiser, load_pipeline
from .split import Span

__all__ = ["Triage", "TriageInputError", "InputTooLarge", "SCHEMA", "MAX_CHARS", "validate_text", "decode_bytes", "check_item"]

SCHEMA = "foi-triage/result/v1"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
MAX_CHARS = 100_000


class TriageInputError(ValueError):
    """The submitted text cannot be classified; the message says why."""


class InputTooLarge(TriageInputError):
    """The submitted text is over a size limit (characters or questions)."""


def decode_bytes(data: bytes) -> str:
    """Bytes from a file or socket to text, refusing binary and non-UTF-8 input by name."""
    if b"\x00" in data[:8192]:
        raise TriageInputError("input looks binary (it contains NUL bytes); send plain UTF-8 text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TriageInputError(f"input is not valid UTF-8 (bad byte at position {exc.start}); re-save it as UTF-8") from None


def validate_text(text, max_chars: int = MAX_CHARS) -> str:
    if not isinstance(text, str):
        raise TriageInputError(f"text must be a string, not {type(text).__name__}")
    if len(text) > max_chars:
        raise InputTooLarge(f"text is {len(text):,} characters; the limit is {max_chars:,}")
    if not text.strip():
        raise TriageInputError("text is empty")
    if "\x00" in text:
        raise TriageInputError("text contains NUL characters; send plain text")
    head = text[:4096]
    if len(_CONTROL.findall(head)) > 0.1 * len(head):
        raise TriageInputError("text is mostly control characters; it looks binary")
    return text


def check_item(item: dict, max_chars: int = MAX_CHARS) -> None:
    """Raise TriageInputError if ``classify_many`` would refuse this item."""
    validate_text(item.get("text"), max_chars)
    _parse_received(item.get("received"))


def _parse_received(received) -> date | None:
    if received is None or received == "":
        return None
    if isinstance(received, date):
        return received
    try:
        return date.fromisoformat(str(received))
    except ValueError:
        raise TriageInputError(f"received must be a date as YYYY-MM-DD, not {received!r}") from None


class _Lazy:
    """A mapping computed on first lookup."""

    __slots__ = ("_make", "_value")

    def __init__(self, make):
        self._make, self._value = make, None

    def get(self, key, default=None):
        if self._value is None:
            self._value = self._make()
        return self._value.get(key, default)


class Triage:
    def __init__(self, model: TriageModel, meta: dict, nlp):
        self.model, self.meta = model, meta
        self.featuriser = Featuriser(Lemmatiser(nlp))
        review = model.config.get("review", {})
        self.lead_min_probability = float(review.get("lead_min_probability", 0.45))
        self.lead_min_margin = float(review.get("lead_min_margin", 0.10))

    @classmethod
    def load(cls, model_dir: str | Path = DEFAULT_MODEL_DIR) -> "Triage":
        model, meta = load_model(Path(model_dir))
        return cls(model, meta, load_pipeline(Path(model_dir).resolve() / "nlp"))

    @property
    def taxonomy(self) -> dict:
        return self.model.taxonomy

    @property
    def info(self) -> dict:
        m = self.meta
        return {"name": m.get("name", "default"), "version": m.get("version"), "sha256": m.get("sha256")}

    def classify(self, text: str, id: str | None = None, received=None, max_questions: int | None = None) -> dict:
        return self.classify_many([{"text": text, "id": id, "received": received}], max_questions)[0]

    def classify_many(self, items: list[dict], max_questions: int | None = None) -> list[dict]:
        """Classify several requests in one pass; raises TriageInputError on the first bad one.

        Callers that need per-item errors check each item with ``check_item`` first.
        """
        if not items:
            return []
        texts = [validate_text(it.get("text")) for it in items]
        receiveds = [_parse_received(it.get("received")) for it in items]
        docs = self.featuriser.documents(texts)
        all_spans = self.model.split(self.featuriser, texts, docs)
        for spans in all_spans:
            if max_questions is not None and len(spans) > max_questions:
                raise InputTooLarge(f"the request has {len(spans):,} questions; the limit is {max_questions:,}")
        out = self.model.predict(self.featuriser, span_batch(texts, all_spans, docs))
        results, row = [], 0
        X = out["X"]
        for i, (doc, spans) in enumerate(zip(docs, all_spans)):
            questions = []
            for span in spans:
                lo, hi = X.indptr[row], X.indptr[row + 1]
                questions.append(self._question(span, doc, (X.indices[lo:hi], X.data[lo:hi]), out["topics"][row],
                                                out["exemptions"][row], out["departments"][row]))
                row += 1
            dept_probs = out["departments"][row - len(spans) : row] if spans else None
            results.append(self._result(items[i].get("id"), receiveds[i], out["regime"][i], questions, dept_probs))
        return results

    # -- result assembly ----------------------------------------------------------
    def _labels(self, where: dict, x_row, head, probs: np.ndarray) -> list[dict]:
        chosen = [j for j in np.argsort(-probs) if probs[j] >= head.thresholds_[j]]
        if not chosen:
            return []
        out = []
        for j in chosen:
            terms = self.model.evidence(x_row, head, j, k=6)
            evidence = []
            for term in terms:
                words = where.get(term)
                if words and words not in evidence:
                    evidence.append(words)
            out.append({"label": head.labels[j], "probability": round(float(probs[j]), 3), "evidence": evidence[:3]})
        return out

    def _question(self, span: Span, doc, x_row, pt, pe, pd) -> dict:
        m = self.model
        text = doc.text[span.start : span.end]
        where = _Lazy(lambda: doc.evidence_map(span.start, span.end))  # built once, only if a label needs it
        topics = self._labels(where, x_row, m.topics_, pt)
        exemptions = self._labels(where, x_row, m.exemptions_, pe)
        order = np.argsort(-pd)
        departments = [{"label": m.department_labels[j], "probability": round(float(pd[j]), 3)} for j in order[:3]]
        lead, runner_up = float(pd[order[0]]), float(pd[order[1]])
        needs_review = (not topics or lead < self.lead_min_probability or lead - runner_up < self.lead_min_margin)
        return {"ref": span.ref, "parent_ref": span.parent_ref, "text": text, "start": span.start, "end": span.end,
                "topics": topics, "exemptions": exemptions, "departments": departments,
                "needs_review": bool(needs_review)}

    def _result(self, req_id, received: date | None, regime_p: np.ndarray, questions: list[dict],
                dept_probs: np.ndarray | None) -> dict:
        m = self.model
        r = int(np.argmax(regime_p))
        regime = m.regime_labels[r]
        result = {"schema": SCHEMA}
        if req_id is not None:
            result["id"] = req_id
        result["model"] = self.info
        result["regime"] = {"label": regime, "probability": round(float(regime_p[r]), 3)}
        if received is not None:
            result["received"] = received.isoformat()
            result["due"] = due(regime, received)
        if not questions:
            result.update({"departments": [], "needs_review": True, "questions": [], "message": "no questions found"})
            return result
        mean = dept_probs.mean(axis=0)
        ranked = np.argsort(-mean)
        departments = []
        for j in ranked:
            label = m.department_labels[j]
            refs = [q["ref"] for q in questions if q["departments"][0]["label"] == label]
            if refs or len(departments) < 3:
                departments.append({"label": label, "probability": round(float(mean[j]), 3), "questions": refs})
        result["departments"] = departments
        result["needs_review"] = any(q["needs_review"] for q in questions) or float(regime_p[r]) < 0.5
        result["questions"] = questions
        return result
