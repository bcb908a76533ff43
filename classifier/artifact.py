"""Saving and loading the model folder, with integrity checks.

A model folder holds ``model.joblib`` (a pickle: code), ``nlp/`` (the saved spaCy
pipeline) and ``meta.json`` (labels, library versions, config, training-data hash,
cross-validated metrics, and the sha256 of every other file). Loading refuses a folder
whose files do not match their recorded hashes or whose libraries differ.
"""

from __future__ import annotations

import hashlib
import json
import platform
from pathlib import Path

import joblib
import sklearn
import spacy

from .model import TriageModel

__all__ = ["ModelError", "save_model", "load_model", "read_meta", "file_hashes", "library_versions", "DEFAULT_MODEL_DIR"]

DEFAULT_MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "default"
MODEL_FILE = "model.joblib"
META_FILE = "meta.json"


class ModelError(RuntimeError):
    """The model folder is missing, tampered with, or was built with other libraries."""


def library_versions() -> dict:
    import numpy
    import scipy

    return {"python": platform.python_version().rsplit(".", 1)[0], "scikit-learn": sklearn.__version__,
            "spacy": spacy.__version__, "numpy": numpy.__version__, "scipy": scipy.__version__,
            "joblib": joblib.__version__}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def file_hashes(model_dir: Path) -> dict[str, str]:
    return {
        str(p.relative_to(model_dir)): _sha256(p)
        for p in sorted(model_dir.rglob("*"))
        if p.is_file() and p.name != META_FILE
    }


def save_model(model: TriageModel, nlp, model_dir: Path, meta: dict) -> dict:
    model_dir = Path(model_dir)
    model_dir.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, model_dir / MODEL_FILE, compress=3)
    nlp.to_disk(model_dir / "nlp")
    hashes = file_hashes(model_dir)
    meta = {**meta, "libraries": library_versions(), "files": hashes, "sha256": hashes[MODEL_FILE]}
    (model_dir / META_FILE).write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return meta


def read_meta(model_dir: Path) -> dict:
    path = Path(model_dir) / META_FILE
    if not path.is_file():
        raise ModelError(f"no model at {model_dir}: {META_FILE} is missing. Train one with `foi-triage train`.")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ModelError(f"{path} is not valid JSON ({exc}); retrain with `foi-triage train`.") from None


def verify(model_dir: Path, meta: dict) -> None:
    recorded = meta.get("files") or {}
    if MODEL_FILE not in recorded:
        raise ModelError(f"{model_dir}/{META_FILE} records no hash for {MODEL_FILE}; refusing to load it.")
    actual = file_hashes(model_dir)
    for name, digest in recorded.items():
        if name not in actual:
            raise ModelError(f"{model_dir}/{name} is missing; the model folder is incomplete.")
        if actual[name] != digest:
            raise ModelError(
                f"{model_dir}/{name} does not match the sha256 in {META_FILE} (tampered or corrupted); "
                "refusing to load it. Retrain with `foi-triage train` or restore the file."
            )
    extra = sorted(set(actual) - set(recorded))
    if extra:
        raise ModelError(f"{model_dir} holds files not recorded in {META_FILE}: {', '.join(extra)}; refusing to load.")
    want, have = meta.get("libraries", {}), library_versions()
    for lib in ("scikit-learn", "spacy", "numpy", "joblib"):
        if want.get(lib) != have[lib]:
            raise ModelError(
                f"the model was built with {lib} {want.get(lib)} but {have[lib]} is installed; "
                f"install the pinned versions (pip install -e .) or retrain with `foi-triage train`."
            )


def load_model(model_dir: Path = DEFAULT_MODEL_DIR) -> tuple[TriageModel, dict]:
    """Verify then unpickle ``model.joblib``; only call this on folders the project wrote."""
    model_dir = Path(model_dir).resolve()
    meta = read_meta(model_dir)
    verify(model_dir, meta)
    model = joblib.load(model_dir / MODEL_FILE)
    if not isinstance(model, TriageModel):
        raise ModelError(f"{model_dir}/{MODEL_FILE} does not hold a TriageModel.")
    return model, meta
