"""The endpoints: parse and check the input, call the library, return JSON."""

from __future__ import annotations

import json

from flask import Blueprint, current_app, jsonify, request

from classifier import InputTooLarge, TriageInputError, check_item
from classifier.mail import MailError

from .errors import ApiError, error_body, error_response
from .openapi import openapi_document, render_docs

bp = Blueprint("api", __name__)


@bp.errorhandler(ApiError)
def _api_error(exc: ApiError):
    return error_response(exc.status, exc.message)


def _json_body() -> dict:
    if request.mimetype != "application/json":
        raise ApiError(415, "Content-Type must be application/json")
    try:
        body = json.loads(request.get_data(cache=False))
    except (ValueError, RecursionError):
        raise ApiError(400, "the body is not valid JSON (UTF-8)") from None
    if not isinstance(body, dict):
        raise ApiError(400, "the body must be a JSON object")
    return body


def _item(body) -> dict:
    """One request to classify, checked; raises ApiError naming the problem."""
    if not isinstance(body, dict):
        raise ApiError(400, "each request must be a JSON object with a 'text' field")
    if "text" not in body:
        raise ApiError(400, "missing field 'text'")
    text, req_id, received = body["text"], body.get("id"), body.get("received")
    if not isinstance(text, str):
        raise ApiError(400, "'text' must be a string")
    limit = current_app.config["MAX_TEXT_CHARS"]
    if len(text) > limit:
        raise ApiError(413, f"'text' is {len(text):,} characters; the limit is {limit:,}")
    if req_id is not None and (not isinstance(req_id, str) or len(req_id) > 200):
        raise ApiError(400, "'id' must be a string of at most 200 characters")
    if received is not None and not isinstance(received, str):
        raise ApiError(400, "'received' must be a date string YYYY-MM-DD")
    item = {"text": text, "id": req_id, "received": received}
    try:
        check_item(item, limit)
    except TriageInputError as exc:
        raise ApiError(400, str(exc)) from None
    return item


def _classify(items: list[dict]) -> list[dict]:
    try:
        return current_app.extensions["triage"].classify_many(items, current_app.config["MAX_QUESTIONS"])
    except InputTooLarge as exc:
        raise ApiError(413, str(exc)) from None
    except TriageInputError as exc:
        raise ApiError(400, str(exc)) from None


@bp.post("/v1/classify")
def classify():
    return jsonify(_classify([_item(_json_body())])[0])


@bp.post("/v1/classify/batch")
def classify_batch():
    body = _json_body()
    items = body.get("requests")
    if not isinstance(items, list) or not items:
        raise ApiError(400, "'requests' must be a non-empty list of {text, id?, received?} objects")
    limit = current_app.config["BATCH_MAX"]
    if len(items) > limit:
        raise ApiError(413, f"{len(items):,} requests in one batch; the limit is {limit:,}")
    slots: list[dict | None] = [None] * len(items)
    good: list[tuple[int, dict]] = []
    for i, raw in enumerate(items):
        try:
            good.append((i, _item(raw)))
        except ApiError as exc:
            slots[i] = error_body(exc.status, exc.message)
    try:
        for (i, _), result in zip(good, _classify([item for _, item in good])):
            slots[i] = result
    except ApiError:  # one item over a limit found while classifying: take them one by one
        for i, item in good:
            try:
                slots[i] = _classify([item])[0]
            except ApiError as exc:
                slots[i] = error_body(exc.status, exc.message)
    failed = sum(1 for s in slots if s.get("ok") is False)
    return jsonify({"ok": failed == 0, "count": len(slots), "failed": failed, "results": slots})


@bp.post("/v1/intake")
def intake():
    """A raw e-mail (message/rfc822) in; the triaged request, deadline and precedents out."""
    if request.mimetype not in ("message/rfc822", "application/octet-stream"):
        raise ApiError(415, "Content-Type must be message/rfc822 (the raw e-mail)")
    limit = current_app.config["MAX_MESSAGE_BYTES"]
    request.max_content_length = limit  # e-mails may carry attachments: a larger limit here only
    if (request.content_length or 0) > limit:
        raise ApiError(413, f"the message is over {limit:,} bytes")
    raw = request.get_data(cache=False)
    if len(raw) > limit:
        raise ApiError(413, f"the message is over {limit:,} bytes")
    try:
        return jsonify(current_app.extensions["intake"].process(raw))
    except InputTooLarge as exc:
        raise ApiError(413, str(exc)) from None
    except MailError as exc:
        raise ApiError(400, f"cannot read the message: {exc}") from None


@bp.get("/v1/model")
def model():
    meta = current_app.extensions["triage"].meta
    return jsonify({
        "name": meta.get("name"), "version": meta.get("version"), "sha256": meta.get("sha256"),
        "trained_at": meta.get("trained_at"), "labels": meta.get("labels"), "libraries": meta.get("libraries"),
        "training_data": meta.get("training_data"), "metrics": meta.get("metrics"),
    })


@bp.get("/v1/taxonomy")
def taxonomy():
    return jsonify(current_app.extensions["triage"].taxonomy)


@bp.get("/healthz")
def healthz():
    return jsonify({"ok": True, "status": "alive"})


@bp.get("/readyz")
def readyz():
    triage = current_app.extensions.get("triage")
    if triage is None:
        return error_response(503, "the model is not loaded")
    return jsonify({"ok": True, "status": "ready", "model": triage.info})


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document(current_app.config))


@bp.get("/docs")
def docs():
    return render_docs(openapi_document(current_app.config)), 200, {"Content-Type": "text/html; charset=utf-8"}
