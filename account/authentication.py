"""The JWT bearer authenticator for GraphQL (``settings.GRAPHQL_BEARER_AUTHENTICATORS``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from account import audit, tokens


def authenticate_jwt(request: HttpRequest, token: str) -> Any:
    """The user of a valid access token, else None (the view then answers 401 INVALID_TOKEN)."""
    try:
        user = tokens.user_for(tokens.decode(token, tokens.ACCESS))
    except tokens.TokenError:
        return None
    audit.actor_changed(user)
    return user
