"""The training corpus: requests written by us, with their questions labelled.

Each file in ``training_data/corpus/`` is a YAML list of requests::

    - id: edu-001
      regime: foi
      style: market_research
      text: |
        Dear Sir/Madam, ...
      questions:
        - ref: "1"
          parent: null
          q: "Do you provide traded services to schools?"
          topics: [contracts]
          exempt: []
          route: [education, procurement]

``q`` quotes the question verbatim from ``text`` (runs of whitespace may differ); its
exact character span is found here, searching forward from the previous question.

Run ``python -m classifier.corpus FILE...`` to check files and print label counts.
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from .taxonomy import Taxonomy, load_taxonomy

__all__ = ["Question", "Request", "load_corpus", "corpus_hash", "CorpusError"]


class CorpusError(ValueError):
    """A corpus file breaks the format; the message names the file and request."""


@dataclass(frozen=True)
class Question:
    ref: str
    parent_ref: str | None
    text: str
    start: int
    end: int
    topics: tuple[str, ...]
    exemptions: tuple[str, ...]
    departments: tuple[str, ...]


@dataclass(frozen=True)
class Request:
    id: str
    regime: str
    style: str
    text: str
    questions: tuple[Question, ...]
    source: str


def _quote_pattern(quote: str) -> re.Pattern:
    words = quote.split()
    return re.compile(r"\s+".join(re.escape(w) for w in words))


def _as_list(value, where: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list):
        raise CorpusError(f"{where}: expected a list, got {value!r}")
    return [str(v) for v in value]


def _check_labels(values: list[str], allowed: list[str], what: str, where: str) -> None:
    for value in values:
        if value not in allowed:
            raise CorpusError(f"{where}: unknown {what} {value!r} (allowed: {', '.join(allowed)})")
    if len(set(values)) != len(values):
        raise CorpusError(f"{where}: repeated {what} in {values}")


def _parse_request(raw: dict, taxonomy: Taxonomy, source: str) -> Request:
    req_id = str(raw.get("id", "")).strip()
    where = f"{source}: request {req_id or '?'}"
    if not req_id:
        raise CorpusError(f"{where}: missing id")
    text = raw.get("text")
    if not isinstance(text, str) or not text.strip():
        raise CorpusError(f"{where}: missing text")
    regime = str(raw.get("regime", "foi"))
    _check_labels([regime], taxonomy.ids("regimes"), "regime", where)
    raw_questions = raw.get("questions") or []
    if not isinstance(raw_questions, list):
        raise CorpusError(f"{where}: questions must be a list")
    questions: list[Question] = []
    cursor = 0
    refs: set[str] = set()
    for i, rq in enumerate(raw_questions, 1):
        qwhere = f"{where}, question {i}"
        if not isinstance(rq, dict):
            raise CorpusError(f"{qwhere}: expected a mapping")
        ref = str(rq.get("ref", "")).strip()
        if not ref:
            raise CorpusError(f"{qwhere}: missing ref")
        if ref in refs:
            raise CorpusError(f"{qwhere}: ref {ref!r} used twice")
        refs.add(ref)
        parent = rq.get("parent")
        parent = None if parent in (None, "", "null") else str(parent)
        if parent is not None and parent not in refs:
            raise CorpusError(f"{qwhere}: parent {parent!r} is not an earlier question's ref")
        quote = rq.get("q")
        if not isinstance(quote, str) or not quote.strip():
            raise CorpusError(f"{qwhere}: missing q (the question quoted from text)")
        match = _quote_pattern(quote).search(text, cursor)
        if match is None:
            raise CorpusError(f"{qwhere}: q not found in text after the previous question: {quote[:70]!r}")
        topics = _as_list(rq.get("topics"), qwhere)
        exemptions = _as_list(rq.get("exempt"), qwhere)
        route = _as_list(rq.get("route"), qwhere)
        _check_labels(topics, taxonomy.ids("topics"), "topic", qwhere)
        _check_labels(exemptions, taxonomy.ids("exemptions"), "exemption", qwhere)
        _check_labels(route, taxonomy.ids("departments"), "department", qwhere)
        if not route:
            raise CorpusError(f"{qwhere}: route needs at least the lead department")
        questions.append(
            Question(ref, parent, match.group(0), match.start(), match.end(),
                     tuple(topics), tuple(exemptions), tuple(route))
        )
        cursor = match.end()
    return Request(req_id, regime, str(raw.get("style", "")), text, tuple(questions), source)


def load_corpus(paths, taxonomy: Taxonomy) -> list[Request]:
    """Load and check corpus files (or folders of ``*.yaml``); ids must be unique."""
    files: list[Path] = []
    for p in map(Path, paths if isinstance(paths, (list, tuple)) else [paths]):
        files.extend(sorted(p.glob("*.yaml")) if p.is_dir() else [p])
    requests: list[Request] = []
    seen: set[str] = set()
    for file in files:
        with file.open(encoding="utf-8") as fh:
            try:
                raw = yaml.safe_load(fh) or []
            except yaml.YAMLError as exc:
                raise CorpusError(f"{file.name}: not valid YAML: {exc}") from None
        if not isinstance(raw, list):
            raise CorpusError(f"{file.name}: expected a list of requests")
        for entry in raw:
            if not isinstance(entry, dict):
                raise CorpusError(f"{file.name}: each request must be a mapping")
            request = _parse_request(entry, taxonomy, file.name)
            if request.id in seen:
                raise CorpusError(f"{file.name}: request id {request.id!r} appears twice in the corpus")
            seen.add(request.id)
            requests.append(request)
    return requests


def corpus_hash(paths) -> str:
    """sha256 over the corpus files' names and bytes, in a stable order."""
    digest = hashlib.sha256()
    for p in map(Path, paths if isinstance(paths, (list, tuple)) else [paths]):
        for file in sorted(p.glob("*.yaml")) if p.is_dir() else [p]:
            digest.update(file.name.encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


def label_counts(requests: list[Request]) -> dict[str, Counter]:
    counts = {"topics": Counter(), "exemptions": Counter(), "lead": Counter(),
              "regimes": Counter(), "styles": Counter()}
    for r in requests:
        counts["regimes"][r.regime] += 1
        counts["styles"][r.style] += 1
        for q in r.questions:
            counts["topics"].update(q.topics)
            counts["exemptions"].update(q.exemptions)
            counts["lead"][q.departments[0]] += 1
    return counts


def main(argv: list[str]) -> int:
    root = Path(__file__).resolve().parent.parent / "training_data"
    taxonomy = load_taxonomy(root / "taxonomy.yaml")
    try:
        requests = load_corpus(argv or [root / "corpus"], taxonomy)
    except CorpusError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    n_q = sum(len(r.questions) for r in requests)
    print(f"{len(requests)} requests, {n_q} questions")
    for head, counter in label_counts(requests).items():
        print(f"{head}: " + ", ".join(f"{k}={v}" for k, v in sorted(counter.items())))
    print(f"questions with no exemption: {sum(1 for r in requests for q in r.questions if not q.exemptions)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
