"""The OpenAPI 3.1 description of the service, built from the served model's labels."""

from __future__ import annotations

from html import escape

from flask import current_app

from classifier import SCHEMA, __version__


def _error_responses(*codes: int) -> dict:
    text = {400: "Malformed JSON or a missing or ill-typed field", 401: "Missing or wrong API key",
            413: "Body, text, batch or question count over the limit", 415: "Content-Type is not application/json",
            404: "Not found", 405: "Method not allowed", 500: "Internal error (logged on the server)",
            503: "Model not loaded"}
    return {str(c): {"description": text[c], "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            for c in codes}


def _json(ref: str) -> dict:
    return {"content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}}


def _components(labels: dict, max_chars: int, batch_max: int) -> dict:
    def label_enum(head):
        return {"type": "string", "enum": list(labels.get(head) or [])} if labels.get(head) else {"type": "string"}

    probability = {"type": "number", "minimum": 0, "maximum": 1}
    return {
        "Error": {"type": "object", "required": ["ok", "error", "status"], "properties": {
            "ok": {"const": False}, "error": {"type": "string"}, "status": {"type": "integer"}}},
        "ClassifyRequest": {"type": "object", "required": ["text"], "properties": {
            "text": {"type": "string", "minLength": 1, "maxLength": max_chars,
                     "description": "The request as received (plain text)."},
            "id": {"type": "string", "maxLength": 200, "description": "Your id, carried into the result."},
            "received": {"type": "string", "format": "date", "description": "Date of receipt, YYYY-MM-DD."}}},
        "BatchRequest": {"type": "object", "required": ["requests"], "properties": {
            "requests": {"type": "array", "minItems": 1, "maxItems": batch_max,
                         "items": {"$ref": "#/components/schemas/ClassifyRequest"}}}},
        "Label": {"type": "object", "required": ["label", "probability", "evidence"], "properties": {
            "label": {"type": "string"}, "probability": probability,
            "evidence": {"type": "array", "items": {"type": "string"}}}},
        "Question": {"type": "object",
                     "required": ["ref", "parent_ref", "text", "start", "end", "topics", "exemptions", "departments",
                                  "needs_review"],
                     "properties": {
                         "ref": {"type": "string"}, "parent_ref": {"type": ["string", "null"]},
                         "text": {"type": "string"}, "start": {"type": "integer", "minimum": 0},
                         "end": {"type": "integer", "minimum": 0},
                         "topics": {"type": "array", "items": {"$ref": "#/components/schemas/Label"}},
                         "exemptions": {"type": "array", "items": {"$ref": "#/components/schemas/Label"}},
                         "departments": {"type": "array", "minItems": 1, "items": {
                             "type": "object", "required": ["label", "probability"],
                             "properties": {"label": label_enum("departments"), "probability": probability}}},
                         "needs_review": {"type": "boolean"}}},
        "Due": {"type": "object", "required": ["date", "working_days", "rule", "skipped_holidays"], "properties": {
            "date": {"type": "string", "format": "date"}, "working_days": {"type": ["integer", "null"]},
            "rule": {"type": "string"},
            "skipped_holidays": {"type": "array", "items": {"type": "object", "properties": {
                "date": {"type": "string", "format": "date"}, "name": {"type": "string"}}}},
            "notes": {"type": "array", "items": {"type": "string"}}}},
        "Result": {"type": "object", "required": ["schema", "model", "regime", "departments", "needs_review", "questions"],
                   "properties": {
                       "schema": {"const": SCHEMA}, "id": {"type": ["string", "null"]},
                       "model": {"type": "object", "required": ["name", "version", "sha256"], "properties": {
                           "name": {"type": "string"}, "version": {"type": "string"}, "sha256": {"type": "string"}}},
                       "regime": {"type": "object", "required": ["label", "probability"], "properties": {
                           "label": label_enum("regimes"), "probability": probability}},
                       "received": {"type": "string", "format": "date"},
                       "due": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/Due"}]},
                       "departments": {"type": "array", "items": {"type": "object",
                                       "required": ["label", "probability", "questions"], "properties": {
                                           "label": label_enum("departments"), "probability": probability,
                                           "questions": {"type": "array", "items": {"type": "string"}}}}},
                       "needs_review": {"type": "boolean"}, "message": {"type": "string"},
                       "questions": {"type": "array", "items": {"$ref": "#/components/schemas/Question"}}}},
        "IntakeResult": {"allOf": [{"$ref": "#/components/schemas/Result"}, {
            "type": "object", "required": ["intake"], "properties": {
                "intake": {"type": "object", "required": ["subject", "requester", "forwarded", "attachments",
                                                          "cleaned_text", "kept"], "properties": {
                    "subject": {"type": "string"},
                    "requester": {"type": "object", "properties": {"name": {"type": "string"},
                                                                   "email": {"type": "string"}}},
                    "forwarded": {"type": "boolean"}, "date_header": {"type": ["string", "null"]},
                    "attachments": {"type": "array", "items": {"type": "object", "properties": {
                        "name": {"type": "string"}, "type": {"type": "string"}, "size": {"type": "integer"}}}},
                    "defects": {"type": "array", "items": {"type": "string"}},
                    "cleaned_text": {"type": "string"},
                    "kept": {"type": "array", "items": {"type": "object", "properties": {
                        "start": {"type": "integer"}, "end": {"type": "integer"}}}}}},
                "precedents": {"type": "object"}}}]},
        "BatchResult": {"type": "object", "required": ["ok", "count", "failed", "results"], "properties": {
            "ok": {"type": "boolean"}, "count": {"type": "integer"}, "failed": {"type": "integer"},
            "results": {"type": "array", "items": {"oneOf": [{"$ref": "#/components/schemas/Result"},
                                                             {"$ref": "#/components/schemas/Error"}]}}}},
        "Model": {"type": "object", "required": ["name", "version", "sha256", "labels", "metrics"], "properties": {
            "name": {"type": "string"}, "version": {"type": "string"}, "sha256": {"type": "string"},
            "trained_at": {"type": ["string", "null"]}, "labels": {"type": "object"},
            "libraries": {"type": ["object", "null"]}, "training_data": {"type": ["object", "null"]},
            "metrics": {"type": ["object", "null"]}}},
        "Taxonomy": {"type": "object", "required": ["topics", "exemptions", "departments", "regimes"],
                     "properties": {h: {"type": "array", "items": {"type": "object", "required": ["id", "name"],
                                                                   "properties": {"id": {"type": "string"},
                                                                                  "name": {"type": "string"},
                                                                                  "description": {"type": "string"}}}}
                                    for h in ("topics", "exemptions", "departments", "regimes")}},
        "Health": {"type": "object", "required": ["ok", "status"], "properties": {
            "ok": {"const": True}, "status": {"type": "string"}, "model": {"type": "object"}}},
    }


def openapi_document(config) -> dict:
    triage = current_app.extensions.get("triage")
    labels = triage.meta.get("labels", {}) if triage else {}
    max_chars, batch_max = config["MAX_TEXT_CHARS"], config["BATCH_MAX"]
    secured = [{"apiKey": []}, {"bearer": []}] if current_app.extensions.get("api_keys") else []

    def op(summary, ok_ref, *errors, body=None, open_=False):
        o = {"summary": summary, "responses": {"200": {"description": "OK", **_json(ok_ref)},
                                                **_error_responses(*errors, *([] if open_ else [401]))}}
        if body:
            o["requestBody"] = {"required": True, **_json(body)}
        if secured and not open_:
            o["security"] = secured
        return o

    return {
        "openapi": "3.1.0",
        "info": {"title": "foi-triage", "version": __version__,
                 "description": "Triage of Freedom of Information requests: split into questions, topics, likely "
                                "exemptions, ranked departments, regime and statutory deadline."},
        "paths": {
            "/v1/classify": {"post": op("Classify one request", "Result", 400, 413, 415, body="ClassifyRequest")},
            "/v1/classify/batch": {"post": op(f"Classify up to {batch_max} requests; a bad item fails in its own slot",
                                              "BatchResult", 400, 413, 415, body="BatchRequest")},
            "/v1/intake": {"post": {**op("Triage a raw e-mail: regime, deadline, requester kept apart, precedents",
                                         "IntakeResult", 400, 413, 415),
                                    "requestBody": {"required": True, "content": {
                                        "message/rfc822": {"schema": {"type": "string", "format": "binary"}}}}}},
            "/v1/model": {"get": op("The model being served", "Model")},
            "/v1/taxonomy": {"get": op("The labels with names and descriptions", "Taxonomy")},
            "/healthz": {"get": op("Alive", "Health", open_=True)},
            "/readyz": {"get": op("Model loaded", "Health", 503, open_=True)},
        },
        "components": {
            "schemas": _components(labels, max_chars, batch_max),
            "securitySchemes": {"apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
                                "bearer": {"type": "http", "scheme": "bearer"}},
        },
    }


def render_docs(doc: dict) -> str:
    rows = []
    for path, methods in doc["paths"].items():
        for method, o in methods.items():
            codes = ", ".join(o["responses"])
            rows.append(f"<tr><td><code>{method.upper()}</code></td><td><code>{escape(path)}</code></td>"
                        f"<td>{escape(o['summary'])}</td><td>{codes}</td></tr>")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>foi-triage API</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.4}}
td,th{{border-bottom:1px solid #ddd;padding:.3em .6em;text-align:left}}pre{{background:#f4f4f4;padding:1em}}</style>
</head><body><h1>foi-triage API {escape(doc['info']['version'])}</h1><p>{escape(doc['info']['description'])}</p>
<table><tr><th>method</th><th>path</th><th>what</th><th>responses</th></tr>{''.join(rows)}</table>
<h2>Example</h2><pre>curl -s -H 'Content-Type: application/json' \\
  -d '{{"text": "1. How many potholes were repaired in 2024?", "id": "REQ1", "received": "2026-12-18"}}' \\
  http://HOST:PORT/v1/classify</pre>
<p>Errors always have the shape <code>{{"ok": false, "error": "...", "status": 400}}</code>.
The machine-readable description is at <a href="/openapi.json">/openapi.json</a>.</p></body></html>"""
