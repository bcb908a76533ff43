"""Turn questions into terms for the linear heads.

Terms are lemma unigrams and bigrams of the question and rule-based matches worth a feature of their own:
money, years and ranges, FOIA section references, "published", broad asks, named
systems and suppliers. The question's context (its parent's stem, the whole request)
is read as content-word unigrams. Each term keeps the surface words it came from, for evidence.
"""

from __future__ import annotations

import re

from .nlp import Lemmatiser

__all__ = ["Featuriser", "identity"]

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


def identity(x):
    """Analyzer for pre-tokenised documents (module level so that it pickles)."""
    return x


class Featuriser:
    """Questions in, lists of terms out; one instance per process (it holds the pipeline)."""

    def __init__(self, lemmatiser: Lemmatiser):
        self.lemmatiser = lemmatiser

    def terms(self, texts: list[str]) -> list[list[str]]:
        """Lemma unigrams and bigrams plus rule matches, one list per text."""
        return [self._terms(text, toks) for text, toks in zip(texts, self.lemmatiser.tokens(texts))]

    def unigrams(self, texts: list[str]) -> list[list[str]]:
        """Content-word lemmas only: the context a question is read in (its parent, its request)."""
        return [[t[0] for t in toks if t[0] not in _STOP] for toks in self.lemmatiser.tokens(texts)]

    @staticmethod
    def _terms(text: str, toks) -> list[str]:
        lemmas = [t[0] for t in toks]
        terms = [l for l in lemmas if l not in _STOP]
        terms.extend(f"{a} {b}" for a, b in zip(lemmas, lemmas[1:]) if not (a in _STOP and b in _STOP))
        for name, rx in _RULES:
            if rx.search(text):
                terms.append(name)
        return terms

    def evidence_map(self, text: str) -> dict[str, str]:
        """term -> the words of ``text`` it came from (first occurrence)."""
        toks = next(self.lemmatiser.tokens([text]))
        where: dict[str, str] = {}
        for i, (lemma, _surface, s, e) in enumerate(toks):
            where.setdefault(lemma, text[s:e])
            if i + 1 < len(toks):
                where.setdefault(f"{lemma} {toks[i + 1][0]}", text[s : toks[i + 1][3]])
        for name, rx in _RULES:
            m = rx.search(text)
            if m:
                where.setdefault(name, m.group(0))
        return where
