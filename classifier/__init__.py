"""foi-triage: first-pass triage of Freedom of Information requests.

>>> from classifier import Triage
>>> triage = Triage.load()                      # the shipped model, hash-checked
>>> result = triage.classify("How many potholes were repaired on the A38 in 2023?")
>>> result["questions"][0]["departments"][0]["label"]
'highways'
"""

from importlib import import_module

__version__ = "2026.11.1"

_PUBLIC = {
    "Triage": "triage", "TriageInputError": "triage", "InputTooLarge": "triage", "decode_bytes": "triage", "validate_text": "triage",
    "SCHEMA": "triage", "MAX_CHARS": "triage", "check_item": "triage", "ModelError": "artifact", "load_model": "artifact",
    "split_questions": "split",
}
__all__ = [*_PUBLIC, "__version__"]


def __getattr__(name):  # imported on first use, so `python -m classifier.corpus` stays light
    if name in _PUBLIC:
        return getattr(import_module(f".{_PUBLIC[name]}", __name__), name)
    raise AttributeError(f"module 'classifier' has no attribute {name!r}")
