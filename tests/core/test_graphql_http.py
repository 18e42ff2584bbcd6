"""The /graphql/ endpoint under bad input: always a GraphQL-shaped 4xx, never a 500."""

from __future__ import annotations

import json
import logging

import pytest
from django.test import Client
from graphql import GraphQLError

from core.graphql.errors import INTERNAL_MESSAGE, format_error

pytestmark = [pytest.mark.django_db, pytest.mark.embedded]


def post(client: Client, body: str | bytes, content_type: str = "application/json", **extra):
    return client.post("/graphql/", body, content_type=content_type, **extra)


def assert_graphql_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert isinstance(body["errors"], list) and body["errors"]
    error = body["errors"][0]
    assert isinstance(error["message"], str) and error["message"]
    assert error["extensions"]["code"] == code
    assert "Traceback" not in response.content.decode()
    return body


def test_a_valid_query_answers_200_with_data(client, channel):
    response = post(
        client,
        json.dumps(
            {
                "query": '{ channel(slug: "default-channel") { slug currencyCode defaultCountry { code } } }'
            }
        ),
    )
    assert response.status_code == 200
    assert response.json() == {
        "data": {
            "channel": {
                "slug": "default-channel",
                "currencyCode": "NGN",
                "defaultCountry": {"code": "NG"},
            }
        }
    }


def test_malformed_json(client):
    assert_graphql_error(post(client, "{not json"), 400, "JSON_PARSE_FAILED")


@pytest.mark.parametrize(
    "body", ["[]", "42", '"query"', '{"variables": {}}', '{"query": ""}', '{"query": 5}']
)
def test_json_that_is_not_a_graphql_request(client, body):
    response = post(client, body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] in {"BAD_REQUEST", "BATCH_TOO_LARGE"}


def test_non_json_body(client):
    assert_graphql_error(
        post(client, "query { shop }", content_type="text/plain"), 415, "UNSUPPORTED_MEDIA_TYPE"
    )


def test_variables_must_be_an_object(client):
    response = post(client, json.dumps({"query": "{ __typename }", "variables": [1]}))
    assert_graphql_error(response, 400, "BAD_REQUEST")


def test_syntax_error_is_a_400_parse_error(client):
    body = assert_graphql_error(
        post(client, json.dumps({"query": "{ channel(slug: "})), 400, "GRAPHQL_PARSE_FAILED"
    )
    assert "locations" in body["errors"][0]


def test_unknown_field_is_a_400_validation_error(client):
    assert_graphql_error(
        post(client, json.dumps({"query": "{ nope }"})), 400, "GRAPHQL_VALIDATION_FAILED"
    )


def test_unknown_operation_name(client):
    response = post(client, json.dumps({"query": "query A { __typename }", "operationName": "B"}))
    body = assert_graphql_error(response, 400, "UNKNOWN_OPERATION")
    assert "'B'" in body["errors"][0]["message"]


def test_several_operations_need_a_name(client):
    response = post(client, json.dumps({"query": "query A { __typename } query B { __typename }"}))
    assert_graphql_error(response, 400, "OPERATION_NAME_REQUIRED")
    named = post(
        client,
        json.dumps(
            {"query": "query A { __typename } query B { __typename }", "operationName": "B"}
        ),
    )
    assert named.json() == {"data": {"__typename": "Query"}}


def test_too_deep_query_is_refused_with_its_depth(client, settings):
    nested = "{ plugins { channelConfigurations { configuration { name } } } }"
    settings.GRAPHQL_MAX_DEPTH = 2
    from core.graphql.schema import reset_schema

    reset_schema()
    try:
        body = assert_graphql_error(
            post(client, json.dumps({"query": nested})), 400, "QUERY_TOO_DEEP"
        )
        assert body["errors"][0]["extensions"]["depth"] == 4
    finally:
        reset_schema()


def test_deep_query_through_fragments_is_measured(client):
    fragment_cycle_free = (
        "query { ...A } fragment A on Query { plugins { ...B } } "
        "fragment B on Plugin { channelConfigurations { ...C } } "
        "fragment C on PluginConfiguration { configuration { name } }"
    )
    from django.test import override_settings

    from core.graphql.documents import DocumentCache
    from core.graphql.schema import get_schema

    with override_settings(GRAPHQL_MAX_DEPTH=3):
        prepared = DocumentCache(get_schema().graphql_schema, 4).get(fragment_cycle_free)
    assert [e.extensions["code"] for e in prepared.errors] == ["QUERY_TOO_DEEP"]


def test_costly_query_is_refused(client, settings):
    from core.graphql.schema import reset_schema

    settings.GRAPHQL_MAX_COST = 5_000
    reset_schema()
    aliases = " ".join(
        f"a{i}: eventDeliveries(first: 100) {{ edges {{ node {{ id event {{ id }} }} }} }}"
        for i in range(20)
    )
    try:
        body = assert_graphql_error(
            post(client, json.dumps({"query": "{ " + aliases + " }"})), 400, "QUERY_TOO_COSTLY"
        )
    finally:
        reset_schema()
    extensions = body["errors"][0]["extensions"]
    assert extensions["cost"] == 20 * (1 + 100 * 5)
    assert extensions["limit"] == 5_000


def test_too_many_aliases(client):
    aliases = " ".join(f"a{i}: __typename" for i in range(40))
    # __typename is free of cost and depth, but aliases are counted on real fields
    fields = " ".join(f'c{i}: channel(slug: "x") {{ slug }}' for i in range(31))
    assert post(client, json.dumps({"query": "{ " + aliases + " }"})).status_code == 200
    assert_graphql_error(
        post(client, json.dumps({"query": "{ " + fields + " }"})), 400, "TOO_MANY_ALIASES"
    )


def test_introspection_is_allowed(client):
    from graphql import get_introspection_query

    response = post(client, json.dumps({"query": get_introspection_query()}))
    assert response.status_code == 200
    assert response.json()["data"]["__schema"]["queryType"]["name"] == "Query"


def test_five_megabyte_query_is_413_not_500(client):
    huge = json.dumps({"query": "{ __typename " + "x" * (5 * 1024 * 1024) + " }"})
    assert_graphql_error(post(client, huge), 413, "REQUEST_TOO_LARGE")


def test_query_over_the_length_limit_is_413(client, settings):
    long_query = "{ __typename }" + " " * (settings.GRAPHQL_MAX_QUERY_BYTES + 1)
    assert_graphql_error(post(client, json.dumps({"query": long_query})), 413, "QUERY_TOO_LARGE")


def test_token_flood_is_a_parse_error(client):
    flood = "{ " + "a " * 6_000 + "}"
    assert_graphql_error(post(client, json.dumps({"query": flood})), 400, "GRAPHQL_PARSE_FAILED")


def test_batches_are_answered_in_order_and_bounded(client, settings):
    batch = [{"query": "{ __typename }"}, {"query": "{ nope }"}]
    response = post(client, json.dumps(batch))
    assert response.status_code == 200
    first, second = response.json()
    assert first == {"data": {"__typename": "Query"}}
    assert second["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    too_many = [{"query": "{ __typename }"}] * (settings.GRAPHQL_MAX_BATCH + 1)
    assert_graphql_error(post(client, json.dumps(too_many)), 400, "BATCH_TOO_LARGE")


def test_graphiql_on_browser_get(client):
    response = client.get("/graphql/", HTTP_ACCEPT="text/html,application/xhtml+xml")
    assert response.status_code == 200
    assert b"graphiql" in response.content.lower()


def test_get_without_browser_is_405_json(client):
    assert_graphql_error(client.get("/graphql/?query={__typename}"), 405, "METHOD_NOT_ALLOWED")


def test_unknown_bearer_token_is_refused_not_anonymous(client):
    response = post(
        client, json.dumps({"query": "{ __typename }"}), HTTP_AUTHORIZATION="Bearer abc.def.ghi"
    )
    assert_graphql_error(response, 401, "INVALID_TOKEN")


def test_unexpected_exceptions_become_a_generic_error_with_request_id(caplog):
    try:
        raise RuntimeError("secret internal detail: password=hunter2")
    except RuntimeError as exc:
        error = GraphQLError("x", path=["channel"], original_error=exc)
    with caplog.at_level(logging.ERROR, logger="core.graphql"):
        formatted = format_error(error)
    assert formatted["message"] == INTERNAL_MESSAGE
    assert formatted["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert "requestId" in formatted["extensions"]
    assert "hunter2" not in json.dumps(formatted)
    assert any("hunter2" in (r.exc_text or "") or r.exc_info for r in caplog.records)


def test_permission_errors_are_typed(gql):
    body = gql("{ channels { slug } }")
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
