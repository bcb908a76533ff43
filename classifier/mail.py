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

__all__ = ["Mail", "read_message", "html_to_text", "MailError"]


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
    if not isinstance(msg, EmailMessage) or (not msg.keys() and not msg.get_payload()):
        raise MailError("not an e-mail message (no headers)")
    defects = [type(d).__name__ for d in msg.defects]
    body = msg.get_body(preferencelist=("plain", "html"))
    text = ""
    if body is not None:
        text, more = _decoded(body)
        defects += more
        if body.get_content_type() == "text/html":
            text = html_to_text(text)
    attachments = []
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
