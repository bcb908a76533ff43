"""The app factory: defaults, then ``FOI_*`` environment variables, then test overrides."""

from __future__ import annotations

import hmac
import json
import logging
import re
import time
import uuid

from flask import Flask, g, request
from werkzeug.exceptions import HTTPException, InternalServerError

from classifier import MAX_CHARS, Triage
from classifier.artifact import DEFAULT_MODEL_DIR
from classifier.intake import Intake, open_store

from .api import bp
from .errors import error_response

access_log = logging.getLogger("foi_triage.access")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_OPEN_PATHS = {"/healthz", "/readyz"}


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(
        MODEL_DIR=str(DEFAULT_MODEL_DIR),
        MAX_CONTENT_LENGTH=1_000_000,  # bytes of request body
        MAX_TEXT_CHARS=MAX_CHARS,
        MAX_QUESTIONS=2_000,
        BATCH_MAX=100,
        API_KEYS="",  # comma-separated; when set, required on every endpoint but health checks
        STORE_URL=None,  # precedent store for /v1/intake (SQLAlchemy URL); None: var/precedents.sqlite; "": none
        MAX_MESSAGE_BYTES=25_000_000,  # raw e-mails to /v1/intake may carry attachments
        TRIAGE=None,  # a loaded classifier.Triage (tests pass one in)
    )
    app.config.from_prefixed_env("FOI")
    if test_config:
        app.config.from_mapping(test_config)
    app.json.sort_keys = False
    app.json.ensure_ascii = False

    triage = app.config["TRIAGE"] or Triage.load(app.config["MODEL_DIR"])
    app.extensions["triage"] = triage
    store = app.config["STORE_URL"]
    app.extensions["intake"] = Intake(triage, open_store(store, triage.model.config) if store != "" else None)
    keys = app.config["API_KEYS"]
    if isinstance(keys, str):
        keys = [k.strip() for k in keys.split(",") if k.strip()]
    app.extensions["api_keys"] = [k.encode() for k in keys]

    app.before_request(_start)
    app.after_request(_finish)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)
    app.register_blueprint(bp)
    return app


def _authorised() -> bool:
    from flask import current_app

    keys = current_app.extensions["api_keys"]
    if not keys or request.path in _OPEN_PATHS:
        return True
    given = request.headers.get("X-API-Key", "")
    auth = request.headers.get("Authorization", "")
    if not given and auth.lower().startswith("bearer "):
        given = auth[7:].strip()
    given_b = given.encode()
    ok = False
    for key in keys:  # compare with every key, in constant time, whatever matches
        ok |= hmac.compare_digest(given_b, key)
    return ok


def _start():
    g.started = time.perf_counter()
    rid = request.headers.get("X-Request-ID", "")
    g.request_id = rid if _REQUEST_ID.match(rid) else uuid.uuid4().hex
    if not _authorised():
        return error_response(401, "a valid API key is required (X-API-Key header or Authorization: Bearer)")
    return None


def _finish(response):
    response.headers["X-Request-ID"] = g.get("request_id", "")
    response.headers["X-Content-Type-Options"] = "nosniff"
    started = g.get("started")
    access_log.info(json.dumps({
        "method": request.method, "path": request.path, "status": response.status_code,
        "duration_ms": round((time.perf_counter() - started) * 1000, 2) if started else None,
        "request_id": g.get("request_id"),
    }))
    return response


def _http_error(exc: HTTPException):
    messages = {
        404: "no such endpoint; see /openapi.json",
        405: f"method {request.method} is not allowed here",
        413: "request body is too large",
    }
    return error_response(exc.code or 500, messages.get(exc.code, exc.description or exc.name))


def _unexpected_error(exc: Exception):
    if isinstance(exc, HTTPException):
        return _http_error(exc)
    logging.getLogger("foi_triage.service").exception("unhandled error (request id %s)", g.get("request_id"))
    return error_response(InternalServerError.code, "internal error; it has been logged with the request id")
