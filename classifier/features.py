"""Turn questions into terms for the linear heads.

Terms are lemma unigrams and bigrams of the question and rule-based matches worth a feature of their own:
money, years and ranges, FOIA section references, "published", broad asks, named
systems and suppliers. The question's context (its parent's stem, the whole request)
is read as content-word unigrams. Each term keeps the surface words it came from, for evidence.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from .nlp import Lemmatiser

__all__ = ["Featuriser", "Document", "identity"]

_STOP = frozenset(
    "a an the of to in on for and or by with at from as is are was were be been this that these those "
    "it its you your we our i me my please could would can will do does did any all each".split()
)
_RULES = [
    ("_money_", re.compile(r"£\s?\d[\d,]*(?:\.\d+)?\s?(?:k|m|bn|million|billion)?|\b\d[\d,]*\s?(?:pounds|gbp)\b", re.I)),
    ("_fin_year_", re.compile(r"\b(?:19|20)\d{2}\s?[/-]\s?(?:\d{2}|\d{4})\b")),
    ("_year_", re.compile(r"\b(?:19|20)\d{2}\b")),
    ("_since_", re.compile(r"\b(?:since|from|between)\s+(?:19|20)\d{2}\b|\b(?:last|past|previous)\s+(?:\d+|five|ten|six|seven|eight|nine|twenty)\s+years\b", re.I)),
    ("_foia_section_", re.compile(r"\b(?:section|s\.?)\s?(?:1[02]|2[12]|3[0-9]|4[0-4])(?:\(\d\))?\b", re.I)),
    ("_published_", re.compile(r"\bpublish(?:ed|es)?\b|\bpublicly available\b|\bwebsite\b|\bregister\b|\bstatement of accounts\b|\bminutes\b|\bpay policy\b", re.I)),
    ("_future_", re.compile(r"\b(?:forthcoming|upcoming|not yet published|due to be published|will be published|draft|due out|next month|later this year)\b", re.I)),
    ("_broad_", re.compile(r"\b(?:all|any|every)\s+(?:e-?mails?|correspondence|communications?|records?|documents?|letters?|messages?|notes)\b", re.I)),
    ("_legal_", re.compile(r"\b(?:legal advice|counsel|barrister|solicitors?|legal opinion|litigation|kc|qc)\b", re.I)),
    ("_person_", re.compile(r"\b(?:names? of|named|who (?:is|was|were|made|authori[sz]ed|signed)|individual(?:'s)? (?:salary|pay)|home address(?:es)?)\b", re.I)),
    ("_security_", re.compile(r"\b(?:firewall|anti-?virus|penetration test\w*|pen test\w*|cctv|ransomware|cyber|phishing|malware|vulnerabilit\w+)\b", re.I)),
    ("_location_", re.compile(r"\b(?:address(?:es)?|location|located|postcode|whereabouts|where (?:is|are))\b", re.I)),
    ("_price_", re.compile(r"\b(?:price|prices|pricing|rates?|unit cost|per hour|hourly rate|tender(?:ed)? (?:price|bid|score)s?|bids?|contract value|value of the contract)\b", re.I)),
    ("_system_", re.compile(
        r"\b(?:SIMS|Arbor|Bromcom|Capita|Civica|Northgate|Liquidlogic|Mosaic|Oracle|SAP|Agresso|Unit4|Microsoft|Office ?365|M365|Azure|AWS|"
        r"Google|Salesforce|Academy|Idox|Uniform|Tascomi|Servelec|Synergy|Tribal|ParentPay|Scomis|ServiceNow|Dynamics|Civica|Whitespace|Bartec|"
        r"Yotta|Confirm|Symology|Mayrise|Northgate|Orchard|Capita One|Citrix|VMware|Cisco|Sophos|Fortinet|Mimecast)\b")),
]


# One pass over the text finds every rule at once (one alternation of named groups is
# several times faster than a scan per rule); a match implies the rules it contains.
_NAMES = [name for name, _ in _RULES]
_COMBINED = re.compile("|".join(f"(?P<r{i}>{rx.pattern})" for i, (_, rx) in enumerate(_RULES) if rx.flags & re.I),
                       re.I)
_CASED = [(name, rx) for name, rx in _RULES if not rx.flags & re.I]
_IMPLIES = {"_fin_year_": ("_year_",), "_since_": ("_year_",)}


def rule_hits(text: str) -> list[tuple[str, int, int]]:
    hits = []
    for m in _COMBINED.finditer(text):
        name = _NAMES[int(m.lastgroup[1:])]
        hits.append((name, m.start(), m.end()))
        hits.extend((implied, m.start(), m.end()) for implied in _IMPLIES.get(name, ()))
    for name, rx in _CASED:
        for m in rx.finditer(text):
            hits.append((name, m.start(), m.end()))
            hits.extend((implied, m.start(), m.end()) for implied in _IMPLIES.get(name, ()))
    return hits


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

    def terms(self, texts: list[str]) -> list[list[str]]:
        """Terms of whole texts (a question on its own, a sentence)."""
        return [d.terms(0, len(d.text)) for d in self.documents(texts)]


class Document:
    """One tokenised text, with rule matches found once and sliced by character span."""

    __slots__ = ("text", "tokens", "_starts", "_hits")

    def __init__(self, text: str, tokens):
        self.text, self.tokens = text, tokens
        self._starts = [t[2] for t in tokens]
        self._hits = rule_hits(text)

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
