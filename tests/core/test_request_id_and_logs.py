from __future__ import annotations

import io
import json
import logging

import pytest

from core.logging import JsonFormatter, RequestIdFilter
from core.request_context import request_id_var

pytestmark = [pytest.mark.django_db, pytest.mark.embedded]


def test_a_request_id_is_generated_and_returned(client):
    response = client.get("/health/live")
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    assert client.get("/health/live")["X-Request-ID"] != request_id


def test_a_caller_request_id_round_trips(client):
    response = client.get("/health/live", HTTP_X_REQUEST_ID="storefront-1234-abcd")
    assert response["X-Request-ID"] == "storefront-1234-abcd"


@pytest.mark.parametrize(
    "hostile", ["x", "a b c d e f g h", "<script>alert(1)</script>", "z" * 300]
)
def test_unsafe_request_ids_are_replaced(client, hostile):
    response = client.get("/health/live", HTTP_X_REQUEST_ID=hostile)
    assert response["X-Request-ID"] != hostile
    assert len(response["X-Request-ID"]) == 32


def test_logs_are_json_lines_carrying_the_request_id():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(
        JsonFormatter(
            "%(asctime)s %(levelname)s %(name)s %(message)s",
            rename_fields={"levelname": "level", "name": "logger"},
        )
    )
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("test.json")
    logger.addHandler(handler)
    token = request_id_var.set("req-abcdef123")
    try:
        logger.warning("order %s placed", 42)
    finally:
        request_id_var.reset(token)
        logger.removeHandler(handler)
    record = json.loads(stream.getvalue())
    assert record["message"] == "order 42 placed"
    assert record["request_id"] == "req-abcdef123"
    assert record["level"] == "WARNING"


def test_error_responses_carry_the_same_request_id_in_header(client):
    response = client.post(
        "/graphql/", "{bad", content_type="application/json", HTTP_X_REQUEST_ID="trace-me-0001"
    )
    assert response.status_code == 400
    assert response["X-Request-ID"] == "trace-me-0001"
