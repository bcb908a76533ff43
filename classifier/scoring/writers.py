"""Outputs for batch scoring: JSONL (the full result) or CSV (flattened), written so that
an interrupted run can resume: one complete line per row, flushed; a partial last line
is cut off on resume."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

__all__ = ["ResultWriter", "ErrorWriter", "prepare_output", "CSV_FIELDS", "flatten", "format_line"]

CSV_FIELDS = ["id", "lead_department", "lead_probability", "departments", "topics", "exemptions", "regime",
              "needs_review", "questions", "received", "due"]


def flatten(result: dict) -> dict:
    qs = result.get("questions", [])
    depts = result.get("departments", [])

    def labels(head):
        seen = []
        for q in qs:
            for item in q[head]:
                if item["label"] not in seen:
                    seen.append(item["label"])
        return ";".join(seen)

    return {
        "id": result.get("id", ""),
        "lead_department": depts[0]["label"] if depts else "",
        "lead_probability": depts[0]["probability"] if depts else "",
        "departments": ";".join(d["label"] for d in depts if d.get("questions")),
        "topics": labels("topics"), "exemptions": labels("exemptions"),
        "regime": result.get("regime", {}).get("label", ""),
        "needs_review": "yes" if result.get("needs_review") else "no",
        "questions": len(qs), "received": result.get("received", ""),
        "due": (result.get("due") or {}).get("date", ""),
    }


def format_line(result: dict, fmt: str) -> str:
    """One complete output line (with its newline) for a result."""
    if fmt == "csv":
        buf = io.StringIO()
        csv.DictWriter(buf, CSV_FIELDS, extrasaction="ignore", lineterminator="\n").writerow(flatten(result))
        return buf.getvalue()
    return json.dumps(result, ensure_ascii=False) + "\n"


def _truncate_partial_line(path: Path) -> None:
    """Cut a file back to its last complete line (a crash can leave half a line)."""
    with path.open("rb+") as fh:
        fh.seek(0, os.SEEK_END)
        size = fh.tell()
        if size == 0:
            return
        pos = size
        while pos > 0:
            step = min(65536, pos)
            fh.seek(pos - step)
            chunk = fh.read(step)
            nl = chunk.rfind(b"\n")
            if nl != -1:
                end = pos - step + nl + 1
                if end != size:
                    fh.truncate(end)
                return
            pos -= step
        fh.truncate(0)


def _done_ids(path: Path, fmt: str) -> set[str]:
    if not path.exists():
        return set()
    _truncate_partial_line(path)
    done: set[str] = set()
    with path.open(encoding="utf-8", newline="") as fh:
        if fmt == "csv":
            for row in csv.DictReader(fh):
                done.add(row.get("id", ""))
        else:
            for line in fh:
                try:
                    done.add(str(json.loads(line)["id"]))
                except (ValueError, KeyError):
                    continue
    return done


def prepare_output(out: Path, errors: Path, fmt: str, resume: bool, overwrite: bool) -> set[str]:
    """Check the output paths and return the ids already scored or failed (on resume)."""
    if out.exists() and not (resume or overwrite):
        raise FileExistsError(f"{out} exists: use --resume to finish it, or --overwrite to start again")
    if overwrite and not resume:
        for p in (out, errors):
            if p.exists():
                p.unlink()
        return set()
    return _done_ids(out, fmt) | _done_ids(errors, "jsonl") if resume else set()


class ResultWriter:
    def __init__(self, path: Path, fmt: str):
        self.fmt = fmt
        new = not path.exists() or path.stat().st_size == 0
        self.fh = path.open("a", encoding="utf-8", newline="")
        if fmt == "csv" and new:
            csv.DictWriter(self.fh, CSV_FIELDS, lineterminator="\n").writeheader()

    def write(self, line: str) -> None:
        """One pre-formatted line per row (see ``format_line``): a crash leaves at most a
        partial last line, which ``--resume`` cuts off."""
        self.fh.write(line)

    def flush(self) -> None:
        self.fh.flush()
        os.fsync(self.fh.fileno())

    def close(self) -> None:
        self.flush()
        self.fh.close()


class ErrorWriter:
    def __init__(self, path: Path):
        self.path = path
        self.fh = None

    def write(self, row_id: str, source: str, reason: str) -> None:
        if self.fh is None:
            self.fh = self.path.open("a", encoding="utf-8")
        self.fh.write(json.dumps({"id": row_id, "source": source, "error": reason}, ensure_ascii=False) + "\n")

    def flush(self) -> None:
        if self.fh:
            self.fh.flush()

    def close(self) -> None:
        if self.fh:
            self.fh.close()
