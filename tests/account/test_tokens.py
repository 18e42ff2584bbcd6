"""Signing in: JWT access and refresh tokens, revocation, key rotation, Argon2."""

from __future__ import annotations

from datetime import timedelta

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.utils import timezone

from account import tokens
from tests.account.conftest import PASSWORD, TOKEN_CREATE, bearer

ME = "{ me { email firstName } }"
REFRESH = """
mutation($refreshToken: String) {
  tokenRefresh(refreshToken: $refreshToken) { token user { email } errors { field code message } }
}
"""
VERIFY = """
mutation($token: String!) {
  tokenVerify(token: $token) { isValid payload user { email } errors { field code } }
}
"""
DEACTIVATE = "mutation { tokensDeactivateAll { errors { code } } }"


@pytest.fixture(autouse=True)
def _fresh_keys():
    tokens.reset_keys()
    yield
    tokens.reset_keys()


def sign_in(gql, email="alice@example.com", password=PASSWORD):
    return gql(TOKEN_CREATE, {"email": email, "password": password})["data"]["tokenCreate"]


@pytest.mark.embedded
@pytest.mark.django_db
def test_token_create_returns_tokens_that_authenticate_as_bearer(gql, alice):
    payload = sign_in(gql)

    assert payload["errors"] == []
    assert payload["user"]["email"] == "alice@example.com"
    claims = jwt.decode(payload["token"], options={"verify_signature": False})
    assert claims["type"] == "access"
    assert 290 <= claims["exp"] - claims["iat"] <= 300
    refresh = jwt.decode(payload["refreshToken"], options={"verify_signature": False})
    assert refresh["exp"] - refresh["iat"] == 30 * 24 * 3600
    me = gql(ME, **bearer(payload["token"]))
    assert me == {"data": {"me": {"email": "alice@example.com", "firstName": "Alice"}}}
    assert gql(ME) == {"data": {"me": None}}


@pytest.mark.embedded
@pytest.mark.django_db
def test_wrong_password_and_unknown_account_get_the_same_answer(gql, alice, person):
    person("inactive@example.com", is_active=False)

    answers = [
        sign_in(gql, password="wrong-password"),
        sign_in(gql, email="nobody@example.com"),
        sign_in(gql, email="inactive@example.com"),
        sign_in(gql, email="not an email"),
    ]

    expected = {
        "token": None,
        "refreshToken": None,
        "user": None,
        "errors": [
            {
                "field": "email",
                "code": "INVALID_CREDENTIALS",
                "message": "Please, enter valid credentials.",
                "retryAfter": None,
            }
        ],
    }
    assert answers == [expected] * 4


@pytest.mark.django_db
def test_refresh_gives_a_new_access_token_and_rejects_access_tokens(gql, alice):
    pair = sign_in(gql)

    refreshed = gql(REFRESH, {"refreshToken": pair["refreshToken"]})["data"]["tokenRefresh"]
    assert refreshed["errors"] == []
    assert gql(ME, **bearer(refreshed["token"]))["data"]["me"]["email"] == "alice@example.com"

    misuse = gql(REFRESH, {"refreshToken": pair["token"]})["data"]["tokenRefresh"]
    assert misuse["errors"] == [
        {"field": "refreshToken", "code": "JWT_INVALID_TOKEN", "message": "Not a refresh token."}
    ]
    missing = gql(REFRESH, {})["data"]["tokenRefresh"]["errors"][0]["code"]
    assert missing == "JWT_MISSING_TOKEN"


@pytest.mark.django_db
def test_token_verify(gql, alice):
    pair = sign_in(gql)

    ok = gql(VERIFY, {"token": pair["token"]})["data"]["tokenVerify"]
    assert ok["isValid"] is True
    assert ok["user"] == {"email": "alice@example.com"}
    assert "token" not in ok["payload"]  # the revocation key is not shown
    bad = gql(VERIFY, {"token": pair["token"][:-3] + "abc"})["data"]["tokenVerify"]
    assert bad == {
        "isValid": False,
        "payload": None,
        "user": None,
        "errors": [{"field": "token", "code": "JWT_INVALID_TOKEN"}],
    }


@pytest.mark.embedded
@pytest.mark.django_db
@pytest.mark.parametrize("problem", ["expired", "tampered", "garbage", "foreign_key"])
def test_a_bad_bearer_token_is_a_401(gql, alice, problem):
    user = alice.user
    if problem == "expired":
        claims = {
            "iss": "fashionistar",
            "sub": str(user.pk),
            "type": "access",
            "token": user.jwt_token_key,
            "iat": timezone.now() - timedelta(minutes=10),
            "exp": timezone.now() - timedelta(minutes=5),
        }
        key = tokens.signing_keys()[0]
        token = jwt.encode(claims, key.signing, "HS256", headers={"kid": key.kid})
    elif problem == "tampered":
        header, payload, signature = alice.token.split(".")
        token = ".".join([header, payload, signature[::-1]])
    elif problem == "garbage":
        token = "not-a-jwt"
    else:
        token = jwt.encode(
            {"sub": str(user.pk), "type": "access"}, "x" * 40, "HS256", headers={"kid": "other"}
        )

    response = gql.raw({"query": ME}, **bearer(token))

    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "INVALID_TOKEN"


@pytest.mark.django_db
def test_tokens_deactivate_all_signs_out_everywhere(gql, alice):
    first = sign_in(gql)
    second = sign_in(gql)

    result = gql(DEACTIVATE, **bearer(first["token"]))
    assert result["data"]["tokensDeactivateAll"]["errors"] == []

    for pair in (first, second):
        assert gql.raw({"query": ME}, **bearer(pair["token"])).status_code == 401
        refused = gql(REFRESH, {"refreshToken": pair["refreshToken"]})["data"]["tokenRefresh"]
        assert refused["errors"][0]["code"] == "JWT_INVALID_TOKEN"
    assert sign_in(gql)["errors"] == []


@pytest.mark.django_db
def test_anonymous_cannot_deactivate_tokens(gql):
    result = gql(DEACTIVATE)["data"]["tokensDeactivateAll"]["errors"]
    assert result == [{"code": "PERMISSION_DENIED"}]


@pytest.mark.django_db
def test_signing_key_rotation_keeps_old_tokens_valid_until_the_old_key_is_dropped(
    gql, alice, settings
):
    old_secret, new_secret = "o" * 40, "n" * 40
    settings.JWT_SIGNING_KEYS = [old_secret]
    tokens.reset_keys()
    old = sign_in(gql)

    settings.JWT_SIGNING_KEYS = [new_secret, old_secret]
    tokens.reset_keys()
    new = sign_in(gql)
    assert (
        jwt.get_unverified_header(new["token"])["kid"]
        != jwt.get_unverified_header(old["token"])["kid"]
    )
    assert gql(ME, **bearer(old["token"]))["data"]["me"]["email"] == "alice@example.com"
    assert gql(ME, **bearer(new["token"]))["data"]["me"]["email"] == "alice@example.com"

    settings.JWT_SIGNING_KEYS = [new_secret]
    tokens.reset_keys()
    assert gql.raw({"query": ME}, **bearer(old["token"])).status_code == 401
    assert gql(ME, **bearer(new["token"]))["data"]["me"]["email"] == "alice@example.com"


@pytest.mark.django_db
def test_rs256_keys_sign_tokens_verifiable_with_the_public_key(gql, alice, settings, tmp_path):
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    (tmp_path / "jwt.pem").write_bytes(pem)
    settings.JWT_SIGNING_KEYS = [f"file:{tmp_path / 'jwt.pem'}"]
    tokens.reset_keys()

    pair = sign_in(gql)

    assert jwt.get_unverified_header(pair["token"])["alg"] == "RS256"
    claims = jwt.decode(
        pair["token"], private.public_key(), algorithms=["RS256"], issuer="fashionistar"
    )
    assert claims["sub"] == str(alice.user.pk)
    assert gql(ME, **bearer(pair["token"]))["data"]["me"]["email"] == "alice@example.com"


@pytest.mark.embedded
def test_production_hashes_passwords_with_argon2_first():
    import core.settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0] == (
        "django.contrib.auth.hashers.Argon2PasswordHasher"
    )


@pytest.mark.django_db
def test_argon2_hashes_verify(settings):
    from django.contrib.auth.hashers import check_password, make_password

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    hashed = make_password("Correct-Horse-77")

    assert hashed.startswith("argon2$")
    assert check_password("Correct-Horse-77", hashed)
