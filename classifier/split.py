"""Split a request into its questions.

Numbered, lettered, roman and bulleted items are found line by line; the prose around
them is cut into sentences by spaCy's sentencizer and each sentence that asks for
something becomes a question. Greetings, signatures, disclaimers, footers and quoted
earlier messages are skipped (see ``clean``). Offsets index the caller's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.lang.en import English

from .clean import Line, kept_lines

__all__ = ["Span", "split_questions"]


@dataclass
class Span:
    ref: str
    parent_ref: str | None
    start: int
    end: int
    context: str = ""  # the parent's stem, or the intro line a list hangs under
    kind: str = "item"  # item | prose | whole
    children: list["Span"] = field(default_factory=list, repr=False)


_ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii")
_MARKERS = [
    # 2a) / 2(a) / 2.a / 2 a.
    ("numlet", re.compile(r"^\s*(?:Q(?:uestion)?\s*)?(\d{1,2})\s*[.]?\s*\(?([a-h]|[j-z])\)?[.):]\s+(?=\S)")),
    # 1.1 / 2.3
    ("decimal", re.compile(r"^\s*(?:Q(?:uestion)?\s*)?(\d{1,2})\.(\d{1,2})[.):]?\s+(?=\S)")),
    # Q1: / Q1. / Question 1 - / Q 1)
    ("q", re.compile(r"^\s*Q(?:uestion)?\s*(\d{1,2})\s*(?:[.):\-–]\s*|\s+)(?=\S)", re.IGNORECASE)),
    # 1. / 1) / (1) / 1:
    ("num", re.compile(r"^\s*\(?(\d{1,2})\s*(?:[.):]|\s[-–])\s*(?=\S)")),
    # (iv) / iv. / iv)
    ("roman", re.compile(r"^\s*\(?(i{1,3}|iv|vi{0,3}|ix|xi{0,2})\s*[.)]\s+(?=\S)", re.IGNORECASE)),
    # (a) / a. / a)
    ("letter", re.compile(r"^\s*\(?([a-zA-Z])\s*[.)]\s+(?=\S)")),
    # - • * ▪ –
    ("bullet", re.compile(r"^\s*[-*•●▪◦·–>]\s+(?=\S)")),
]
_OPTIONS_STEM = re.compile(
    r"which of the following|which of these|any of the following|tick|select|whether you|do you (?:carry out|offer|provide|use|undertake)\b.*:",
    re.IGNORECASE,
)
_ASK = re.compile(
    r"\?|\b(?:please\s+(?:\w+\s+)?(?:provide|send|supply|give|list|confirm|tell|advise|state|disclose|share|let me know|forward|explain|detail|outline|identify|set out|include|break)"
    r"|(?:i|we)\s*(?:would|'d|wd)\s+(?:like|be grateful|appreciate|also like)|(?:i|we)\s+(?:am|are|'m)\s+(?:requesting|asking|seeking|looking for)"
    r"|(?:i|we)\s+(?:request|want|need|require|wish)|could\s+(?:you|u)|can\s+(?:you|u|i)|would\s+you|may i|i ask"
    r"|how\s+(?:many|much|often|long|is|are|was|were|do|does|did)|what\s+(?:is|was|are|were)|copy of|copies of|details of"
    r"|number of|breakdown|the total|list of|information (?:on|about|regarding|relating)|tell me)\b",
    re.IGNORECASE,
)
_NOT_ASK = re.compile(
    r"^(?:dear|hi|hello|thanks|thank you|many thanks|i look forward|i am writing|i'm writing|this is a request under"
    r"|if you (?:need|require|have|are unable|cannot|can't)|if (?:any|some) (?:of|part)|if it is not possible|if this (?:request|is)|where (?:possible|information)"
    r"|please (?:treat|consider|note|accept|acknowledge|reply|respond|contact|send (?:the|your) (?:information|response|reply|answer)s?\s+(?:by|via|to|in|electronically))"
    r"|i would prefer|i (?:would|'d) (?:prefer|be happy)|i understand|i appreciate|i realise|i realize|i note|i know)",
    re.IGNORECASE,
)
_FOLLOW_ON = re.compile(r"^(?:if\s+(?:so|yes|not|no|applicable|possible|available)|and if|or if|and,? if so|including|for each|if that)\b", re.IGNORECASE)

_sentencizer_nlp = None


def _sentences(text: str, base: int) -> list[tuple[int, int]]:
    """Sentence spans (absolute offsets, stripped) in a block of prose."""
    global _sentencizer_nlp
    if _sentencizer_nlp is None:
        _sentencizer_nlp = English()
        _sentencizer_nlp.add_pipe("sentencizer")
    doc = _sentencizer_nlp(text)
    spans = []
    for sent in doc.sents:
        s, e = sent.start_char, sent.end_char
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            spans.append((base + s, base + e))
    return spans


def _marker(line: str, prev_letter: str | None):
    for kind, rx in _MARKERS:
        m = rx.match(line)
        if not m:
            continue
        if kind == "roman" and prev_letter is not None and m.group(1).lower() in ("i", "v", "x"):
            expected = chr(ord(prev_letter) + 1)
            if m.group(1).lower() == expected:  # "i" after "h" is a letter, not a roman one
                return "letter", m
        if kind == "letter" and m.group(1).isupper() and m.group(1) in ("I", "A") and len(line.strip()) > 3:
            # "I. " and "A. " open sentences often enough; only treat as a marker in a run
            if prev_letter is None and m.group(1) == "I":
                continue
        return kind, m
    return None, None


def _words(text: str) -> int:
    return len(text.split())


def _is_options(stem_text: str, children: list[tuple[int, int]], text: str) -> bool:
    if not children or not _OPTIONS_STEM.search(stem_text):
        return False
    return all("?" not in text[s:e] and _words(text[s:e]) <= 8 for s, e in children)


class _Block:
    """A run of lines: a list item (with its continuation lines) or a prose paragraph."""

    def __init__(self, kind, marker, start, end, indent, groups=()):
        self.kind, self.marker, self.start, self.end = kind, marker, start, end
        self.indent, self.groups = indent, groups


def _blocks(lines: list[Line]) -> list[_Block]:
    blocks: list[_Block] = []
    current: _Block | None = None
    prev_letter: str | None = None
    for line in lines:
        if not line.text.strip():
            current = None
            continue
        kind, m = _marker(line.text, prev_letter)
        if kind is not None:
            indent = len(line.text) - len(line.text.lstrip())
            current = _Block("item", kind, line.start + m.end(), line.end, indent, m.groups())
            blocks.append(current)
            if kind == "letter":
                prev_letter = m.group(1).lower()
            elif kind in ("num", "q"):
                prev_letter = None
            continue
        if current is not None:
            current.end = line.end  # a continuation line of the same item or paragraph
            continue
        current = _Block("prose", None, line.start + len(line.text) - len(line.text.lstrip()), line.end, 0)
        blocks.append(current)
    return blocks


def _prose_questions(text: str, block: _Block) -> list[tuple[int, int]]:
    """Asking sentences of a prose paragraph, with follow-on sentences merged."""
    out: list[list[int]] = []
    for s, e in _sentences(text[block.start : block.end], block.start):
        sent = text[s:e]
        if out and _FOLLOW_ON.match(sent) and out[-1][1] >= s - 3:
            out[-1][1] = e
            continue
        if _ASK.search(sent) and not _NOT_ASK.match(sent):
            out.append([s, e])
    return [(s, e) for s, e in out]


def split_questions(text: str) -> list[Span]:
    """The questions of ``text`` in order; an empty list when nothing asks anything."""
    blocks = _blocks(kept_lines(text))
    spans: list[Span] = []
    counter = 0
    top: Span | None = None  # the last numbered question, parent of lettered items
    mid: Span | None = None  # the last lettered child, parent of roman items
    intro = ""  # a prose line ending with ':' that a following list hangs under

    def next_ref() -> str:
        nonlocal counter
        counter += 1
        return str(counter)

    for block in blocks:
        body = text[block.start : block.end].strip()
        if block.kind == "prose":
            top = mid = None
            qs = _prose_questions(text, block)
            intro = body if body.endswith(":") else ""
            if intro and qs and qs[-1][1] == block.end:
                qs = qs[:-1]  # "Please provide the following:" introduces a list
            for s, e in qs:
                spans.append(Span(next_ref(), None, s, e, kind="prose"))
            continue
        kind, groups = block.marker, block.groups
        if kind in ("num", "q"):
            counter = max(counter, int(groups[0]))
            top = Span(groups[0], None, block.start, block.end, context=intro)
            mid = None
            spans.append(top)
        elif kind in ("numlet", "decimal"):
            parent = groups[0]
            sep = "." if kind == "decimal" else ""
            if top is None or top.ref != parent:
                top = None
            span = Span(f"{parent}{sep}{groups[1].lower()}", parent if top else None,
                        block.start, block.end, context=top and text[top.start:top.end] or intro)
            spans.append(span)
            if top:
                top.children.append(span)
        elif kind in ("letter", "roman"):
            label = groups[0].lower()
            if kind == "roman" and mid is not None and top is not None:
                parent = mid
            else:
                parent = top
            if parent is None:
                span = Span(label, None, block.start, block.end, context=intro)
            else:
                span = Span(parent.ref + label, parent.ref, block.start, block.end,
                            context=text[parent.start:parent.end])
                parent.children.append(span)
            if kind == "letter":
                mid = span
            spans.append(span)
        else:  # bullet
            if top is not None and text[top.start:top.end].rstrip().endswith(":"):
                label = chr(ord("a") + len(top.children)) if len(top.children) < 26 else str(len(top.children))
                span = Span(top.ref + label, top.ref, block.start, block.end, context=text[top.start:top.end])
                top.children.append(span)
            else:
                span = Span(next_ref(), None, block.start, block.end, context=intro)
            spans.append(span)

    spans = _merge_options(text, spans)
    for sp in spans:
        while sp.end > sp.start and text[sp.end - 1].isspace():
            sp.end -= 1
    spans = [sp for sp in spans if sp.end > sp.start]
    if not spans:
        spans = _whole(text)
    return spans


def _merge_options(text: str, spans: list[Span]) -> list[Span]:
    """A stem followed by short options ("which of these: a) hosting b) backup") is one question."""
    drop: set[int] = set()
    for sp in spans:
        if sp.children and _is_options(text[sp.start:sp.end], [(c.start, c.end) for c in sp.children], text):
            sp.end = max(c.end for c in sp.children)
            drop.update(id(c) for c in sp.children)
            sp.children = []
    return [sp for sp in spans if id(sp) not in drop]


def _whole(text: str) -> list[Span]:
    """No structure and no asking sentence: a short text (a title, a subject cell) is one question."""
    kept = [l for l in kept_lines(text) if l.text.strip()]
    if not kept:
        return []
    start = kept[0].start + len(kept[0].text) - len(kept[0].text.lstrip())
    end = kept[-1].end
    if _words(text[start:end]) < 2 and not re.search(r"[A-Za-z]{4,}", text[start:end]):
        return []
    return [Span("1", None, start, end, kind="whole")]
