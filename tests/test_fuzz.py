"""Schema-driven fuzzing of the API against its own OpenAPI document (schemathesis).

Cases are generated from /openapi.json for every operation, sent through the WSGI app,
and each response is checked: never a 500, status code, content type and body as
documented.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from service import create_app

# Raw e-mails for /v1/intake: well-formed messages with generated text, and arbitrary bytes.
_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=400)
_messages = st.one_of(
    st.builds(lambda subject, body: (f"From: a@example.org\r\nSubject: {subject}\r\n"
                                     f"Content-Type: text/plain; charset=utf-8\r\n\r\n{body}").encode("utf-8"),
              st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=40), _text),
    st.binary(max_size=600),
)
schemathesis.openapi.media_type("message/rfc822", _messages)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def api_schema(triage):
    app = create_app({"TESTING": True, "TRIAGE": triage, "BATCH_MAX": 5, "MAX_TEXT_CHARS": 5_000, "STORE_URL": ""})
    return schemathesis.openapi.from_wsgi("/openapi.json", app)


def _operations(schema):
    return [result.ok() for result in schema.get_all_operations()]


def test_every_operation_is_fuzzed(api_schema):
    assert {op.path for op in _operations(api_schema)} == {
        "/v1/classify", "/v1/classify/batch", "/v1/intake", "/v1/model", "/v1/taxonomy", "/healthz", "/readyz"}


@pytest.mark.parametrize("path", ["/v1/classify", "/v1/classify/batch", "/v1/intake", "/v1/model", "/v1/taxonomy",
                                  "/healthz", "/readyz"])
def test_operation_conforms_to_its_openapi_document(api_schema, path):
    (operation,) = [op for op in _operations(api_schema) if op.path == path]

    @given(case=operation.as_strategy())
    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def run(case):
        case.call_and_validate(checks=CHECKS)

    run()
