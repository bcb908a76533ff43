"""The HTTP API through Flask's test client: every endpoint and every error case."""

import json
import logging

import pytest
from jsonschema import Draft202012Validator

from service import create_app

GOOD = {"text": "1. How many potholes were repaired in 2024?\n2. What did the repairs cost?", "id": "REQ1",
        "received": "2026-12-18"}


@pytest.fixture(scope="module")
def app(triage):
    return create_app({"TESTING": True, "TRIAGE": triage, "BATCH_MAX": 5, "MAX_TEXT_CHARS": 5_000,
                       "MAX_CONTENT_LENGTH": 50_000, "MAX_QUESTIONS": 50, "STORE_URL": ""})


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def spec(app):
    return app.test_client().get("/openapi.json").get_json()


def assert_matches(spec, schema_name, body):
    schema = {**spec, "$ref": f"#/components/schemas/{schema_name}"}
    errors = list(Draft202012Validator(schema).iter_errors(body))
    assert not errors, [e.message for e in errors[:3]]


def test_classify(client, spec):
    r = client.post("/v1/classify", json=GOOD)
    assert r.status_code == 200 and r.headers["X-Request-ID"]
    body = r.get_json()
    assert body["id"] == "REQ1" and body["due"]["date"] == "2027-01-21"
    assert [q["ref"] for q in body["questions"]] == ["1", "2"]
    assert_matches(spec, "Result", body)


def test_no_questions_is_a_result_not_an_error(client, spec):
    r = client.post("/v1/classify", json={"text": "Dear Sir,\n\nYours faithfully,\nJo"})
    assert r.status_code == 200 and r.get_json()["message"] == "no questions found"
    assert_matches(spec, "Result", r.get_json())


@pytest.mark.parametrize(
    "kwargs, status, message",
    [
        ({"data": "{not json", "content_type": "application/json"}, 400, "not valid JSON"),
        ({"data": b"\xff\xfe{}", "content_type": "application/json"}, 400, "not valid JSON"),
        ({"data": "[" * 100_00 + "]" * 100_00, "content_type": "application/json"}, 400, "not valid JSON"),
        ({"json": ["text"]}, 400, "JSON object"),
        ({"json": {}}, 400, "missing field 'text'"),
        ({"json": {"text": 42}}, 400, "'text' must be a string"),
        ({"json": {"text": ""}}, 400, "empty"),
        ({"json": {"text": "   "}}, 400, "empty"),
        ({"json": {"text": "abc\u0000def"}}, 400, "NUL"),
        ({"json": {"text": "How many bins?", "id": 7}}, 400, "'id' must be a string"),
        ({"json": {"text": "How many bins?", "received": "yesterday"}}, 400, "YYYY-MM-DD"),
        ({"json": {"text": "How many bins?", "received": 20240101}}, 400, "date string"),
        ({"json": {"text": "x" * 5_001}}, 413, "limit is 5,000"),
        ({"json": {"text": "How many?" * 10_000}}, 413, "too large"),
        ({"json": {"text": "".join(f"{i}. How many bins in ward {i}?\n" for i in range(1, 80))}}, 413, "79 questions"),
        ({"data": "text=hello", "content_type": "application/x-www-form-urlencoded"}, 415, "application/json"),
        ({"data": "hello"}, 415, "application/json"),
    ],
)
def test_classify_errors(client, spec, kwargs, status, message):
    r = client.post("/v1/classify", **kwargs)
    body = r.get_json()
    assert r.status_code == status and body["status"] == status and body["ok"] is False
    assert message in body["error"]
    assert_matches(spec, "Error", body)
    assert client.get("/healthz").status_code == 200


@pytest.mark.parametrize("method, path, status", [("get", "/nope", 404), ("get", "/v1/classify", 405),
                                                  ("delete", "/v1/model", 405)])
def test_routing_errors_are_json(client, method, path, status):
    r = getattr(client, method)(path)
    assert r.status_code == status and r.get_json() == {"ok": False, "error": r.get_json()["error"], "status": status}


def test_batch_reports_bad_items_in_their_slot(client, spec):
    r = client.post("/v1/classify/batch", json={"requests": [GOOD, {"text": ""}, "oops", {"text": "How many bins?"}]})
    body = r.get_json()
    assert r.status_code == 200 and body["count"] == 4 and body["failed"] == 2 and body["ok"] is False
    assert body["results"][0]["id"] == "REQ1"
    assert body["results"][1]["error"] == "text is empty" and body["results"][2]["status"] == 400
    assert body["results"][3]["questions"][0]["text"] == "How many bins?"
    assert_matches(spec, "BatchResult", body)


def test_batch_keeps_order_and_matches_single(client):
    items = [{"text": f"How many {thing} were there in 2024?", "id": thing} for thing in ("potholes", "bins", "staff")]
    batch = client.post("/v1/classify/batch", json={"requests": items}).get_json()["results"]
    singles = [client.post("/v1/classify", json=i).get_json() for i in items]
    assert batch == singles


def test_batch_item_over_question_limit_fails_alone(client):
    many = "".join(f"{i}. How many bins in ward {i}?\n" for i in range(1, 80))
    body = client.post("/v1/classify/batch", json={"requests": [{"text": many}, {"text": "How many bins?"}]}).get_json()
    assert body["results"][0]["status"] == 413 and body["results"][1]["questions"]


@pytest.mark.parametrize("payload, status", [({"requests": []}, 400), ({"requests": "x"}, 400), ({}, 400),
                                             ({"requests": [{"text": "a?"}] * 6}, 413)])
def test_batch_errors(client, payload, status):
    r = client.post("/v1/classify/batch", json=payload)
    assert r.status_code == status and r.get_json()["ok"] is False


def test_model_taxonomy_health(client, spec, triage):
    model = client.get("/v1/model").get_json()
    assert model["sha256"] == triage.info["sha256"] and "lead_top1" in model["metrics"]["departments"]
    assert_matches(spec, "Model", model)
    tax = client.get("/v1/taxonomy").get_json()
    assert "s43_2" in [l["id"] for l in tax["exemptions"]]
    assert_matches(spec, "Taxonomy", tax)
    assert client.get("/healthz").get_json()["status"] == "alive"
    assert client.get("/readyz").get_json()["model"]["sha256"] == triage.info["sha256"]


def test_openapi_and_docs(client, spec):
    assert spec["openapi"] == "3.1.0"
    assert set(spec["paths"]) == {"/v1/classify", "/v1/classify/batch", "/v1/intake", "/v1/model", "/v1/taxonomy",
                                  "/healthz", "/readyz"}
    page = client.get("/docs")
    assert page.status_code == 200 and b"/v1/classify" in page.data


def test_request_id_is_honoured_or_made(client):
    assert client.get("/healthz", headers={"X-Request-ID": "abc-123"}).headers["X-Request-ID"] == "abc-123"
    made = client.get("/healthz", headers={"X-Request-ID": "bad id with spaces;<script>"}).headers["X-Request-ID"]
    assert len(made) == 32 and "<" not in made


def test_access_log_has_no_request_text(client, caplog):
    secret = "Mrs Example of 1 Sample Street"
    with caplog.at_level(logging.INFO, logger="foi_triage.access"):
        client.post("/v1/classify", json={"text": f"How many complaints has {secret} made?"}, headers={"X-Request-ID": "r1"})
    records = [json.loads(r.getMessage()) for r in caplog.records if r.name == "foi_triage.access"]
    assert records[-1] == {**records[-1], "method": "POST", "path": "/v1/classify", "status": 200, "request_id": "r1"}
    assert secret not in caplog.text


def test_unexpected_error_is_a_bland_500_logged_with_traceback(triage, caplog):
    class Broken:
        meta, info, taxonomy = triage.meta, triage.info, triage.taxonomy

        def classify_many(self, items, max_questions=None):
            raise RuntimeError("secret internal detail")

    client = create_app({"TESTING": False, "TRIAGE": Broken(), "STORE_URL": ""}).test_client()
    with caplog.at_level(logging.ERROR):
        r = client.post("/v1/classify", json={"text": "How many bins?"})
    assert r.status_code == 500 and r.get_json()["ok"] is False
    assert "secret" not in r.get_data(as_text=True) and "Traceback" not in r.get_data(as_text=True)
    assert "secret internal detail" in caplog.text and "Traceback" in caplog.text


class TestApiKeys:
    @pytest.fixture()
    def client(self, triage):
        return create_app({"TESTING": True, "TRIAGE": triage, "API_KEYS": "k1-secret, k2-secret",
                           "STORE_URL": ""}).test_client()

    def test_health_checks_stay_open(self, client):
        assert client.get("/healthz").status_code == 200 and client.get("/readyz").status_code == 200

    @pytest.mark.parametrize("headers", [{}, {"X-API-Key": "wrong"}, {"Authorization": "Bearer nope"}])
    def test_refused_without_a_valid_key(self, client, headers):
        r = client.get("/v1/model", headers=headers)
        assert r.status_code == 401 and r.get_json()["status"] == 401

    @pytest.mark.parametrize("headers", [{"X-API-Key": "k1-secret"}, {"Authorization": "Bearer k2-secret"}])
    def test_accepted_with_a_key(self, client, headers):
        assert client.get("/v1/model", headers=headers).status_code == 200


def test_environment_variables_configure_the_app(monkeypatch, triage):
    monkeypatch.setenv("FOI_BATCH_MAX", "7")
    monkeypatch.setenv("FOI_API_KEYS", "from-env")
    app = create_app({"TRIAGE": triage, "STORE_URL": ""})
    assert app.config["BATCH_MAX"] == 7 and app.extensions["api_keys"] == [b"from-env"]


@pytest.mark.parametrize(
    "kwargs, status",
    [
        ({"data": b"", "content_type": "application/json"}, 400),  # empty body
        ({"data": b"null", "content_type": "application/json"}, 400),
        ({"json": {"text": ["a", "list"]}}, 400),  # wrong type
        ({"json": {"text": "How many bins?" * 100_000}}, 413),  # over the 1 MB body limit
        ({"data": b'{"text": "\xc3\x28 invalid utf-8"}', "content_type": "application/json"}, 400),
        ({"json": {"text": "\x00" * 1000}}, 400),  # NUL bytes
        ({"json": {"text": "".join("- why?\n" for _ in range(10_000))}}, 413),  # 10,000 questions
        ({"json": {"text": "".join(f"{i}. How many bins in ward {i}?\n" for i in range(1, 901))}}, 200),
    ],
)
def test_malformed_input_corpus_under_default_limits(triage, kwargs, status):
    client = create_app({"TRIAGE": triage, "STORE_URL": ""}).test_client()
    r = client.post("/v1/classify", **kwargs)
    assert r.status_code == status, r.get_json()
    if status == 200:
        assert len(r.get_json()["questions"]) == 900
    else:
        assert r.get_json()["ok"] is False
    assert client.get("/readyz").status_code == 200
    assert client.post("/v1/classify", json={"text": "How many bins?"}).status_code == 200
