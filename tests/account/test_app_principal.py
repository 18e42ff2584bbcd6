"""An app token is a principal, not a person: account operations refuse it with a typed error."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def app_client(gql):
    from plugins.webhooks import services

    app, token = services.create_app(actor=None, name="ERP", permissions=[])
    return lambda query, variables=None: gql(query, variables, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_me_is_null_for_an_app(app_client):
    assert app_client("{ me { email } }") == {"data": {"me": None}}


@pytest.mark.parametrize(
    "mutation",
    [
        'mutation { accountUpdate(input: {firstName: "X"}) { errors { code } } }',
        'mutation { passwordChange(oldPassword: "a", newPassword: "b") { errors { code } } }',
        "mutation { tokensDeactivateAll { errors { code } } }",
    ],
)
def test_account_mutations_refuse_an_app(app_client, mutation):
    body = app_client(mutation)
    assert "errors" not in body, body
    payload = next(iter(body["data"].values()))
    assert payload["errors"][0]["code"] == "PERMISSION_DENIED"
