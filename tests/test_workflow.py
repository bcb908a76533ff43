"""The whole workflow on a tiny corpus: check data, train, evaluate, classify; and
retraining on training_data/ reproduces the shipped model's predictions."""

import json
import shutil

import pytest
import yaml
from click.testing import CliRunner

from classifier import Triage
from classifier.cli import main
from classifier.corpus import CorpusError, load_corpus
from classifier.taxonomy import load_taxonomy

from .conftest import FIXTURES, ROOT

DATA = ROOT / "training_data"


@pytest.fixture(scope="module")
def tiny_data(tmp_path_factory):
    """Every fifth request of the real corpus, with 3 folds: small enough to train in seconds."""
    out = tmp_path_factory.mktemp("data")
    shutil.copy(DATA / "taxonomy.yaml", out / "taxonomy.yaml")
    config = yaml.safe_load((DATA / "config.yaml").read_text())
    config["cv_folds"] = 3
    (out / "config.yaml").write_text(yaml.safe_dump(config))
    (out / "corpus").mkdir()
    for f in sorted((DATA / "corpus").glob("*.yaml")):
        requests = yaml.safe_load(f.read_text())[::5]
        (out / "corpus" / f.name).write_text(yaml.safe_dump(requests, allow_unicode=True, sort_keys=False))
    return out


def test_train_evaluate_classify_on_a_tiny_corpus(tiny_data, tmp_path):
    runner = CliRunner()
    model_dir = tmp_path / "model"
    r = runner.invoke(main, ["train", "--data", str(tiny_data), "--out", str(model_dir)])
    assert r.exit_code == 0, r.output
    meta = json.loads((model_dir / "meta.json").read_text())
    assert meta["metrics"]["folds"] == 3 and 0 <= meta["metrics"]["topics"]["micro"]["f1"] <= 1
    r = runner.invoke(main, ["evaluate", "--data", str(tiny_data), "--folds", "3", "--json", str(tmp_path / "e.json")])
    assert r.exit_code == 0, r.output
    assert "Lead department" in r.output and "Question splitting" in r.output
    assert json.loads((tmp_path / "e.json").read_text())["grouped_by"] == "request"
    r = runner.invoke(main, ["classify", str(FIXTURES / "seed_request.txt"), "--model", str(model_dir)])
    assert r.exit_code == 0 and len(json.loads(r.stdout)["questions"]) == 14


def test_training_twice_gives_the_same_model(tiny_data, tmp_path):
    from classifier.train import TrainingData, train

    data = TrainingData(tiny_data)
    a = train(data, tmp_path / "a")
    b = train(data, tmp_path / "b")
    assert a["files"]["model.joblib"] == b["files"]["model.joblib"]


def test_retraining_reproduces_the_shipped_model(tmp_path):
    """`foi-triage train` on training_data/ gives the shipped model's predictions."""
    from classifier.train import TrainingData, train

    shipped = Triage.load()
    data = TrainingData(DATA)
    assert data.hash == shipped.meta["training_data"]["sha256"], "training_data/ changed since models/default was built"
    train(data, tmp_path / "model")
    rebuilt = Triage.load(tmp_path / "model")
    texts = [(FIXTURES / "seed_request.txt").read_text()] + [
        r.text for r in data.requests[::50]
    ]
    strip = lambda res: {k: v for k, v in res.items() if k != "model"}  # noqa: E731
    assert [strip(x) for x in rebuilt.classify_many([{"text": t} for t in texts])] == \
           [strip(x) for x in shipped.classify_many([{"text": t} for t in texts])]


def test_corpus_meets_its_data_card():
    taxonomy = load_taxonomy(DATA / "taxonomy.yaml")
    requests = load_corpus([DATA / "corpus"], taxonomy)
    questions = [q for r in requests for q in r.questions]
    assert len(requests) >= 600 and len(questions) >= 3000
    for topic in taxonomy.ids("topics"):
        assert sum(topic in q.topics for q in questions) >= 150, topic
    for ex in taxonomy.ids("exemptions"):
        assert sum(ex in q.exemptions for q in questions) >= 60, ex
    for dept in taxonomy.ids("departments"):
        assert sum(q.departments[0] == dept for q in questions) >= 80, dept
    assert sum(not q.exemptions for q in questions) > 0.6 * len(questions)
    for r in requests:
        for q in r.questions:
            assert r.text[q.start : q.end] == q.text


def test_corpus_errors_name_the_request(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump([{"id": "x-1", "text": "How many bins?", "questions": [
        {"ref": "1", "q": "How many potholes?", "topics": [], "exempt": [], "route": ["highways"]}]}]))
    with pytest.raises(CorpusError, match="x-1.*not found"):
        load_corpus([bad], load_taxonomy(DATA / "taxonomy.yaml"))
    bad.write_text(yaml.safe_dump([{"id": "x-2", "text": "How many bins?", "questions": [
        {"ref": "1", "q": "How many bins?", "topics": ["bins"], "exempt": [], "route": ["environment"]}]}]))
    with pytest.raises(CorpusError, match="unknown topic 'bins'"):
        load_corpus([bad], load_taxonomy(DATA / "taxonomy.yaml"))
