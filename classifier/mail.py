"""E-mail in: the standard library's ``email`` package (modern policy) and an HTML parser.

``read_message`` turns raw RFC 822 bytes into the text to classify, the date received,
the sender, and the attachments (listed, never silently dropped).
"""

from __future__ import annotations

import email
import re
from dataclasses import dataclass, field
from datetime import date
from email import policy
from email.message import EmailMessage
from email.utils import getaddresses, parsedate_to_datetime
from html.parser import HTMLParser
from typing import Iterator

__all__ = ["Mail", "read_message", "html_to_text", "MailError", "iter_messages"]


class MailError(ValueError):
    """The message cannot be read; the message says why."""


@dataclass
class Mail:
    text: str
    subject: str = ""
    received: date | None = None
    sender_name: str = ""
    sender_address: str = ""
    message_id: str = ""
    attachments: list[dict] = field(default_factory=list)
    defects: list[str] = field(default_factory=list)


class _TextExtractor(HTMLParser):
    _BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "ul", "ol", "hr"}
    _SKIP = {"script", "style", "head", "title"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0
        self._quote = 0

    def handle_starttag(self, tag, attrs):
        if tag in self._SKIP:
            self._skip += 1
        elif tag == "blockquote":
            self._quote += 1
        if tag in self._BLOCK:
            self.parts.append("\n")
        if tag == "li":
            self.parts.append("- ")

    def handle_endtag(self, tag):
        if tag in self._SKIP and self._skip:
            self._skip -= 1
        elif tag == "blockquote" and self._quote:
            self._quote -= 1
        if tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if self._skip:
            return
        if self._quote:  # a quoted earlier message: keep it marked as quoted
            data = "\n".join("> " + line for line in data.splitlines() if line.strip())
        self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts).replace("\xa0", " ")
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _decoded(part) -> tuple[str, list[str]]:
    defects = []
    try:
        content = part.get_content()
    except (LookupError, UnicodeError):  # an unknown or wrong charset label
        payload = part.get_payload(decode=True) or b""
        content = payload.decode("utf-8", errors="replace")
        defects.append(f"charset {part.get_content_charset()!r} could not be used; decoded as UTF-8 with replacements")
    if isinstance(content, bytes):
        content = content.decode("utf-8", errors="replace")
    return content, defects


def read_message(data: bytes) -> Mail:
    """Parse one message; raises MailError when there is nothing that could be a request."""
    if not data.strip():
        raise MailError("empty message")
    msg = email.message_from_bytes(data, policy=policy.default)
    if not isinstance(msg, EmailMessage) or not msg.keys():
        raise MailError("not an e-mail message: it has no headers")
    defects = [type(d).__name__ for d in msg.defects]
    body = msg.get_body(preferencelist=("plain", "html"))
    text = ""
    if body is not None:
        text, more = _decoded(body)
        defects += more
        if body.get_content_type() == "text/html":
            text = html_to_text(text)
    attachments = []
    if not msg.is_multipart() and msg.get_content_maintype() not in ("text", "multipart"):
        payload = msg.get_payload(decode=True) or b""  # the whole message is one attachment
        attachments.append({"name": msg.get_filename() or "", "type": msg.get_content_type(), "size": len(payload)})
    for part in msg.iter_attachments():
        payload = part.get_payload(decode=True) or b""
        attachments.append({"name": part.get_filename() or "", "type": part.get_content_type(), "size": len(payload)})
    received = None
    if msg.get("Date"):
        try:
            received = parsedate_to_datetime(str(msg["Date"])).date()
        except (TypeError, ValueError, IndexError):
            defects.append("unreadable Date header")
    sender = getaddresses([str(msg.get("From", ""))])
    name, address = sender[0] if sender else ("", "")
    return Mail(text=text.strip(), subject=str(msg.get("Subject", "")), received=received, sender_name=name,
                sender_address=address, message_id=str(msg.get("Message-ID", "")), attachments=attachments,
                defects=defects)


def iter_messages(path) -> Iterator[tuple[str, bytes]]:
    """(stable id, raw bytes) for every message in an .eml file, an mbox file, a Maildir
    folder, or a folder of any of these (read in name order)."""
    import mailbox
    from pathlib import Path

    path = Path(path)
    if path.is_dir():
        if all((path / sub).is_dir() for sub in ("cur", "new", "tmp")):
            box = mailbox.Maildir(path, factory=None, create=False)
            for key in sorted(box.iterkeys()):
                yield f"{path.name}/{key}", box.get_bytes(key)
            return
        for child in sorted(p for p in path.iterdir() if not p.name.startswith(".")):
            yield from iter_messages(child)
        return
    with path.open("rb") as fh:
        head = fh.read(5)
    if path.suffix.lower() == ".mbox" or head == b"From ":
        box = mailbox.mbox(path, create=False)
        try:
            for n, key in enumerate(box.iterkeys(), 1):
                yield f"{path.name}:{n}", box.get_bytes(key)
        finally:
            box.close()
    elif path.suffix.lower() in (".eml", ".msg", ".txt") or path.is_file():
        yield path.name, path.read_bytes()
