"""Inputs for batch scoring: CSV, JSONL, folders of .txt, .eml files and folders, mbox.

Every row read becomes a ``Row`` with a stable id (its own, or file and row/line); a row
that cannot be read still becomes a Row, with the reason in ``error``, so nothing is lost.
"""

from __future__ import annotations

import codecs
import csv
import json
import mailbox
import re
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Iterator

from ..mail import MailError, read_message
from ..triage import TriageInputError, decode_bytes

__all__ = ["Row", "Columns", "read_inputs", "estimate_rows", "InputError", "detect_encoding"]

csv.field_size_limit(sys.maxsize)

TEXT_GUESSES = ("text", "request", "request_text", "body", "description", "details", "request_details", "summary",
                "question", "questions", "content", "message", "title", "subject")
ID_GUESSES = ("id", "request_id", "ref", "reference", "request_ref", "case", "case_ref", "case_id", "foi_ref",
              "number", "request_number")
DATE_GUESSES = ("received", "date_received", "received_date", "date", "created", "created_at", "submitted",
                "date_submitted", "request_date")


class InputError(ValueError):
    """An input file as a whole cannot be read (the message names the file and the fix)."""


@dataclass
class Row:
    id: str
    source: str
    text: str | None = None
    received: str | None = None
    error: str | None = None


@dataclass
class Columns:
    text: str | None = None
    id: str | None = None
    date: str | None = None


def detect_encoding(sample: bytes) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start > len(sample) - 4:  # a character cut at the end of the sample
            return "utf-8"
        return "cp1252"  # what spreadsheets on Windows save as "CSV"


def _norm(name: str) -> str:
    return name.strip().lower().replace(" ", "_").replace("-", "_")


def _pick(header: list[str], wanted: str | None, guesses: tuple[str, ...], what: str, path: Path,
          required: bool) -> str | None:
    names = {_norm(h): h for h in header}
    if wanted:
        if wanted in header:
            return wanted
        if _norm(wanted) in names:
            return names[_norm(wanted)]
        raise InputError(f"{path}: no column {wanted!r} for the {what}; the columns are: {', '.join(header)}")
    for guess in guesses:
        if guess in names:
            return names[guess]
    if required:
        raise InputError(f"{path}: cannot tell which column holds the request {what}; the columns are: "
                         f"{', '.join(header)}. Name it with --{what}-column.")
    return None


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y", "%Y/%m/%d")


def normalise_date(value: str | None) -> tuple[str | None, str | None]:
    """A date as YYYY-MM-DD (UK day-first formats accepted), or an error naming it."""
    if value is None or not str(value).strip():
        return None, None
    raw = str(value).strip()
    head = raw.split("T")[0].split(" ")[0] if re.match(r"^\d{4}-\d{2}-\d{2}[T ]", raw) else raw
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(head, fmt).date().isoformat(), None
        except ValueError:
            continue
    return None, f"date received {raw!r} is not a date (use YYYY-MM-DD or DD/MM/YYYY)"


def _clean_cell(value: str | None) -> tuple[str | None, str | None]:
    if value is None:
        return None, None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return None, "undecodable bytes in the text (the file's encoding is mixed)"
    return value, None


def _read_csv(path: Path, cols: Columns) -> Iterator[Row]:
    with path.open("rb") as fh:
        sample = fh.read(65536)
    encoding = detect_encoding(sample)
    header_line = sample.decode(encoding, errors="replace").lstrip("\ufeff").splitlines()[0] if sample else ""
    delimiter = max(",;\t|", key=header_line.count) if header_line else ","  # the header decides
    with path.open(encoding=encoding, errors="surrogateescape", newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        try:
            header = next(reader)
        except StopIteration:
            return
        text_col = _pick(header, cols.text, TEXT_GUESSES, "text", path, True)
        id_col = _pick(header, cols.id, ID_GUESSES, "id", path, False)
        date_col = _pick(header, cols.date, DATE_GUESSES, "date", path, False)
        index = {h: i for i, h in enumerate(header)}
        for n, cells in enumerate(reader, 2):
            if not any(c.strip() for c in cells):
                continue
            def get(col, cells=cells):
                return cells[index[col]] if col is not None and index[col] < len(cells) else None

            row_id = (get(id_col) or "").strip() or f"{path.name}:{n}"
            text, error = _clean_cell(get(text_col))
            received, date_error = normalise_date(get(date_col))
            yield Row(row_id, f"{path}:{n}", text, received, error or date_error)


def _read_jsonl(path: Path, cols: Columns) -> Iterator[Row]:
    text_key, id_key, date_key = cols.text or "text", cols.id or "id", cols.date or "received"
    with path.open("rb") as fh:
        for n, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            row_id = f"{path.name}:{n}"
            try:
                obj = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, ValueError, RecursionError):
                yield Row(row_id, f"{path}:{n}", error=f"line {n} is not valid UTF-8 JSON")
                continue
            if not isinstance(obj, dict):
                yield Row(row_id, f"{path}:{n}", error=f"line {n} is not a JSON object")
                continue
            own = obj.get(id_key)
            row_id = str(own) if own not in (None, "") else row_id
            text = obj.get(text_key)
            received, date_error = normalise_date(obj.get(date_key))
            error = None if isinstance(text, str) else f"no string field {text_key!r}"
            yield Row(row_id, f"{path}:{n}", text if isinstance(text, str) else None, received, error or date_error)


def _read_txt(path: Path, root: Path) -> Iterator[Row]:
    row_id = str(path.relative_to(root)) if root != path else path.name
    try:
        yield Row(row_id, str(path), decode_bytes(path.read_bytes()))
    except TriageInputError as exc:
        yield Row(row_id, str(path), error=str(exc))


def _mail_row(row_id: str, source: str, data: bytes) -> Row:
    try:
        mail = read_message(data)
    except MailError as exc:
        return Row(row_id, source, error=str(exc))
    text = mail.text or mail.subject
    return Row(row_id, source, text, mail.received.isoformat() if mail.received else None,
               None if text.strip() else "the message has no text body or subject")


def _read_eml(path: Path, root: Path) -> Iterator[Row]:
    yield _mail_row(str(path.relative_to(root)) if root != path else path.name, str(path), path.read_bytes())


def _read_mbox(path: Path) -> Iterator[Row]:
    box = mailbox.mbox(path, create=False)
    try:
        for n, key in enumerate(box.iterkeys(), 1):
            yield _mail_row(f"{path.name}:{n}", f"{path}:{n}", box.get_bytes(key))
    finally:
        box.close()


_READERS = {".csv": "csv", ".tsv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".txt": "txt", ".eml": "eml",
            ".mbox": "mbox"}


def _read_file(path: Path, root: Path, cols: Columns) -> Iterator[Row]:
    kind = _READERS.get(path.suffix.lower())
    if kind is None and path.is_file():
        with path.open("rb") as fh:
            kind = "mbox" if fh.read(5) == b"From " else None
    if kind == "csv":
        yield from _read_csv(path, cols)
    elif kind == "jsonl":
        yield from _read_jsonl(path, cols)
    elif kind == "txt":
        yield from _read_txt(path, root)
    elif kind == "eml":
        yield from _read_eml(path, root)
    elif kind == "mbox":
        yield from _read_mbox(path)
    elif root == path:
        raise InputError(f"{path}: unknown input type; use .csv, .tsv, .jsonl, .txt, .eml or an mbox file")


def estimate_rows(paths: list[Path]) -> int:
    """A quick count of the rows the inputs hold, for the progress bar's ETA (an estimate:
    a CSV cell with line breaks counts more than once)."""
    total = 0
    for path in map(Path, paths):
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for f in files:
            kind = _READERS.get(f.suffix.lower())
            if kind in ("csv", "jsonl", "mbox") or kind is None:
                with f.open("rb") as fh:
                    data = fh.read()
                if kind == "csv":
                    total += max(0, data.count(b"\n") - 1)
                elif kind == "jsonl":
                    total += sum(1 for line in data.splitlines() if line.strip())
                else:
                    total += data.count(b"\nFrom ") + data.startswith(b"From ")
            else:
                total += 1
    return total


def read_inputs(paths: list[Path], cols: Columns) -> Iterator[Row]:
    """Rows of every input, in order; folders are read recursively in name order."""
    for path in map(Path, paths):
        if not path.exists():
            raise InputError(f"{path}: no such file or folder")
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")):
                yield from _read_file(child, path, cols)
        else:
            yield from _read_file(path, path, cols)
