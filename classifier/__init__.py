"""foi-triage: first-pass triage of Freedom of Information requests.

>>> from classifier import Triage
>>> triage = Triage.load()                      # the shipped model, hash-checked
>>> result = triage.classify("How many potholes were repaired in 2023?")
>>> result["questions"][0]["departments"][0]["label"]
'highways'
"""

__version__ = "2026.11.1"

from .artifact import ModelError, load_model  # noqa: E402
from .split import split_questions  # noqa: E402
from .triage import MAX_CHARS, SCHEMA, Triage, TriageInputError, decode_bytes, validate_text  # noqa: E402

__all__ = ["Triage", "TriageInputError", "ModelError", "load_model", "split_questions", "decode_bytes",
           "validate_text", "SCHEMA", "MAX_CHARS", "__version__"]
