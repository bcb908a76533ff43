"""Schema-driven fuzzing of the API against its own OpenAPI document (schemathesis).

Cases are generated from /openapi.json for every operation, sent through the WSGI app,
and each response is checked: never a 500, status code, content type and body as
documented.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from service import create_app

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def api_schema(triage):
    app = create_app({"TESTING": True, "TRIAGE": triage, "BATCH_MAX": 5, "MAX_TEXT_CHARS": 5_000})
    return schemathesis.openapi.from_wsgi("/openapi.json", app)


def _operations(schema):
    return [result.ok() for result in schema.get_all_operations()]


def test_every_operation_is_fuzzed(api_schema):
    assert {op.path for op in _operations(api_schema)} == {
        "/v1/classify", "/v1/classify/batch", "/v1/model", "/v1/taxonomy", "/healthz", "/readyz"}


@pytest.mark.parametrize("path", ["/v1/classify", "/v1/classify/batch", "/v1/model", "/v1/taxonomy", "/healthz", "/readyz"])
def test_operation_conforms_to_its_openapi_document(api_schema, path):
    (operation,) = [op for op in _operations(api_schema) if op.path == path]

    @given(case=operation.as_strategy())
    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def run(case):
        case.call_and_validate(checks=CHECKS)

    run()
