"""The seed letter (rewritten in our own words) gets the council's own labels."""


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
    for ref in ("5", "6", "7"):
        assert qs[ref]["departments"][0]["label"] == "finance", ref
    for ref in ("1", "3", "3a"):
        assert qs[ref]["departments"][0]["label"] == "education", ref
    for ref in ("2a", "2b", "2c"):
        assert qs[ref]["departments"][0]["label"] == "procurement", ref
