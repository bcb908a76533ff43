"""Intake throughput on a 5,000-message mbox (messages per second), with the precedent
store on (an SQLite file, seeded with the corpus) and off.

    python bench/intake.py [--messages 5000]
"""

from __future__ import annotations

import argparse
import json
import mailbox
import resource
import tempfile
import time
from email import message_from_bytes, policy
from pathlib import Path

from _requests import ROOT

from classifier import Triage
from classifier.intake import Intake, open_store
from classifier.mail import MailError, iter_messages

MAIL = ROOT / "tests" / "fixtures" / "mail"


def build_mbox(path: Path, n: int) -> None:
    sources = [p.read_bytes() for p in sorted(MAIL.glob("*.eml"))]
    box = mailbox.mbox(path)
    box.lock()
    try:
        for i in range(n):
            msg = message_from_bytes(sources[i % len(sources)], policy=policy.compat32)
            del msg["Message-ID"]
            msg["Message-ID"] = f"<bench-{i}@example.org>"
            box.add(msg)
    finally:
        box.flush()
        box.unlock()
        box.close()


def run(path: Path, intake: Intake) -> dict:
    start, ok, failed = time.perf_counter(), 0, 0
    for msg_id, raw in iter_messages(path):
        try:
            intake.process(raw, default_id=msg_id)
            ok += 1
        except MailError:
            failed += 1
    seconds = time.perf_counter() - start
    return {"messages": ok + failed, "triaged": ok, "rejected": failed, "seconds": round(seconds, 2),
            "messages_per_s": round((ok + failed) / seconds, 1)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--messages", type=int, default=5000)
    args = ap.parse_args()
    triage = Triage.load()
    with tempfile.TemporaryDirectory() as tmp:
        box = Path(tmp) / "inbox.mbox"
        build_mbox(box, args.messages)
        report = {"without_store": run(box, Intake(triage))}
        store = open_store(f"sqlite:///{tmp}/p.sqlite", triage.model.config)
        report["with_store"] = run(box, Intake(triage, store))
    report["peak_memory_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "intake.json").write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
