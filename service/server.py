"""Run the app under waitress (a production WSGI server) with a clean SIGTERM shutdown."""

from __future__ import annotations

import logging
import signal
import sys

from waitress import create_server

from .app import create_app


def run(host: str, port: int, threads: int, config: dict | None = None, echo=print) -> int:
    """Load the model, serve until SIGTERM/SIGINT, return the exit status."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s", stream=sys.stderr)
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    app = create_app(config)
    server = create_server(app, host=host, port=port, threads=threads, ident="foi-triage",
                           max_request_body_size=max(app.config["MAX_CONTENT_LENGTH"], app.config["MAX_MESSAGE_BYTES"]) + 1024)
    bound_host, bound_port = server.effective_host, server.effective_port
    url = f"http://{bound_host}:{bound_port}"
    echo(f"foi-triage serving model {app.extensions['triage'].info['name']} "
         f"({app.extensions['triage'].info['sha256'][:12]}) on {url}  (API page: {url}/docs)")
    echo(f"try: curl -s -H 'Content-Type: application/json' "
         f"-d '{{\"text\": \"How many potholes were repaired in 2024?\"}}' {url}/v1/classify")
    stopping = {"signal": None}

    def _stop(signum, _frame):
        stopping["signal"] = signum
        server.close()  # stop accepting; the run loop ends once open channels are done

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    try:
        server.run()
    except (OSError, ValueError):  # the loop can raise on a socket closed by the handler
        if stopping["signal"] is None:
            raise
    finally:
        server.task_dispatcher.shutdown()
    echo("foi-triage stopped")
    return 0
