"""The seed letter (rewritten in our own words) gets the council's own labels."""

import pytest


def _by_ref(result):
    return {q["ref"]: q for q in result["questions"]}


def _labels(q, head):
    return {x["label"] for x in q[head]}


def test_seed_structure(triage, seed_text):
    refs = [q["ref"] for q in triage.classify(seed_text)["questions"]]
    assert refs == ["1", "2", "2a", "2b", "2c", "3", "3a", "3b", "3c", "4", "5", "6", "7", "8"]


def test_seed_exemptions(triage, seed_text):
    qs = _by_ref(triage.classify(seed_text))
    assert "s21" in _labels(qs["2b"], "exemptions")
    for ref in ("5", "6", "7", "8"):
        assert "s43_2" in _labels(qs[ref], "exemptions"), ref


def test_seed_topics(triage, seed_text):
    qs = _by_ref(triage.classify(seed_text))
    for ref in ("3", "3a", "3b", "3c"):
        assert "school_counts" in _labels(qs[ref], "topics"), ref
    for ref in ("2", "2a", "2b", "2c"):
        assert "contracts" in _labels(qs[ref], "topics"), ref
    for ref in ("5", "6", "7"):
        assert "income" in _labels(qs[ref], "topics"), ref


def test_seed_routing(triage, seed_text):
    qs = _by_ref(triage.classify(seed_text))
    assert qs["6"]["departments"][0]["label"] == "finance"
    for ref in ("5", "7"):  # finance is at least the runner-up (see the known gap below)
        assert [d["label"] for d in qs[ref]["departments"][:2]].count("finance") == 1, ref
    for ref in ("1", "3", "3a"):
        assert qs[ref]["departments"][0]["label"] == "education", ref
    for ref in ("2a", "2b", "2c"):
        assert qs[ref]["departments"][0]["label"] == "procurement", ref


@pytest.mark.xfail(strict=True, reason="known gap: the shipped model leads 5 and 7 with education (finance second); "
                                      "the council routed them to finance")
def test_seed_traded_income_and_de_delegation_lead_to_finance(triage, seed_text):
    qs = _by_ref(triage.classify(seed_text))
    assert [qs[ref]["departments"][0]["label"] for ref in ("5", "7")] == ["finance", "finance"]
