"""Run the app under gunicorn (a production WSGI server): the model is loaded once in the
master before the workers fork (so a missing or tampered model stops the start), worker
processes use both cores, and SIGTERM drains requests in flight before exiting."""

from __future__ import annotations

import logging
import os
import sys

from gunicorn.app.base import BaseApplication

from .app import create_app


class _Server(BaseApplication):
    def __init__(self, app, options: dict):
        self.application, self.options = app, options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.application


def run(host: str, port: int, workers: int, threads: int, config: dict | None = None, echo=print) -> int:
    """Load the model, serve until SIGTERM/SIGINT, return the exit status."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s", stream=sys.stderr)
    app = create_app(config)  # raises ModelError before anything listens
    info = app.extensions["triage"].info

    def when_ready(server):
        bound = server.LISTENERS[0].sock.getsockname()
        url = f"http://{bound[0]}:{bound[1]}"
        echo(f"foi-triage serving model {info['name']} ({info['sha256'][:12]}) on {url} with {workers} worker(s) "
             f"x {threads} thread(s)  (API page: {url}/docs)")
        echo(f"try: curl -s -H 'Content-Type: application/json' "
             f"-d '{{\"text\": \"How many potholes were repaired in 2024?\"}}' {url}/v1/classify")

    def post_fork(_server, _worker):
        intake = app.extensions.get("intake")
        if intake is not None and intake.precedents is not None:
            intake.precedents.engine.dispose(close=False)  # no database connection crosses a fork

    options = {
        "bind": f"{host}:{port}", "workers": workers, "threads": threads, "worker_class": "gthread",
        "preload_app": True, "timeout": 60, "graceful_timeout": 20, "keepalive": 5,
        "accesslog": None, "errorlog": "-", "loglevel": "warning", "proc_name": "foi-triage",
        "limit_request_line": 8190, "when_ready": when_ready, "post_fork": post_fork,
    }
    master = os.getpid()
    try:
        _Server(app, options).run()
    except SystemExit as stop:  # the master exits this way after SIGTERM/SIGINT, workers drained
        if os.getpid() != master:
            raise  # a forked worker leaving: nothing to announce
        echo("foi-triage stopped")
        return stop.code if isinstance(stop.code, int) else 0
    echo("foi-triage stopped")
    return 0
