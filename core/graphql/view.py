"""The ``/graphql/`` endpoint: GraphiQL on a browser GET, JSON over POST.

Request errors (bad JSON, bad shape, too large, invalid document, unknown
operation) answer 4xx with a GraphQL-shaped body and never reach execution.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView as GrapheneView
from graphql import ExecutionResult, OperationType, execute
from opentelemetry.trace import Status, StatusCode

from core.graphql.documents import DocumentCache
from core.graphql.errors import format_error, http_error
from core.graphql.schema import get_schema
from core.telemetry import tracer, tracing_active

logger = logging.getLogger("core.graphql")

_document_cache: DocumentCache | None = None


def document_cache() -> DocumentCache:
    global _document_cache
    if _document_cache is None:
        _document_cache = DocumentCache(
            get_schema().graphql_schema, settings.GRAPHQL_DOCUMENT_CACHE_SIZE
        )
    return _document_cache


class RequestError(Exception):
    def __init__(self, status: int, message: str, code: str, **extensions: object) -> None:
        super().__init__(message)
        self.status = status
        self.body = {"errors": [http_error(message, code, **extensions)]}


def _never_awaitable(value: Any) -> bool:
    """All resolvers are synchronous: skip graphql-core's per-field awaitable checks."""
    return False


def json_response(body: Any, status: int = 200) -> HttpResponse:
    return HttpResponse(
        json.dumps(body, separators=(",", ":"), default=str),
        status=status,
        content_type="application/json",
    )


def _csrf_ok(request: HttpRequest) -> bool:
    return CsrfViewMiddleware(lambda r: HttpResponse()).process_view(request, None, (), {}) is None


def authenticate(request: HttpRequest) -> None:
    """Pick the acting user: a bearer token, else the session only with a valid CSRF token."""
    from core.graphql.auth import authenticate_bearer

    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        request.user = authenticate_bearer(request, header[7:].strip())
        return
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and not _csrf_ok(request):
        request.user = AnonymousUser()


@method_decorator(csrf_exempt, name="dispatch")
class GraphQLView(View):
    http_method_names = ["get", "post", "options"]

    def get(self, request: HttpRequest) -> HttpResponse:
        if "text/html" in request.headers.get("Accept", "") and "query" not in request.GET:
            return render_graphiql(request)
        return json_response(
            {"errors": [http_error("Send GraphQL operations with POST.", "METHOD_NOT_ALLOWED")]},
            status=405,
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        try:
            payload = self.read_payload(request)
            authenticate(request)
            if isinstance(payload, list):
                if not payload or len(payload) > settings.GRAPHQL_MAX_BATCH:
                    raise RequestError(
                        400,
                        f"A batch holds 1 to {settings.GRAPHQL_MAX_BATCH} operations.",
                        "BATCH_TOO_LARGE",
                    )
                results = [self.run_batched(request, item) for item in payload]
                return json_response(results)
            body, status = execute_operation(request, payload)
            return json_response(body, status)
        except RequestError as error:
            return json_response(error.body, error.status)

    def run_batched(self, request: HttpRequest, item: Any) -> dict:
        try:
            return execute_operation(request, item)[0]
        except RequestError as error:
            return error.body

    @staticmethod
    def read_payload(request: HttpRequest) -> Any:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        declared = request.META.get("CONTENT_LENGTH") or "0"
        if declared.isdigit() and int(declared) > limit:
            raise RequestError(413, f"Request body exceeds {limit} bytes.", "REQUEST_TOO_LARGE")
        content_type = request.content_type or ""
        if content_type != "application/json":
            raise RequestError(
                415, "Send the operation as application/json.", "UNSUPPORTED_MEDIA_TYPE"
            )
        try:
            raw = request.body
        except RequestDataTooBig as exc:
            raise RequestError(
                413, f"Request body exceeds {limit} bytes.", "REQUEST_TOO_LARGE"
            ) from exc
        try:
            return json.loads(raw)
        except (ValueError, UnicodeDecodeError) as exc:
            raise RequestError(400, "The body is not valid JSON.", "JSON_PARSE_FAILED") from exc


def execute_operation(request: HttpRequest, payload: Any) -> tuple[dict, int]:
    if not isinstance(payload, dict):
        raise RequestError(400, "Expected a JSON object with a 'query'.", "BAD_REQUEST")
    query = payload.get("query")
    variables = payload.get("variables")
    operation_name = payload.get("operationName")
    if not isinstance(query, str) or not query.strip():
        raise RequestError(400, "'query' must be a non-empty string.", "BAD_REQUEST")
    if len(query) > settings.GRAPHQL_MAX_QUERY_BYTES:
        raise RequestError(
            413,
            f"The query exceeds {settings.GRAPHQL_MAX_QUERY_BYTES} characters.",
            "QUERY_TOO_LARGE",
        )
    if variables is not None and not isinstance(variables, dict):
        raise RequestError(400, "'variables' must be a JSON object.", "BAD_REQUEST")
    if operation_name is not None and not isinstance(operation_name, str):
        raise RequestError(400, "'operationName' must be a string.", "BAD_REQUEST")

    prepared = document_cache().get(query)
    if prepared.errors:
        return {"errors": [e.formatted for e in prepared.errors]}, 400
    operation = select_operation(prepared.operations, operation_name)
    if operation.operation is not OperationType.QUERY and request.method != "POST":
        raise RequestError(405, "Mutations require POST.", "METHOD_NOT_ALLOWED")

    op_type = operation.operation.value
    op_name = operation.name.value if operation.name else None

    def run() -> ExecutionResult:
        result = execute(
            get_schema().graphql_schema,
            prepared.document,
            context_value=request,
            variable_values=variables,
            operation_name=op_name,
            is_awaitable=_never_awaitable,
        )
        if not isinstance(result, ExecutionResult):
            raise TypeError("asynchronous resolvers are not supported on this endpoint")
        return result

    if tracing_active():
        with tracer.start_as_current_span(f"graphql.{op_type} {op_name or 'anonymous'}") as span:
            span.set_attribute("graphql.operation.type", op_type)
            span.set_attribute("graphql.operation.name", op_name or "")
            result = run()
            if result.errors:
                span.set_status(Status(StatusCode.ERROR))
    else:
        result = run()
    body: dict[str, Any] = {}
    status = 200
    if result.errors:
        body["errors"] = [format_error(e) for e in result.errors]
        if result.data is None and all(e.path is None for e in result.errors):
            status = 400
    if status == 200:
        body["data"] = result.data
    return body, status


def select_operation(operations: dict, operation_name: str | None) -> Any:
    if operation_name is not None:
        if operation_name not in operations:
            raise RequestError(
                400, f"Unknown operation named '{operation_name}'.", "UNKNOWN_OPERATION"
            )
        return operations[operation_name]
    if len(operations) != 1:
        raise RequestError(
            400,
            "The document holds several operations: name one with 'operationName'.",
            "OPERATION_NAME_REQUIRED",
        )
    return next(iter(operations.values()))


def render_graphiql(request: HttpRequest) -> HttpResponse:
    assets = {
        name: getattr(GrapheneView, name)
        for name in dir(GrapheneView)
        if name.endswith(("_version", "_sri"))
    }
    return render(
        request,
        GrapheneView.graphiql_template,
        {
            **assets,
            "subscription_path": None,
            "graphiql_header_editor_enabled": True,
            "graphiql_should_persist_headers": False,
            "graphiql_input_value_deprecation": False,
        },
    )
