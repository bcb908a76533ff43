"""Where scoring runs: in this process, in a pool of local processes, or on Dask.

Each engine takes chunks of rows and gives back, in input order, one outcome per row:
``(row, result, None)`` or ``(row, None, reason)``. At most a few chunks per worker are
in flight, so memory does not grow with the input.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Iterable, Iterator

from ..triage import Triage, TriageInputError, check_item
from .readers import Row
from .summary import digest
from .writers import format_line

__all__ = ["score_rows", "encode", "LocalEngine", "DaskEngine"]

_TRIAGE: Triage | None = None


def _load(model_dir: str) -> None:
    global _TRIAGE
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    _TRIAGE = Triage.load(model_dir)


def _item(row: Row) -> dict:
    return {"text": row.text, "id": row.id, "received": row.received}


def score_rows(triage: Triage, rows: list[Row]) -> list[tuple[Row, dict | None, str | None]]:
    """Score a chunk; a row that fails is reported with its reason, the others go on."""
    out: list[tuple[Row, dict | None, str | None]] = [(r, None, r.error) for r in rows]
    good = []
    for i, row in enumerate(rows):
        if row.error:
            continue
        try:
            check_item(_item(row))
            good.append(i)
        except TriageInputError as exc:
            out[i] = (row, None, str(exc))
    try:
        results = triage.classify_many([_item(rows[i]) for i in good])
        for i, result in zip(good, results):
            out[i] = (rows[i], result, None)
    except TriageInputError:  # one row failed late: score them one by one
        for i in good:
            try:
                out[i] = (rows[i], triage.classify_many([_item(rows[i])])[0], None)
            except TriageInputError as exc:
                out[i] = (rows[i], None, str(exc))
    return out


def encode(outcomes, fmt: str) -> list[tuple]:
    """Results as finished output lines plus a digest for the summary, made where they were
    computed (so the parent process only writes)."""
    return [(row.id, row.source, format_line(result, fmt), digest(result), None) if result is not None
            else (row.id, row.source, None, None, reason or "unknown error") for row, result, reason in outcomes]


def _score_in_worker(rows: list[Row], fmt: str):
    return encode(score_rows(_TRIAGE, rows), fmt)


class LocalEngine:
    def __init__(self, model_dir: Path, workers: int, fmt: str):
        self.model_dir, self.workers, self.fmt = str(model_dir), workers, fmt

    def run(self, chunks: Iterable[list[Row]]) -> Iterator[list]:
        if self.workers == 1:
            triage = Triage.load(self.model_dir)
            for chunk in chunks:
                yield encode(score_rows(triage, chunk), self.fmt)
            return
        with ProcessPoolExecutor(self.workers, initializer=_load, initargs=(self.model_dir,)) as pool:
            pending: deque = deque()
            for chunk in chunks:
                pending.append(pool.submit(_score_in_worker, chunk, self.fmt))
                if len(pending) >= 2 * self.workers:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()


# -- Dask ----------------------------------------------------------------------------
_DASK_MODELS: dict[str, Triage] = {}


def _model_files(model_dir: Path) -> dict[str, bytes]:
    return {str(p.relative_to(model_dir)): p.read_bytes() for p in sorted(model_dir.rglob("*")) if p.is_file()}


def _score_on_dask_worker(rows: list[Row], files: dict[str, bytes], key: str, fmt: str):
    """Runs on a worker: materialise the shipped model once per process, verify, score."""
    triage = _DASK_MODELS.get(key)
    if triage is None:
        target = Path(tempfile.gettempdir()) / f"foi-triage-model-{key[:16]}"
        if not target.exists():
            # several worker processes may do this at once: each writes its own folder and
            # renames it into place; the first rename wins, the others are discarded
            staging = Path(tempfile.mkdtemp(prefix=target.name + ".", dir=target.parent))
            for name, data in files.items():
                path = staging / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
            try:
                staging.rename(target)
            except OSError:
                shutil.rmtree(staging, ignore_errors=True)
        triage = Triage.load(target)  # hash-checked like any other load
        _DASK_MODELS[key] = triage
    return encode(score_rows(triage, rows), fmt)


class DaskEngine:
    """The same job on a Dask cluster: the model is sent to every worker once (scattered)."""

    def __init__(self, model_dir: Path, workers: int, fmt: str, scheduler: str | None):
        self.model_dir, self.workers, self.fmt, self.scheduler = Path(model_dir), workers, fmt, scheduler

    def run(self, chunks: Iterable[list[Row]]) -> Iterator[list]:
        from dask.distributed import Client, LocalCluster

        cluster = None
        if self.scheduler:
            client = Client(self.scheduler)
        else:
            cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=40)
            client = Client(cluster)
        try:
            files = _model_files(self.model_dir)
            key = hashlib.sha256(files["meta.json"]).hexdigest()
            shipped = client.scatter(files, broadcast=True)
            n = max(1, len(client.scheduler_info(n_workers=-1)["workers"]))
            pending: deque = deque()
            for chunk in chunks:
                pending.append(client.submit(_score_on_dask_worker, chunk, shipped, key, self.fmt, pure=False))
                if len(pending) >= 2 * n:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
