"""How errors leave the API: the shape of DESIGN.md's conventions, nothing internal."""

from __future__ import annotations

import logging

from graphql import GraphQLError

from core.errors import DomainError
from core.request_context import current_request_id

logger = logging.getLogger("core.graphql")

INTERNAL_MESSAGE = "Internal server error. Quote the request id when contacting support."


def http_error(message: str, code: str, **extensions: object) -> dict:
    """A GraphQL-shaped error for failures before execution (HTTP 4xx)."""
    return {"message": message, "extensions": {"code": code, **extensions}}


def format_error(error: GraphQLError) -> dict:
    """Format an execution error; unexpected exceptions become a generic error and a log line."""
    original = error.original_error
    formatted = error.formatted
    if original is None or isinstance(original, GraphQLError):
        formatted.setdefault("extensions", {})
        formatted["extensions"].setdefault("code", "GRAPHQL_ERROR")
        return formatted
    if isinstance(original, DomainError):
        formatted["message"] = original.errors[0].message
        formatted["extensions"] = {"code": original.code}
        if original.errors[0].field:
            formatted["extensions"]["field"] = original.errors[0].field
        return formatted
    logger.error(
        "unexpected error resolving %s",
        ".".join(str(p) for p in (error.path or [])),
        exc_info=(type(original), original, original.__traceback__),
    )
    return {
        "message": INTERNAL_MESSAGE,
        "locations": formatted.get("locations"),
        "path": formatted.get("path"),
        "extensions": {"code": "INTERNAL_SERVER_ERROR", "requestId": current_request_id()},
    }
