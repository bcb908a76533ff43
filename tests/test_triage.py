"""The result contract and bad input."""

import pytest

from classifier import SCHEMA, TriageInputError, decode_bytes


def test_result_shape(triage):
    text = "1. How many potholes were repaired in 2023?\n2. What was the total cost of the repairs?"
    r = triage.classify(text, id="REQ1", received="2026-12-18")
    assert r["schema"] == SCHEMA and r["id"] == "REQ1"
    assert set(r["model"]) == {"name", "version", "sha256"} and len(r["model"]["sha256"]) == 64
    assert r["regime"]["label"] in {"foi", "eir", "sar", "business_as_usual"}
    assert r["due"]["date"] == "2027-01-21" and r["due"]["working_days"] == 20
    assert sum(d["probability"] for d in r["departments"]) <= 1.0001
    assert r["departments"][0]["label"] == "highways"
    for q in r["questions"]:
        assert text[q["start"] : q["end"]] == q["text"]
        assert len(q["departments"]) >= 3
        assert sum(d["probability"] for d in q["departments"]) <= 1.0001
        probs = [t["probability"] for t in q["topics"]]
        assert probs == sorted(probs, reverse=True)
        for label in q["topics"] + q["exemptions"]:
            assert label["evidence"], label
            for words in label["evidence"]:
                assert words.lower() in q["text"].lower()


def test_thresholds_are_per_label_and_not_all_half(triage):
    thresholds = list(triage.model.topics_.thresholds_) + list(triage.model.exemptions_.thresholds_)
    assert len(set(thresholds)) > 1


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "empty"),
        ("   \n\t ", "empty"),
        ("x" * 100_001, "limit"),
        ("abc\x00def", "NUL"),
        ("\x01\x02\x03\x04\x05\x06\x07\x08" * 20, "binary"),
        (42, "string"),
    ],
)
def test_bad_text_is_refused_with_a_reason(triage, text, message):
    with pytest.raises(TriageInputError, match=message):
        triage.classify(text)


@pytest.mark.parametrize(
    "data, message",
    [(b"\xff\xfe\x00\x00binary", "binary"), ("caf\u00e9".encode("latin-1"), "UTF-8")],
)
def test_bad_bytes_are_refused_with_a_reason(data, message):
    with pytest.raises(TriageInputError, match=message):
        decode_bytes(data)


def test_no_questions_found(triage):
    r = triage.classify("Dear Sir or Madam,\n\nYours faithfully,\nA. Person")
    assert r["questions"] == [] and r["message"] == "no questions found" and r["needs_review"] is True


def test_received_must_be_a_date(triage):
    with pytest.raises(TriageInputError, match="YYYY-MM-DD"):
        triage.classify("How many bins?", received="next Tuesday")


def test_subject_access_request_is_not_foi(triage):
    text = ("Under the UK GDPR I would like a copy of all the personal data the council holds about me, "
            "including my housing file and any emails that mention me.\n\nRegards,\nSam Jones")
    r = triage.classify(text, received="2027-01-31")
    assert r["regime"]["label"] == "sar"
    assert r["due"]["rule"].startswith("UK GDPR") and r["due"]["date"] == "2027-03-01"


def test_batch_equals_single(triage, seed_text):
    items = [{"text": seed_text, "id": "a"}, {"text": "How many street lights are broken?", "id": "b"}]
    assert triage.classify_many(items) == [triage.classify(i["text"], id=i["id"]) for i in items]


def test_the_package_docstring_example_runs():
    import doctest

    import classifier

    result = doctest.testmod(classifier)
    assert result.attempted >= 3 and result.failed == 0
