"""Batch scoring of a backlog, built on the library's public API (``Triage``)."""

from .readers import Columns, InputError, Row, read_inputs
from .run import ScoreJob, run_job
from .summary import Summary

__all__ = ["Columns", "InputError", "Row", "read_inputs", "ScoreJob", "run_job", "Summary"]
