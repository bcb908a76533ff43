"""Split a request into its questions.

Numbered, lettered, roman and bulleted items are found line by line; the prose around
them is cut into sentences (spaCy's sentencizer rule on spaCy's tokens) and each sentence
that asks for something becomes a question. Greetings, signatures, disclaimers, footers and quoted
earlier messages are skipped (see ``clean``). Offsets index the caller's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.attrs import IDX, IS_PUNCT, ORTH
from spacy.lang.en import English
from spacy.pipeline import Sentencizer

from .clean import Line, kept_lines

__all__ = ["Span", "split_questions", "candidates", "select"]


@dataclass
class Span:
    ref: str
    parent_ref: str | None
    start: int
    end: int
    context: tuple[int, int] | None = None  # span of the parent's stem, or of the intro a list hangs under
    kind: str = "item"  # item | bullet | prose | whole
    children: list["Span"] = field(default_factory=list, repr=False)
    numbered: bool = False  # carries the request's own number ("3.", "Q3:")
    rule_ask: bool = False  # prose: the rules think this sentence asks for something
    follow_on: bool = False  # prose: "If so, ..." continues the sentence before
    intro: bool = False  # prose: ends with ':' and introduces a list


_MARKERS = [
    # 2a) / 2(a) / 2.a / 2 a.
    ("numlet", re.compile(r"^\s*(?:Q(?:uestion)?\s*)?(\d{1,2})\s*[.]?\s*\(?([a-h]|[j-z])\)?[.):]\s+(?=\S)")),
    # 1.1 / 2.3
    ("decimal", re.compile(r"^\s*(?:Q(?:uestion)?\s*)?(\d{1,2})\.(\d{1,2})[.):]?\s+(?=\S)")),
    # Q1: / Q1. / Question 1 - / Q 1)
    ("q", re.compile(r"^\s*Q(?:uestion)?\s*(\d{1,3})\s*(?:[.):\-–]\s*|\s+)(?=\S)", re.IGNORECASE)),
    # 1. / 1) / (1) / 1:
    ("num", re.compile(r"^\s*\(?(\d{1,3})\s*(?:[.):]|\s[-–])\s*(?=\S)")),
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

_tokenizer = None
_END_HASHES: frozenset[int] = frozenset()


def _sentences(text: str, base: int) -> list[tuple[int, int]]:
    """Sentence spans (absolute offsets, stripped) in a block of prose.

    spaCy's sentencizer rule (a sentence ends at a '.', '?' or '!' token not followed by
    more of them) applied to spaCy's tokens, read as arrays: the same boundaries, without
    creating a Python object per token. Abbreviations such as "e.g." are single tokens,
    so they do not end a sentence.
    """
    global _tokenizer, _END_HASHES
    if _tokenizer is None:
        nlp = English()
        _tokenizer = nlp.tokenizer
        punct = Sentencizer.default_punct_chars
        _END_HASHES = frozenset(nlp.vocab.strings.add(p) for p in punct + ["...", "..", "??", "?!", "!!", "!?"])
    doc = _tokenizer(text)
    spans, start, seen_end = [], 0, False
    for orth, idx, punct in doc.to_array([ORTH, IDX, IS_PUNCT]).tolist():
        if seen_end and not punct and orth not in _END_HASHES:
            spans.append((start, idx))  # a sentence starts at the first word after its end mark
            start, seen_end = idx, False
        elif orth in _END_HASHES:
            seen_end = True
    spans.append((start, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((base + s, base + e))
    return out


_MARKER_START = frozenset("0123456789(-*•●▪◦·–>Qq")


def _marker(line: str, prev_letter: str | None):
    head = line.lstrip()[:3]
    if not head or (head[0] not in _MARKER_START and not (len(head) > 1 and head[1] in ".)")
                    and not head[:2].lower() in ("ii", "iv", "vi", "ix", "xi")):
        return None, None  # cheap test first: most lines start with a word
    for kind, rx in _MARKERS:
        m = rx.match(line)
        if not m:
            continue
        if kind == "roman" and prev_letter is not None and m.group(1).lower() in ("i", "v", "x"):
            if m.group(1).lower() == chr(ord(prev_letter) + 1):  # "i" after "h" is a letter
                return "letter", m
        if kind == "letter":
            letter = m.group(1).lower()
            # a letter opens a run ("a") or continues one; "J. Smith" in a signature does not
            if letter != "a" and (prev_letter is None or not 0 < ord(letter) - ord(prev_letter) <= 2):
                continue
        return kind, m
    return None, None


def _words(text: str) -> int:
    return len(text.split())


_ASK_START = re.compile(
    r"^(?:(?:the|a|an|its|their|your|any|each)\s+)?(?:how|what|which|when|who|whom|where|why|whether|is|are|was|were|does|do|did|has|have|"
    r"can|could|will|would|please|number|numbers|total|name|names|value|amount|cost|costs|date|dates|list|details|copy|copies|"
    r"start|end|length|current|annual|average|reason|breakdown|percentage|proportion)\b",
    re.IGNORECASE,
)


def _is_options(stem_text: str, children: list[tuple[int, int]], text: str) -> bool:
    """Short answer categories under a stem ("broken down by: a) primary b) secondary")."""
    if not children:
        return False
    if _OPTIONS_STEM.search(stem_text):
        return all("?" not in text[s:e] and _words(text[s:e]) <= 8 for s, e in children)
    if not stem_text.rstrip().endswith(":"):
        return False
    return all("?" not in text[s:e] and _words(text[s:e]) <= 6 and not _ASK_START.match(text[s:e].strip())
               for s, e in children)


class _Block:
    """A run of lines: a list item (with its continuation lines) or a prose paragraph."""

    def __init__(self, kind, marker, start, end, groups=()):
        self.kind, self.marker, self.start, self.end, self.groups = kind, marker, start, end, groups


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
            current = _Block("item", kind, line.start + m.end(), line.end, m.groups())
            blocks.append(current)
            if kind == "letter":
                prev_letter = m.group(1).lower()
            continue
        if current is not None:
            current.end = line.end  # a continuation line of the same item or paragraph
            continue
        current = _Block("prose", None, line.start + len(line.text) - len(line.text.lstrip()), line.end)
        blocks.append(current)
    return blocks


def _prose_candidates(text: str, block: _Block) -> list[Span]:
    """Every sentence of a prose paragraph, as a candidate question."""
    out = []
    for s, e in _sentences(text[block.start : block.end], block.start):
        sent = text[s:e]
        out.append(Span("", None, s, e, kind="prose",
                        rule_ask=bool(_ASK.search(sent) and not _NOT_ASK.match(sent)),
                        follow_on=bool(_FOLLOW_ON.match(sent))))
    return out


def candidates(text: str) -> list[Span]:
    """Items (with refs and nesting) and every prose sentence, in text order."""
    blocks = _blocks(kept_lines(text))
    spans: list[Span] = []
    top: Span | None = None  # the last numbered question, parent of lettered items
    mid: Span | None = None  # the last lettered child, parent of roman items
    intro: tuple[int, int] | None = None  # a prose line ending with ':' that a following list hangs under
    intro_span: Span | None = None  # the sentence that ends with that ':'

    for block in blocks:
        body = text[block.start : block.end].strip()
        if block.kind == "prose":
            top = mid = None
            sentences = _prose_candidates(text, block)
            intro = (sentences[-1].start, sentences[-1].end) if body.endswith(":") and sentences else None
            intro_span = None
            if intro and sentences:
                intro_span = sentences[-1]
                intro_span.intro = True  # "Please provide the following:" introduces a list
            spans.extend(sentences)
            continue
        kind, groups = block.marker, block.groups
        if kind in ("num", "q"):
            intro_span = None
            top = Span(groups[0], None, block.start, block.end, context=intro, numbered=True)
            mid = None
            spans.append(top)
        elif kind in ("numlet", "decimal"):
            parent = groups[0]
            sep = "." if kind == "decimal" else ""
            if top is None or top.ref != parent:
                top = None
            span = Span(f"{parent}{sep}{groups[1].lower()}", parent if top else None,
                        block.start, block.end, context=(top.start, top.end) if top else intro)
            spans.append(span)
            if top:
                top.children.append(span)
        elif kind in ("letter", "roman"):
            label = groups[0].lower()
            parent = mid if (kind == "roman" and mid is not None and top is not None) else top
            if parent is None:
                span = Span(label, None, block.start, block.end, context=intro)
                if intro_span is not None:
                    intro_span.children.append(span)
            else:
                span = Span(parent.ref + label, parent.ref, block.start, block.end,
                            context=(parent.start, parent.end))
                parent.children.append(span)
            if kind == "letter":
                mid = span
            spans.append(span)
        else:  # bullet
            if top is not None and text[top.start:top.end].rstrip().endswith(":"):
                n = len(top.children)
                label = chr(ord("a") + n) if n < 26 else str(n + 1)
                span = Span(top.ref + label, top.ref, block.start, block.end, context=(top.start, top.end))
                top.children.append(span)
            else:
                span = Span("", None, block.start, block.end, context=intro, kind="bullet")
                if intro_span is not None:
                    intro_span.children.append(span)
            spans.append(span)
    return _merge_options(text, spans)


def select(text: str, spans: list[Span], ask: list[bool] | None = None) -> list[Span]:
    """Keep items and the asking sentences (``ask``, one flag per prose candidate; rules
    when None), merge follow-on sentences ("If so, ..."), and number what has no ref."""
    prose = [sp for sp in spans if sp.kind == "prose"]
    flags = dict(zip(map(id, prose), ask if ask is not None else [sp.rule_ask for sp in prose]))
    kept: list[Span] = []
    for sp in spans:
        if sp.kind != "prose":
            kept.append(sp)
            continue
        if sp.follow_on and kept and kept[-1].kind == "prose" and 0 <= sp.start - kept[-1].end <= 3:
            kept[-1].end = sp.end
            continue
        if flags[id(sp)] and not sp.intro:
            kept.append(sp)
    counter = 0
    for sp in kept:
        if sp.numbered:
            counter = max(counter, int(sp.ref))
        elif not sp.ref:
            counter += 1
            sp.ref = str(counter)
        while sp.end > sp.start and text[sp.end - 1].isspace():
            sp.end -= 1
    kept = [sp for sp in kept if sp.end > sp.start]
    return kept or _whole(text)


def split_questions(text: str) -> list[Span]:
    """The questions of ``text`` in order, rules only; an empty list when nothing asks
    anything. A trained model splits with its learned sentence filter (``TriageModel.split``)."""
    return select(text, candidates(text))


def _merge_options(text: str, spans: list[Span]) -> list[Span]:
    """A stem followed by short options ("which of these: a) hosting b) backup") is one question."""
    drop: set[int] = set()
    for sp in spans:
        if sp.children and _is_options(text[sp.start:sp.end], [(c.start, c.end) for c in sp.children], text):
            sp.end = max(c.end for c in sp.children)
            drop.update(id(c) for c in sp.children)
            sp.children = []
            if sp.kind == "prose":  # an intro sentence with its options is a question itself
                sp.intro, sp.kind = False, "item"
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
