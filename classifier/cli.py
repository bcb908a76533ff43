"""The ``foi-triage`` command: train, evaluate, classify, serve."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import __version__
from .artifact import DEFAULT_MODEL_DIR, ModelError
from .corpus import CorpusError
from .triage import MAX_CHARS, TriageInputError, decode_bytes

MODEL_DIR_OPTION = dict(
    type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_MODEL_DIR, envvar="FOI_MODEL_DIR",
    show_default=True, help="Model folder (written by `foi-triage train`).",
)
OUT_OPTION = dict(required=True, type=click.Path(dir_okay=False, path_type=Path),
                  help="Output file: .jsonl for full results, .csv for a flattened spreadsheet.")
FORMAT_OPTION = dict(type=click.Choice(["jsonl", "csv"]), default=None,
                     help="Output format (default: from the --out extension).")
DATA_DIR_OPTION = dict(
    type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
    help="Training data folder (taxonomy.yaml, config.yaml, corpus/). Defaults to the project's training_data/.",
)


def _data(data_dir: Path | None):
    from .train import DEFAULT_DATA_DIR, TrainingData

    try:
        return TrainingData(data_dir or DEFAULT_DATA_DIR)
    except (CorpusError, FileNotFoundError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="foi-triage")
def main() -> None:
    """Triage Freedom of Information requests: split, tag, route, flag likely exemptions."""


@main.command()
@click.option("--data", "data_dir", **DATA_DIR_OPTION)
@click.option("--out", "model_dir", **MODEL_DIR_OPTION)
@click.option("--name", default="default", show_default=True, help="Model name recorded in meta.json.")
@click.option("--cv/--no-cv", default=True, show_default=True,
              help="Cross-validate first and store the metrics in meta.json (slower).")
def train(data_dir, model_dir, name, cv):
    """Train the model on the training data and save it with meta.json."""
    from .train import cross_validate, train as do_train

    data = _data(data_dir)
    click.echo(f"training on {len(data.requests)} requests, {sum(len(r.questions) for r in data.requests)} questions",
               err=True)
    metrics = cross_validate(data, folds=data.config["cv_folds"]) if cv else {}
    meta = do_train(data, model_dir, name=name, metrics=metrics)
    click.echo(f"saved {model_dir} (sha256 {meta['sha256'][:12]}…)", err=True)


@main.command()
@click.option("--data", "data_dir", **DATA_DIR_OPTION)
@click.option("--folds", default=5, show_default=True, type=click.IntRange(2, 20), help="Number of folds.")
@click.option("--json", "json_out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the full report as JSON to this file.")
def evaluate(data_dir, folds, json_out):
    """Cross-validate (folds grouped by request) and print a readable report."""
    from .report import render_report
    from .train import cross_validate

    metrics = cross_validate(_data(data_dir), folds=folds)
    if json_out:
        json_out.write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    click.echo(render_report(metrics))


@main.command()
@click.argument("source", type=click.File("rb"))
@click.option("--model", "model_dir", **MODEL_DIR_OPTION)
@click.option("--id", "req_id", default=None, help="An id to carry into the result.")
@click.option("--received", default=None, help="Date of receipt (YYYY-MM-DD), to compute the statutory deadline.")
def classify(source, model_dir, req_id, received):
    """Classify one request from FILE (or - for standard input) and print the JSON result."""
    from .triage import Triage

    data = source.read(4 * MAX_CHARS + 1)
    try:
        if len(data) > 4 * MAX_CHARS:
            raise TriageInputError(f"input is over {4 * MAX_CHARS:,} bytes; the limit is {MAX_CHARS:,} characters")
        text = decode_bytes(data)
        triage = Triage.load(model_dir)
        result = triage.classify(text, id=req_id, received=received)
    except (TriageInputError, ModelError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(json.dumps(result, indent=2, ensure_ascii=False))


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out", **OUT_OPTION)
@click.option("--format", "fmt", **FORMAT_OPTION)
@click.option("--errors", "errors", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where rows that cannot be scored go, with the reason (default: OUT.errors.jsonl).")
@click.option("--text-column", default=None, help="CSV column / JSONL key holding the request text (guessed if absent).")
@click.option("--id-column", default=None, help="CSV column / JSONL key holding the request id (guessed if absent).")
@click.option("--date-column", default=None, help="CSV column / JSONL key holding the date received, YYYY-MM-DD.")
@click.option("--workers", type=click.IntRange(1, 256), default=None,
              help="Processes (local) or workers (local Dask cluster); default: all cores.")
@click.option("--chunk-size", type=click.IntRange(1, 100_000), default=250, show_default=True,
              help="Requests per unit of work.")
@click.option("--resume", is_flag=True, help="Skip ids already in the output or errors file and finish the rest.")
@click.option("--overwrite", is_flag=True, help="Replace an existing output instead of refusing.")
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write a self-contained HTML report with charts.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Run in local processes, or on Dask (a local cluster unless --scheduler is given).")
@click.option("--scheduler", default=None, envvar="FOI_DASK_SCHEDULER",
              help="Dask scheduler address, e.g. tcp://HOST:8786 (with --engine dask).")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: only on a terminal).")
@click.option("--model", "model_dir", **MODEL_DIR_OPTION)
def score(inputs, out, fmt, errors, text_column, id_column, date_column, workers, chunk_size, resume, overwrite,
          report, engine, scheduler, progress, model_dir):
    """Score a backlog: CSV, JSONL, folders of .txt, .eml files or folders, mbox files."""
    import os

    from .artifact import load_model
    from .scoring import Columns, InputError, ScoreJob, run_job

    fmt = fmt or ("csv" if out.suffix.lower() == ".csv" else "jsonl")
    if scheduler and engine != "dask":
        raise click.UsageError("--scheduler needs --engine dask")
    try:
        load_model(model_dir)  # fail before reading anything if the model is missing or tampered
    except ModelError as exc:
        raise click.ClickException(str(exc)) from None
    job = ScoreJob(inputs=list(inputs), out=out, fmt=fmt, errors=errors or out.with_name(out.name + ".errors.jsonl"),
                   model_dir=model_dir, columns=Columns(text_column, id_column, date_column),
                   workers=workers or os.cpu_count() or 1, chunk_size=chunk_size, resume=resume,
                   overwrite=overwrite, engine=engine, scheduler=scheduler, report=report, progress=progress)
    try:
        summary = run_job(job)
    except (InputError, FileExistsError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(summary.text(), err=True)
    click.echo(f"results: {out}" + (f"   errors: {job.errors}" if summary.failed else "")
               + (f"   report: {report}" if report else ""), err=True)
    if not summary.balanced:
        raise click.ClickException("rows read do not equal scored + failed + already scored; see above")
    sys.exit(1 if summary.failed else 0)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out", **OUT_OPTION)
@click.option("--format", "fmt", **FORMAT_OPTION)
@click.option("--errors", "errors", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where messages that cannot be read go, with the reason (default: OUT.errors.jsonl).")
@click.option("--store", default=None, envvar="FOI_STORE_URL",
              help="Precedent store: a SQLAlchemy URL (default: an SQLite file in var/).")
@click.option("--no-store", is_flag=True, help="Do not look up or record precedents.")
@click.option("--overwrite", is_flag=True, help="Replace an existing output instead of refusing.")
@click.option("--model", "model_dir", **MODEL_DIR_OPTION)
def intake(paths, out, fmt, errors, store, no_store, overwrite, model_dir):
    """Triage e-mails: .eml files, mbox files, Maildir folders (regime, deadline, precedents)."""
    from .intake import Intake, open_store
    from .mail import MailError, iter_messages
    from .scoring.summary import Summary, digest
    from .scoring.writers import ErrorWriter, ResultWriter, format_line
    from .triage import Triage

    fmt = fmt or ("csv" if out.suffix.lower() == ".csv" else "jsonl")
    errors = errors or out.with_name(out.name + ".errors.jsonl")
    if out.exists() and not overwrite:
        raise click.ClickException(f"{out} exists: use --overwrite to replace it")
    for p in (out, errors):
        p.unlink(missing_ok=True)
    try:
        triage = Triage.load(model_dir)
        pipeline = Intake(triage, None if no_store else open_store(store, triage.model.config))
    except ModelError as exc:
        raise click.ClickException(str(exc)) from None
    writer, failed, summary = ResultWriter(out, fmt), ErrorWriter(errors), Summary()
    try:
        for path in paths:
            for msg_id, raw in iter_messages(path):
                summary.rows_read += 1
                try:
                    result = pipeline.process(raw, default_id=msg_id)
                except (MailError, TriageInputError) as exc:
                    failed.write(msg_id, str(path), str(exc))
                    summary.fail(str(exc))
                    continue
                writer.write(format_line(result, fmt))
                summary.add(digest(result))
    finally:
        writer.close()
        failed.close()
    click.echo(summary.text(), err=True)
    sys.exit(1 if summary.failed else 0)


@main.command()
@click.argument("request_id")
@click.argument("outcome")
@click.option("--answered", default=None, help="Date answered, YYYY-MM-DD.")
@click.option("--store", default=None, envvar="FOI_STORE_URL", help="Precedent store (SQLAlchemy URL).")
def outcome(request_id, outcome, answered, store):
    """Record how a request was answered (e.g. "published in the disclosure log")."""
    from .intake import open_store

    if not open_store(store).record_outcome(request_id, outcome, answered):
        raise click.ClickException(f"no request {request_id!r} in the precedent store")
    click.echo(f"recorded: {request_id}: {outcome}", err=True)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, envvar="FOI_HOST", help="Interface to listen on.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535), envvar="FOI_PORT",
              help="Port (0 picks a free one).")
@click.option("--workers", default=None, type=click.IntRange(1, 64), envvar="FOI_WORKERS",
              help="Worker processes (default: the number of cores).")
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64), envvar="FOI_THREADS",
              help="Threads per worker.")
@click.option("--model", "model_dir", **MODEL_DIR_OPTION)
def serve(host, port, workers, threads, model_dir):
    """Run the HTTP API under gunicorn on the given model (API keys: FOI_API_KEYS)."""
    import os

    from service.server import run  # the CLI is the composition root: it may start the service

    try:
        sys.exit(run(host, port, workers or os.cpu_count() or 1, threads, {"MODEL_DIR": str(model_dir)},
                     echo=lambda m: click.echo(m, err=True)))
    except ModelError as exc:
        raise click.ClickException(f"cannot start: {exc}") from None
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


if __name__ == "__main__":
    sys.exit(main())
