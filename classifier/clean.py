"""Find the parts of a request that are not the request: quoted replies, footers,
disclaimers, signatures, greetings.

Everything works on line offsets into the caller's text, so whatever is kept still
maps back to the original characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Line", "lines_with_offsets", "kept_lines"]


@dataclass(frozen=True)
class Line:
    start: int  # offset of the first character of the line
    end: int  # offset just past the last non-newline character
    text: str


_REPLY_HEADER = re.compile(
    r"^\s*(?:-{2,}\s*(?:original message|forwarded message)\s*-{2,}"
    r"|-{2,}\s*forwarded by"
    r"|begin forwarded message:"
    r"|on\s.{4,160}\swrote:\s*$"
    r"|(?:from|sent):\s.+$)",
    re.IGNORECASE,
)
_HEADER_FIELD = re.compile(r"^\s*(?:sent|date|to|subject|cc):\s", re.IGNORECASE)
_FOOTER = re.compile(
    r"whatdotheyknow|please use this e-?mail address for all replies"
    r"|this request (?:has been|was) made (?:by|via|through|using)"
    r"|is this the wrong address for"
    r"|disclaimer:|this e-?mail (?:and any (?:files|attachments) )?(?:is|are|may be) (?:confidential|private|intended)"
    r"|if you (?:have )?received this (?:e-?mail|message|communication) in error"
    r"|(?:confidentiality|privacy) (?:notice|statement)"
    r"|^\s*sent from my (?:iphone|ipad|android|samsung|galaxy|mobile|blackberry|outlook)",
    re.IGNORECASE,
)
_SIGN_OFF = re.compile(
    r"^\s*(?:kind(?:est)?\s+regards|best\s+regards|warm\s+regards|many\s+thanks|thanks(?:\s+(?:again|in advance))?"
    r"|thank\s+you(?:\s+(?:in advance|for your (?:time|help|assistance)))?|regards|best(?:\s+wishes)?"
    r"|yours\s+(?:faithfully|sincerely|truly)|cheers|with thanks|rgds|ta)\s*[,.!]*\s*$",
    re.IGNORECASE,
)
_GREETING = re.compile(
    r"^\s*(?:dear\s+[^\n]{0,60}|hi(?:ya)?\b[^\n]{0,40}|hello\b[^\n]{0,40}|good (?:morning|afternoon)[^\n]{0,40}"
    r"|to whom it may concern[^\n]{0,10}|re:\s[^\n]*|subject:\s[^\n]*)\s*$",
    re.IGNORECASE,
)


def lines_with_offsets(text: str) -> list[Line]:
    lines, pos = [], 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        lines.append(Line(pos, pos + len(body), body))
        pos += len(raw)
    return lines


# cheap pre-tests: the full patterns only run on lines holding one of these words
_HEADER_KEYS = re.compile(r"wrote|message|from:|sent:|forwarded", re.IGNORECASE)
_FOOTER_KEYS = re.compile(r"whatdotheyknow|replies|request|wrong address|disclaimer|e-?mail|received this|notice|"
                          r"statement|sent from", re.IGNORECASE)


def _is_reply_header(lines: list[Line], i: int) -> bool:
    text = lines[i].text
    if not _HEADER_KEYS.search(text) or not _REPLY_HEADER.match(text):
        return False
    if re.match(r"^\s*(?:from|sent):", text, re.IGNORECASE):
        # An Outlook-style header block: From: followed by Sent:/To:/Subject: lines.
        following = [l.text for l in lines[i + 1 : i + 4]]
        return any(_HEADER_FIELD.match(t) for t in following)
    return True


@lru_cache(maxsize=256)
def kept_lines(text: str) -> tuple[Line, ...]:
    """The lines of ``text`` that may hold the request itself (blank lines kept).

    Cached: the splitter and the request-level features both ask for the same text.
    """
    lines = lines_with_offsets(text)
    kept: list[Line] = []
    in_disclaimer = False
    for i, line in enumerate(lines):
        stripped = line.text.strip()
        if _is_reply_header(lines, i) and any(k.text.strip() for k in kept):
            break  # a quoted earlier message: everything below belongs to it
        if stripped.startswith(">"):
            continue
        if _FOOTER_KEYS.search(stripped) and _FOOTER.search(stripped):
            if re.match(r"^\s*sent from my", stripped, re.IGNORECASE):
                continue
            in_disclaimer = True
        if in_disclaimer:
            if not stripped:
                in_disclaimer = False
            continue
        if (len(stripped) < 60 and _SIGN_OFF.match(stripped)) or line.text.rstrip("\r") in ("-- ", "--"):
            break  # a sign-off or signature delimiter: what is under it is not the request
        if len(stripped) < 120 and (_GREETING.match(stripped) or re.fullmatch(r"[-_=*~]{3,}", stripped)):
            kept.append(Line(line.start, line.start, ""))
            continue
        kept.append(line)
    return tuple(kept)
