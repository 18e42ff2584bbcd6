"""Account test helpers: people, signing in over GraphQL, reading the messages sent."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.conftest import GraphQLClient

PASSWORD = "Correct-Horse-77"

TOKEN_CREATE = """
mutation($email: String, $phone: String, $password: String!) {
  tokenCreate(email: $email, phone: $phone, password: $password) {
    token refreshToken user { id email phone }
    errors { field code message retryAfter }
  }
}
"""


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


class Person:
    """A confirmed account and a GraphQL client signed in as it (JWT)."""

    def __init__(self, gql: GraphQLClient, user: Any, password: str = PASSWORD) -> None:
        self.gql = gql
        self.user = user
        self.password = password
        self._token: str | None = None

    @property
    def token(self) -> str:
        if self._token is None:
            result = self.gql(
                TOKEN_CREATE,
                {"email": self.user.email, "phone": self.user.phone, "password": self.password},
            )
            assert result["data"]["tokenCreate"]["errors"] == [], result
            self._token = result["data"]["tokenCreate"]["token"]
        return self._token

    def __call__(self, query: str, variables: dict | None = None, **headers: str) -> dict:
        return self.gql(query, variables, **bearer(self.token), **headers)


def make_user(email: str | None = None, phone: str | None = None, **extra: Any) -> Any:
    from account.models import User

    extra.setdefault("is_confirmed", True)
    return User.objects.create_user(email=email, phone=phone, password=PASSWORD, **extra)


@pytest.fixture
def person(db: Any, gql: GraphQLClient) -> Any:
    """Make a signed-in person: ``person("ada@example.com")`` or ``person(phone="+234...")``."""

    def make(email: str | None = None, phone: str | None = None, **extra: Any) -> Person:
        return Person(gql, make_user(email, phone, **extra))

    return make


@pytest.fixture
def alice(person: Any) -> Person:
    return person("alice@example.com", first_name="Alice")


@pytest.fixture
def bob(person: Any) -> Person:
    return person("bob@example.com", first_name="Bob")


@pytest.fixture
def staff(person: Any) -> Any:
    """A signed-in staff member holding the given Perm values: ``staff(Perm.MANAGE_USERS)``."""
    from tests.conftest import grant

    counter = {"n": 0}

    def make(*perms: str, email: str | None = None) -> Person:
        counter["n"] += 1
        member = person(email or f"staff{counter['n']}@example.com", is_staff=True)
        member.user = grant(member.user, *[str(p) for p in perms])
        return member

    return make


def sent_token(message: Any) -> str:
    """The token in an account email (from its link, or pasted in the body)."""
    match = re.search(r"token=([A-Za-z0-9_\-]+)", message.body) or re.search(
        r"token:\n(\S+)", message.body
    )
    assert match, message.body
    return match.group(1)


def deliver(plugin_kit: Any) -> None:
    """Run the outbox now, as the worker would after commit."""
    plugin_kit.deliver()
