"""Inbox intake: our corpus of e-mails (tests/fixtures/mail), malformed ones, precedents."""

import json
import mailbox
from email.message import EmailMessage

import pytest
import yaml
from click.testing import CliRunner

from classifier.cli import main
from classifier.intake import Intake, clean_body
from classifier.mail import MailError, read_message
from classifier.precedents import PrecedentIndex

from .conftest import FIXTURES

MAIL = FIXTURES / "mail"
EXPECTED = yaml.safe_load((MAIL / "expected.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def intake(triage):
    return Intake(triage)


def test_the_corpus_covers_every_kind_of_clutter_and_damage():
    assert len(EXPECTED) >= 40
    kinds = [k for e in EXPECTED for k in e["kinds"]]
    for kind in range(1, 24):
        assert kinds.count(kind) >= 2, kind


@pytest.mark.parametrize("case", EXPECTED, ids=[e["file"] for e in EXPECTED])
def test_each_message_is_parsed_and_cleaned_or_rejected_with_a_reason(intake, case):
    raw = (MAIL / case["file"]).read_bytes()
    if case["outcome"] == "rejected":
        with pytest.raises(MailError) as exc:
            intake.process(raw, default_id=case["file"])
        assert str(exc.value)
        return
    result = intake.process(raw, default_id=case["file"])
    cleaned = result["intake"]["cleaned_text"]
    for phrase in case.get("must_contain", []):
        assert phrase in cleaned
    for phrase in case.get("must_not_contain", []):
        assert phrase not in cleaned
    assert len(result["intake"]["attachments"]) == case.get("attachments", 0)
    if case.get("received"):
        assert result["received"] == str(case["received"])
        assert result.get("due") is None or result["due"]["date"] > result["received"]
    if case.get("requester_email"):
        assert result["intake"]["requester"]["email"] == case["requester_email"]
    assert case["requester_email"] not in cleaned if case.get("requester_email") else True


def test_regime_on_the_mail_corpus(intake):
    parsed = [e for e in EXPECTED if e["outcome"] == "parsed"]
    right = sum(intake.process((MAIL / e["file"]).read_bytes(), default_id=e["file"])["regime"]["label"] == e["regime"]
                for e in parsed)
    assert right / len(parsed) >= 0.9, f"{right} of {len(parsed)}"


def test_question_offsets_map_back_to_the_decoded_body(intake):
    raw = (MAIL / "08-fwd-highways-streetlights.eml").read_bytes()
    body = read_message(raw).text
    result = intake.process(raw)
    assert result["intake"]["forwarded"] and result["received"] == "2024-03-04"
    for q in result["questions"]:
        assert body[q["body_start"] : q["body_end"]] == q["text"]


def test_forwarded_request_keeps_its_original_date_and_requester():
    body = ("Can you log this please, it came to Highways on Monday.\n\nThanks\nDev\n\n"
            "---------- Forwarded message ---------\nFrom: Pat Doe <pat@example.org>\n"
            "Date: Fri, 18 Dec 2026 at 16:40\nSubject: lights\nTo: highways@council.example\n\n"
            "How many street lights are out of action?\n\nRegards,\nPat Doe\n")
    cleaned = clean_body(body)
    assert cleaned.text == "How many street lights are out of action?"
    assert cleaned.forwarded_from == ("Pat Doe", "pat@example.org") and str(cleaned.forwarded_date) == "2026-12-18"


def test_a_20_mb_attachment_is_listed_not_dropped(intake):
    msg = EmailMessage()
    msg["From"], msg["Subject"], msg["Date"] = "a@example.org", "FOI", "Mon, 04 Jan 2027 10:00:00 +0000"
    msg.set_content("How many planning applications were refused in 2026?")
    msg.add_attachment(b"\x00" * 20_000_000, maintype="application", subtype="octet-stream", filename="big.bin")
    result = intake.process(bytes(msg))
    (att,) = result["intake"]["attachments"]
    assert att == {"name": "big.bin", "type": "application/octet-stream", "size": 20_000_000}
    assert result["questions"][0]["text"].startswith("How many planning")


def test_cli_intake_reads_eml_folders_mbox_and_maildir(tmp_path):
    box = mailbox.mbox(tmp_path / "in.mbox")
    maildir = mailbox.Maildir(tmp_path / "Maildir")
    for name in ("01-highways-resurfacing.eml", "13-eir-air-quality.eml"):
        box.add((MAIL / name).read_bytes())
        maildir.add((MAIL / name).read_bytes())
    box.close()
    folder = tmp_path / "eml"
    folder.mkdir()
    for name in ("12-sar-council-tax-records.eml", "20-not-an-email-text.eml"):
        (folder / name).write_bytes((MAIL / name).read_bytes())
    out = tmp_path / "out.jsonl"
    r = CliRunner().invoke(main, ["intake", str(folder), str(tmp_path / "in.mbox"), str(tmp_path / "Maildir"),
                                  "--out", str(out), "--no-store"])
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 5 and r.exit_code == 1  # one message is not an e-mail
    assert "rows read 6 = already scored 0 + scored 5 + failed 1" in r.output
    assert rows[0]["regime"]["label"] == "sar" and rows[0]["due"]["rule"].startswith("UK GDPR")
    errors = [json.loads(line) for line in (tmp_path / "out.jsonl.errors.jsonl").read_text().splitlines()]
    assert errors[0]["id"] == "20-not-an-email-text.eml" and "no headers" in errors[0]["error"]


def test_duplicates_and_precedents(triage, tmp_path):
    index = PrecedentIndex(f"sqlite:///{tmp_path / 'p.sqlite'}")
    intake = Intake(triage, index)
    raw = (MAIL / "01-highways-resurfacing.eml").read_bytes()
    first = intake.process(raw, msg_id="REQ-1")
    assert first["precedents"]["exact_duplicates"] == []
    index.record_outcome("REQ-1", "answered; figures published in the disclosure log", "2024-02-01")
    again = intake.process(raw, msg_id="REQ-2")
    (dup,) = again["precedents"]["exact_duplicates"]
    assert dup["request_id"] == "REQ-1" and dup["outcome"].startswith("answered")
    near = raw.replace(b"2022/23", b"2023/24").replace(b"Dear", b"Hello")  # same ask, a year later
    third = intake.process(near, msg_id="REQ-3")
    assert third["precedents"]["exact_duplicates"] == []
    near_ids = {d["request_id"]: d["similarity"] for d in third["precedents"]["near_duplicates"]}
    assert set(near_ids) == {"REQ-1", "REQ-2"} and min(near_ids.values()) >= index.near_duplicate
    best = third["questions"][0]["similar_earlier"][0]
    assert best["request_id"] in ("REQ-1", "REQ-2") and best["similarity"] > 0.9
    reopened = PrecedentIndex(f"sqlite:///{tmp_path / 'p.sqlite'}")  # stored, not only in memory
    assert reopened.find(first["intake"]["cleaned_text"], [])["exact_duplicates"]


def test_service_intake_endpoint(triage, tmp_path):
    from service import create_app

    client = create_app({"TRIAGE": triage, "STORE_URL": f"sqlite:///{tmp_path / 's.sqlite'}"}).test_client()
    raw = (MAIL / "13-eir-air-quality.eml").read_bytes()
    r = client.post("/v1/intake", data=raw, content_type="message/rfc822")
    body = r.get_json()
    assert r.status_code == 200 and body["regime"]["label"] == "eir" and body["due"]["rule"].startswith("EIR")
    assert body["questions"][0]["similar_earlier"] is not None
    assert client.post("/v1/intake", data=b"just words", content_type="message/rfc822").status_code == 400
    assert client.post("/v1/intake", data=raw, content_type="text/plain").status_code == 415
