"""App tokens: ``Authorization: Bearer fca_…`` acts as the app, with exactly its permissions.

Listed in ``settings.GRAPHQL_BEARER_AUTHENTICATORS`` after the JWT authenticator.
A token without our prefix is not ours (None); one with the prefix is looked up
by its SHA-256 (the token is 256 random bits, so the hash is the lookup key and
no constant-time comparison is needed).
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.http import HttpRequest

from account import audit
from core.permissions import Perm

TOKEN_PREFIX = "fca_"  # noqa: S105 - a prefix, not a secret


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class AppPrincipal:
    """The acting "user" of a request made with an app token.

    It holds exactly the app's permissions: ``has_perm`` answers only for those,
    ``is_staff`` is true when it holds any (staff queries then check the specific
    permission), and it has no primary key, so nothing owned by a customer
    (``user_id == user.pk``) ever matches it. Audit entries name it ``app:<id> <name>``.
    """

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_superuser = False
    pk = None
    id = None
    phone = ""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.permissions = frozenset(
            Perm[name].value for name in app.permissions if name in Perm.__members__
        )
        self.is_staff = bool(self.permissions)
        self.email = f"app:{app.pk} {app.name}"[:254]

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        return perm in self.permissions

    def has_perms(self, perms: Any, obj: Any = None) -> bool:
        return all(self.has_perm(perm) for perm in perms)

    def get_all_permissions(self, obj: Any = None) -> set[str]:
        return set(self.permissions)

    def __str__(self) -> str:
        return self.email


def authenticate_app(request: HttpRequest, token: str) -> AppPrincipal | None:
    from plugins.webhooks.models import AppToken

    if not token.startswith(TOKEN_PREFIX):
        return None
    row = (
        AppToken.objects.select_related("app")
        .filter(token_hash=hash_token(token), app__is_active=True)
        .first()
    )
    if row is None:
        return None
    principal = AppPrincipal(row.app)
    audit.actor_changed(principal)
    return principal
