"""Inbox intake: a raw e-mail in, a triaged request out.

The message is parsed (``mail``), a forwarded request is unwrapped (it keeps its original
date and requester), clutter is removed (``clean``), the requester's details are kept
apart from the text, and the cleaned request is classified, dated and compared with
earlier requests. Offsets of the cleaned text map back to the decoded body.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from datetime import date
from email.utils import getaddresses, parsedate_to_datetime

from .clean import kept_lines
from .mail import Mail, MailError, read_message
from .triage import InputTooLarge, Triage, TriageInputError

__all__ = ["Intake", "clean_body", "Cleaned", "open_store", "DEFAULT_STORE_URL"]

DEFAULT_STORE_URL = f"sqlite:///{Path(__file__).resolve().parent.parent / 'var' / 'precedents.sqlite'}"


def open_store(url: str | None = None, config: dict | None = None):
    """The precedent index at ``url`` (default: an SQLite file in var/), seeded with the
    training corpus the first time it is opened. ``config`` is the model's config (its
    ``precedents`` section holds the tuned thresholds)."""
    from .precedents import PrecedentIndex

    url = url or os.environ.get("FOI_STORE_URL") or DEFAULT_STORE_URL
    if url.startswith("sqlite:///") and url != "sqlite://":
        Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
    index = PrecedentIndex(url, **((config or {}).get("precedents") or {}))
    if index.is_empty():
        from .train import TrainingData

        data = TrainingData()
        index.add_many([dict(
            id=f"corpus:{r.id}", text=r.text, regime=r.regime, source="training corpus",
            questions=[{"ref": q.ref, "text": q.text, "lead": q.departments[0], "topics": list(q.topics),
                        "exemptions": list(q.exemptions)} for q in r.questions]) for r in data.requests])
    return index

_FORWARD = re.compile(r"^\s*(?:-{3,}\s*forwarded message\s*-{3,}|begin forwarded message:|-{3,}\s*forwarded by.*)\s*$",
                      re.IGNORECASE | re.MULTILINE)
_FWD_FIELD = re.compile(r"^\s*(from|date|sent|subject|to|cc)\s*:\s*(.*)$", re.IGNORECASE)
_NAME_LINE = re.compile(r"^(?:[A-Z][a-z'’-]+|[A-Z]\.)(?:\s+(?:[A-Z][a-z'’-]+|[A-Z]\.)){0,3}$")


@dataclass
class Cleaned:
    text: str  # what is classified
    kept: list[tuple[int, int]]  # body ranges the text was taken from, in order
    forwarded: bool = False
    forwarded_from: tuple[str, str] | None = None  # (name, address) of the original sender
    forwarded_date: date | None = None
    signature_name: str = ""

    def to_body(self, offset: int) -> int:
        """Map an offset in ``text`` back to the decoded body."""
        pos = 0
        for start, end in self.kept:
            if offset <= pos + (end - start):
                return start + (offset - pos)
            pos += end - start + 1  # +1: the newline joining kept lines
        return self.kept[-1][1] if self.kept else 0


def _parse_date(value: str) -> date | None:
    value = value.strip()
    try:
        return parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError):
        pass
    m = re.search(r"(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?\s+(\d{4})", value)  # "Mon, 3 Mar 2026 at 09:15"
    if m:
        try:
            return parsedate_to_datetime(f"{m.group(1)} {m.group(2)} {m.group(3)} 00:00:00 +0000").date()
        except (TypeError, ValueError, IndexError):
            return None
    return None


def clean_body(body: str) -> Cleaned:
    """Unwrap a forwarded request, then keep only the request's own lines."""
    start, forwarded, fwd_from, fwd_date = 0, False, None, None
    marker = _FORWARD.search(body)
    if marker:
        forwarded = True
        pos = marker.end()
        lines = body[pos:].split("\n")
        consumed = 1
        for line in lines[1:]:
            m = _FWD_FIELD.match(line)
            if not m and line.strip():
                break
            consumed += 1
            if m and m.group(1).lower() == "from":
                addrs = getaddresses([m.group(2)])
                fwd_from = addrs[0] if addrs else None
            elif m and m.group(1).lower() in ("date", "sent"):
                fwd_date = _parse_date(m.group(2))
        start = pos + sum(len(l) + 1 for l in lines[:consumed])
    region = body[start:]
    kept = [(start + l.start, start + l.end) for l in kept_lines(region)]
    while kept and kept[0][0] == kept[0][1]:
        kept.pop(0)
    while kept and kept[-1][0] == kept[-1][1]:
        kept.pop()
    text = "\n".join(body[s:e] for s, e in kept)
    return Cleaned(text, kept, forwarded, fwd_from, fwd_date, _signature_name(body, kept))


def _signature_name(body: str, kept: list[tuple[int, int]]) -> str:
    tail = body[kept[-1][1]:] if kept else body
    for line in tail.splitlines()[1:8]:
        line = line.strip()
        if _NAME_LINE.match(line) and len(line.split()) >= 2:
            return line
    return ""


class Intake:
    """Triage raw messages; optionally check and grow a precedent index."""

    def __init__(self, triage: Triage, precedents=None):
        self.triage, self.precedents = triage, precedents

    def process(self, raw: bytes, msg_id: str | None = None, default_id: str | None = None,
                record: bool = True) -> dict:
        """One message to a result (the output contract plus an ``intake`` block). Its id is
        ``msg_id``, else the Message-ID header, else ``default_id``.

        Raises MailError when the message holds nothing that could be a request."""
        mail = read_message(raw)
        return self._result(mail, msg_id or mail.message_id.strip().strip("<>") or default_id, record)

    def _result(self, mail: Mail, msg_id: str | None, record: bool) -> dict:
        cleaned = clean_body(mail.text) if mail.text else Cleaned("", [])
        text = cleaned.text
        if len(text.split()) < 12 and "?" not in text:  # "Please see subject": the subject is the ask
            text = f"{mail.subject}\n\n{text}".strip() if mail.subject else text
        if len(text.split()) < 3:
            raise MailError("the message has no request in it: no body and at most a word or two of subject")
        received = cleaned.forwarded_date or mail.received
        if mail.received and cleaned.forwarded_date and mail.received < cleaned.forwarded_date:
            received = mail.received  # the earliest date any part of the council had it
        try:
            result = self.triage.classify(text, id=msg_id, received=received)
        except InputTooLarge:
            raise
        except TriageInputError as exc:
            raise MailError(str(exc)) from None
        from_subject = text != cleaned.text
        for q in result["questions"]:
            if not from_subject:
                q["body_start"], q["body_end"] = cleaned.to_body(q["start"]), cleaned.to_body(q["end"])
        name, address = cleaned.forwarded_from or (mail.sender_name, mail.sender_address)
        result["intake"] = {
            "subject": mail.subject,
            "requester": {"name": name or cleaned.signature_name, "email": address},
            "forwarded": cleaned.forwarded,
            "date_header": mail.received.isoformat() if mail.received else None,
            "attachments": mail.attachments,
            "defects": mail.defects,
            "cleaned_text": text,
            "kept": [{"start": s, "end": e} for s, e in cleaned.kept],
        }
        if self.precedents is not None:
            qtexts = [q["text"] for q in result["questions"]]
            found = self.precedents.find(text, qtexts, exclude=msg_id)
            result["precedents"] = {
                "exact_duplicates": found["exact_duplicates"], "near_duplicates": found["near_duplicates"]}
            for q, similar in zip(result["questions"], found["similar_questions"]):
                q["similar_earlier"] = similar
            if record and msg_id and result["questions"]:
                self.precedents.add(msg_id, text, [
                    {"ref": q["ref"], "text": q["text"], "lead": q["departments"][0]["label"],
                     "topics": [t["label"] for t in q["topics"]],
                     "exemptions": [e["label"] for e in q["exemptions"]]} for q in result["questions"]],
                    received=result.get("received"), regime=result["regime"]["label"], source="intake")
        return result
