"""`foi-triage score` as a user runs it: spreadsheets, e-mail folders, bad rows, resume, Dask."""

import csv
import json
import mailbox
from email.message import EmailMessage
from pathlib import Path

import pytest
from click.testing import CliRunner

from classifier.cli import main

REQUESTS = [
    ("A1", "1. How many potholes were repaired in 2024?\n2. What was the total cost?", "2026-01-05"),
    ("A2", "How many missed bin collections were reported last year?", "05/02/2026"),
    ("A3", "Please send me the number of agency social workers employed by children's services.", ""),
    ("A4", "Dear FOI team,\n\nWhich company supplies your payroll software and when does the contract end?\n\nThanks", ""),
]


def score(*args):
    return CliRunner().invoke(main, ["score", *map(str, args), "--workers", "1", "--no-progress"])


def read_jsonl(path):
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines()]


def write_spreadsheet_csv(path, rows, encoding="utf-8-sig", delimiter=","):
    with open(path, "w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh, delimiter=delimiter, lineterminator="\r\n")
        w.writerow(["Case Ref", "Request Text", "Date Received"])
        w.writerows(rows)


def test_spreadsheet_csv_with_bom_crlf_and_quoted_newlines(tmp_path):
    src = tmp_path / "export.csv"
    write_spreadsheet_csv(src, REQUESTS)
    r = score(src, "--out", tmp_path / "out.jsonl")
    assert r.exit_code == 0, r.output
    out = read_jsonl(tmp_path / "out.jsonl")
    assert [o["id"] for o in out] == ["A1", "A2", "A3", "A4"]
    assert [q["ref"] for q in out[0]["questions"]] == ["1", "2"]
    assert out[1]["received"] == "2026-02-05" and out[1]["due"]["date"]
    assert "rows read 4 = already scored 0 + scored 4 + failed 0  [OK]" in r.output


def test_semicolon_cp1252_csv_and_csv_output(tmp_path):
    src = tmp_path / "export.csv"
    rows = [("B1", "What did the council spend on café refurbishments in 2024?", "01/03/2026")]
    write_spreadsheet_csv(src, rows, encoding="cp1252", delimiter=";")
    r = score(src, "--out", tmp_path / "out.csv")
    assert r.exit_code == 0, r.output
    (row,) = list(csv.DictReader((tmp_path / "out.csv").open(encoding="utf-8")))
    assert row["id"] == "B1" and row["lead_department"] and row["questions"] == "1" and row["due"]


def test_unknown_text_column_lists_the_columns(tmp_path):
    src = tmp_path / "x.csv"
    src.write_text("ref,foo,bar\n1,a,b\n", encoding="utf-8")
    r = score(src, "--out", tmp_path / "out.jsonl")
    assert r.exit_code == 1 and "the columns are: ref, foo, bar" in r.output and "--text-column" in r.output
    r = score(src, "--out", tmp_path / "out2.jsonl", "--text-column", "baz")
    assert r.exit_code == 1 and "no column 'baz'" in r.output


def test_one_bad_row_in_the_middle_is_reported_and_the_rest_scored(tmp_path):
    src = tmp_path / "in.jsonl"
    lines = [json.dumps({"id": i, "text": t}) for i, t, _ in REQUESTS[:2]]
    lines += ['{"id": "broken", "text": ', json.dumps({"id": "empty", "text": "   "}),
              json.dumps({"id": "X9", "text": "How many trees were felled?", "received": "not a date"})]
    lines += [json.dumps({"id": i, "text": t}) for i, t, _ in REQUESTS[2:]]
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = score(src, "--out", tmp_path / "out.jsonl")
    assert r.exit_code == 1  # some rows failed
    assert [o["id"] for o in read_jsonl(tmp_path / "out.jsonl")] == ["A1", "A2", "A3", "A4"]
    errors = read_jsonl(tmp_path / "out.jsonl.errors.jsonl")
    assert [e["id"] for e in errors] == ["in.jsonl:3", "empty", "X9"]
    assert "not valid UTF-8 JSON" in errors[0]["error"] and "empty" in errors[1]["error"]
    assert "not a date" in errors[2]["error"]
    assert "rows read 7 = already scored 0 + scored 4 + failed 3  [OK]" in r.output


def _eml(subject, body, attachment=None, date="Tue, 03 Mar 2026 09:15:00 +0000"):
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"], msg["Date"] = "Pat Doe <pat@example.org>", "foi@council.example", subject, date
    msg.set_content(body)
    if attachment:
        msg.add_attachment(attachment, maintype="application", subtype="pdf", filename="letter.pdf")
    return msg


def test_folder_of_emails_with_attachments_and_an_mbox(tmp_path):
    folder = tmp_path / "mail"
    folder.mkdir()
    (folder / "1.eml").write_bytes(bytes(_eml("FOI: potholes", REQUESTS[0][1], attachment=b"%PDF-1.4 ...")))
    (folder / "2.eml").write_bytes(bytes(_eml("FOI: bins", REQUESTS[1][1])))
    (folder / "3.eml").write_bytes(b"")  # an empty file is an error, not a crash
    box = mailbox.mbox(tmp_path / "inbox.mbox")
    for _, text, _ in REQUESTS[2:]:
        box.add(_eml("Request", text))
    box.close()
    r = score(folder, tmp_path / "inbox.mbox", "--out", tmp_path / "out.jsonl")
    out = read_jsonl(tmp_path / "out.jsonl")
    assert [o["id"] for o in out] == ["1.eml", "2.eml", "inbox.mbox:1", "inbox.mbox:2"]
    assert out[0]["received"] == "2026-03-03"
    assert read_jsonl(tmp_path / "out.jsonl.errors.jsonl")[0]["id"] == "3.eml"
    assert r.exit_code == 1 and "failed 1" in r.output


def test_folder_of_txt_files(tmp_path):
    for i, (_, text, _) in enumerate(REQUESTS):
        (tmp_path / f"req{i}.txt").write_text(text, encoding="utf-8")
    r = score(tmp_path, "--out", tmp_path.parent / "txt-out.jsonl")
    assert r.exit_code == 0, r.output
    assert [o["id"] for o in read_jsonl(tmp_path.parent / "txt-out.jsonl")] == [f"req{i}.txt" for i in range(4)]


def test_interrupted_run_resumes_without_loss_or_duplicates(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"R{i}", "text": REQUESTS[i % 4][1]}) + "\n" for i in range(40)))
    full = tmp_path / "full.jsonl"
    assert score(src, "--out", full).exit_code == 0
    out = tmp_path / "out.jsonl"
    lines = full.read_text().splitlines(keepends=True)
    out.write_text("".join(lines[:13]) + lines[13][:40])  # killed mid-write: half a line
    assert score(src, "--out", out).exit_code == 1  # refuses to clobber without --resume
    r = score(src, "--out", out, "--resume")
    assert r.exit_code == 0, r.output
    assert "already scored 13 + scored 27" in r.output
    assert read_jsonl(out) == read_jsonl(full)


def test_html_report(tmp_path):
    src = tmp_path / "in.csv"
    write_spreadsheet_csv(src, REQUESTS)
    r = score(src, "--out", tmp_path / "o.jsonl", "--report", tmp_path / "r.html")
    page = (tmp_path / "r.html").read_text()
    assert r.exit_code == 0 and page.count("<svg") == 6 and "Requests by lead department" in page
    assert "<script" not in page  # self-contained, nothing to fetch


def test_two_local_workers_equal_one(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"R{i}", "text": REQUESTS[i % 4][1]}) + "\n" for i in range(30)))
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    assert score(src, "--out", one).exit_code == 0
    r = CliRunner().invoke(main, ["score", str(src), "--out", str(two), "--workers", "2", "--chunk-size", "4",
                                  "--no-progress"])
    assert r.exit_code == 0, r.output
    assert read_jsonl(one) == read_jsonl(two)


def test_dask_local_cluster_equals_local_engine(tmp_path):
    pytest.importorskip("distributed")
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"R{i}", "text": REQUESTS[i % 4][1]}) + "\n" for i in range(25)))
    local, dask = tmp_path / "local.jsonl", tmp_path / "dask.jsonl"
    assert score(src, "--out", local).exit_code == 0
    r = CliRunner().invoke(main, ["score", str(src), "--out", str(dask), "--engine", "dask", "--workers", "2",
                                  "--chunk-size", "5", "--no-progress"])
    assert r.exit_code == 0, r.output
    assert read_jsonl(dask) == read_jsonl(local)
