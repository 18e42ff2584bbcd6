"""Bearer-token authentication for GraphQL.

Authenticators are listed in ``settings.GRAPHQL_BEARER_AUTHENTICATORS`` (dotted
paths to ``(request, token) -> user | None``); the first that recognises the
token wins. A token nobody recognises is refused: a client that believes it is
signed in must not silently act as anonymous.
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.http import HttpRequest
from django.utils.module_loading import import_string


@cache
def authenticators() -> tuple:
    return tuple(import_string(path) for path in settings.GRAPHQL_BEARER_AUTHENTICATORS)


def authenticate_bearer(request: HttpRequest, token: str):  # noqa: ANN201 - a user model
    from core.graphql.view import RequestError

    for authenticator in authenticators():
        user = authenticator(request, token)
        if user is not None:
            return user
    raise RequestError(401, "The access token is invalid or expired.", "INVALID_TOKEN")
