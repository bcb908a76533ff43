"""A model folder is code: it loads only when every file matches its recorded hash."""

import json
import shutil

import pytest

from classifier import ModelError, Triage
from classifier.artifact import DEFAULT_MODEL_DIR, file_hashes, load_model


@pytest.fixture
def model_copy(tmp_path):
    dest = tmp_path / "model"
    shutil.copytree(DEFAULT_MODEL_DIR, dest)
    return dest


def test_shipped_model_verifies_and_meta_is_complete():
    _, meta = load_model(DEFAULT_MODEL_DIR)
    assert meta["sha256"] == file_hashes(DEFAULT_MODEL_DIR)["model.joblib"]
    for key in ("labels", "libraries", "config", "training_data", "metrics", "thresholds", "trained_at"):
        assert key in meta, key
    assert meta["metrics"]["grouped_by"] == "request"


def test_tampered_pickle_is_refused(model_copy):
    path = model_copy / "model.joblib"
    path.write_bytes(path.read_bytes() + b"\x00")
    with pytest.raises(ModelError, match="tampered"):
        Triage.load(model_copy)


def test_extra_file_is_refused(model_copy):
    (model_copy / "evil.joblib").write_bytes(b"x")
    with pytest.raises(ModelError, match="not recorded"):
        Triage.load(model_copy)


def test_library_mismatch_is_refused(model_copy):
    meta = json.loads((model_copy / "meta.json").read_text())
    meta["libraries"]["scikit-learn"] = "0.0.1"
    (model_copy / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(ModelError, match="scikit-learn 0.0.1"):
        Triage.load(model_copy)


def test_missing_model_is_refused(tmp_path):
    with pytest.raises(ModelError, match="foi-triage train"):
        Triage.load(tmp_path)
