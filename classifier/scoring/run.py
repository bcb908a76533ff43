"""``foi-triage score``: read, score in chunks (locally or on Dask), write, summarise."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .engines import DaskEngine, LocalEngine
from .readers import Columns, Row, estimate_rows, read_inputs
from .summary import Summary
from .writers import ErrorWriter, ResultWriter, prepare_output

__all__ = ["ScoreJob", "run_job"]


@dataclass
class ScoreJob:
    inputs: list[Path]
    out: Path
    fmt: str
    errors: Path
    model_dir: Path
    columns: Columns
    workers: int = 1
    chunk_size: int = 250
    resume: bool = False
    overwrite: bool = False
    engine: str = "local"
    scheduler: str | None = None
    report: Path | None = None
    progress: bool | None = None  # None: a bar only on a terminal


def _unique_ids(rows: Iterator[Row]) -> Iterator[Row]:
    """Ids must be unique for resume to work: a repeated id gets '#2', '#3', ..."""
    seen: dict[str, int] = {}
    for row in rows:
        n = seen.get(row.id, 0) + 1
        seen[row.id] = n
        if n > 1:
            row.id = f"{row.id}#{n}"
        yield row


def run_job(job: ScoreJob, echo=print) -> Summary:
    done = prepare_output(job.out, job.errors, job.fmt, job.resume, job.overwrite)
    summary = Summary()
    writer, errors = ResultWriter(job.out, job.fmt), ErrorWriter(job.errors)

    def chunks() -> Iterator[list[Row]]:
        chunk: list[Row] = []
        for row in _unique_ids(read_inputs(job.inputs, job.columns)):
            summary.rows_read += 1
            if row.id in done:
                summary.already_done += 1
                continue
            chunk.append(row)
            if len(chunk) >= job.chunk_size:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    engine = (DaskEngine(job.model_dir, job.workers, job.fmt, job.scheduler) if job.engine == "dask"
              else LocalEngine(job.model_dir, job.workers, job.fmt))
    show = sys.stderr.isatty() if job.progress is None else job.progress
    bar = None
    if show:
        from tqdm import tqdm

        bar = tqdm(total=estimate_rows(job.inputs) - len(done), unit=" requests", file=sys.stderr,
                   dynamic_ncols=True, smoothing=0.1)
    try:
        for outcomes in engine.run(chunks()):
            for row_id, source, line, digest, reason in outcomes:
                if line is not None:
                    writer.write(line)
                    summary.add(digest)
                else:
                    errors.write(row_id, source, reason)
                    summary.fail(reason)
            writer.flush()
            errors.flush()
            if bar is not None:
                bar.update(len(outcomes))
    finally:
        if bar is not None:
            bar.close()
        writer.close()
        errors.close()
    if job.report:
        job.report.write_text(summary.html(), encoding="utf-8")
    return summary
