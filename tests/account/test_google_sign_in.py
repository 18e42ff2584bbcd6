"""Sign in with Google: ID tokens verified against keys served by a local JWKS endpoint.

Google is faked at the HTTP boundary only: a real HTTP server on 127.0.0.1
serves a JWKS document of a locally generated RSA key, and ID tokens are signed
with that key exactly as Google signs them (RS256, ``kid`` header).
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from account.models import User
from plugins.google_auth import keys as google_keys

PLUGIN_ID = "fashionistar.google_auth"
CLIENT_ID = "1234-web.apps.googleusercontent.com"
SIGN_IN = """
mutation($pluginId: String!, $input: JSONString!) {
  externalObtainAccessTokens(pluginId: $pluginId, input: $input) {
    token refreshToken user { email firstName isConfirmed registrationMethod }
    errors { field code message }
  }
}
"""


class FakeGoogle:
    """Google's certificate endpoint: a JWKS document served over HTTP."""

    def __init__(self) -> None:
        self.requests = 0
        self.keys: dict[str, rsa.RSAPrivateKey] = {}
        self.rotate()
        google = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server API
                google.requests += 1
                body = json.dumps(google.jwks()).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Cache-Control", "public, max-age=21600")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/oauth2/v3/certs"

    def rotate(self) -> str:
        kid = f"key-{len(self.keys) + 1}"
        self.keys = {kid: rsa.generate_private_key(public_exponent=65537, key_size=2048)}
        self.kid = kid
        return kid

    def jwks(self) -> dict:
        result = []
        for kid, key in self.keys.items():
            jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
            result.append({**jwk, "kid": kid, "alg": "RS256", "use": "sig"})
        return {"keys": result}

    def id_token(self, key=None, kid=None, **overrides) -> str:
        now = int(time.time())
        claims = {
            "iss": "https://accounts.google.com",
            "azp": CLIENT_ID,
            "aud": CLIENT_ID,
            "sub": "110169484474386276334",
            "email": "ada@gmail.com",
            "email_verified": True,
            "given_name": "Ada",
            "family_name": "Lovelace",
            "iat": now,
            "exp": now + 3600,
            **overrides,
        }
        claims = {k: v for k, v in claims.items() if v is not None}
        return jwt.encode(
            claims, key or self.keys[self.kid], "RS256", headers={"kid": kid or self.kid}
        )

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def google(plugin_kit):
    fake = FakeGoogle()
    google_keys.forget()
    plugin_kit.activate(PLUGIN_ID, config={"client_ids": CLIENT_ID, "certs_url": fake.url})
    yield fake
    fake.close()
    google_keys.forget()


def sign_in(gql, token, plugin_id=PLUGIN_ID):
    variables = {"pluginId": plugin_id, "input": json.dumps({"idToken": token})}
    return gql(SIGN_IN, variables)["data"]["externalObtainAccessTokens"]


@pytest.mark.django_db
def test_a_valid_id_token_creates_a_confirmed_account_and_signs_in(gql, google):
    payload = sign_in(gql, google.id_token())

    assert payload["errors"] == []
    assert payload["user"] == {
        "email": "ada@gmail.com",
        "firstName": "Ada",
        "isConfirmed": True,
        "registrationMethod": "google",
    }
    me = gql("{ me { email } }", HTTP_AUTHORIZATION=f"Bearer {payload['token']}")
    assert me["data"]["me"]["email"] == "ada@gmail.com"

    again = sign_in(gql, google.id_token())
    assert again["errors"] == []
    assert User.objects.filter(email="ada@gmail.com").count() == 1
    assert google.requests == 1  # keys are cached


@pytest.mark.django_db
def test_an_existing_account_with_the_verified_email_is_linked(gql, google, person):
    existing = person("ada@gmail.com", first_name="Augusta")

    payload = sign_in(gql, google.id_token(email="ADA@gmail.com"))

    assert payload["errors"] == []
    assert payload["user"]["firstName"] == "Augusta"
    assert User.objects.get().pk == existing.user.pk


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("make_token", "code"),
    [
        (lambda g: g.id_token(aud="someone-else.apps.googleusercontent.com"), "INVALID_TOKEN"),
        (lambda g: g.id_token(iss="https://accounts.evil.example"), "INVALID_TOKEN"),
        (
            lambda g: g.id_token(exp=int(time.time()) - 3600, iat=int(time.time()) - 7200),
            "TOKEN_EXPIRED",
        ),
        (
            lambda g: g.id_token(
                key=rsa.generate_private_key(public_exponent=65537, key_size=2048)
            ),
            "INVALID_TOKEN",
        ),
        (lambda g: g.id_token(kid="unknown-kid"), "INVALID_TOKEN"),
        (lambda g: g.id_token(email_verified=False), "EMAIL_NOT_VERIFIED"),
        (lambda g: g.id_token(email=None), "EMAIL_NOT_VERIFIED"),
        (
            lambda g: jwt.encode(
                {"email": "ada@gmail.com"}, "s" * 40, "HS256", headers={"kid": g.kid}
            ),
            "INVALID_TOKEN",
        ),
        (lambda g: "not.a.token", "INVALID_TOKEN"),
    ],
    ids=[
        "audience",
        "issuer",
        "expired",
        "foreign-key",
        "unknown-kid",
        "unverified-email",
        "no-email",
        "hs256-confusion",
        "garbage",
    ],
)
def test_invalid_id_tokens_are_refused_and_nothing_is_created(gql, google, make_token, code):
    payload = sign_in(gql, make_token(google))

    assert payload["token"] is None
    assert payload["errors"][0]["code"] == code
    assert not User.objects.exists()


@pytest.mark.django_db
def test_a_tampered_token_is_refused(gql, google):
    header, body, signature = google.id_token().split(".")
    forged_body = jwt.utils.base64url_encode(
        json.dumps(
            {**json.loads(jwt.utils.base64url_decode(body)), "email": "boss@gmail.com"}
        ).encode()
    ).decode()

    payload = sign_in(gql, ".".join([header, forged_body, signature]))

    assert payload["errors"][0]["code"] == "INVALID_TOKEN"
    assert not User.objects.exists()


@pytest.mark.django_db
def test_google_key_rotation_is_picked_up(gql, google, monkeypatch):
    assert sign_in(gql, google.id_token())["errors"] == []
    google.rotate()
    monkeypatch.setattr(google_keys, "REFETCH_INTERVAL", 0.0)

    assert sign_in(gql, google.id_token())["errors"] == []
    assert google.requests == 2


@pytest.mark.django_db
def test_unknown_kids_do_not_hammer_google(gql, google):
    sign_in(gql, google.id_token())
    for _ in range(3):
        sign_in(gql, google.id_token(kid="made-up"))
    assert google.requests == 1


@pytest.mark.django_db
def test_inactive_or_unknown_plugins_cannot_sign_anyone_in(gql, google, plugin_kit):
    plugin_kit.deactivate(PLUGIN_ID)
    assert sign_in(gql, google.id_token())["errors"][0]["code"] == "NOT_FOUND"
    assert sign_in(gql, google.id_token(), plugin_id="nope")["errors"][0]["code"] == "NOT_FOUND"
    assert not User.objects.exists()


@pytest.mark.django_db
def test_bad_input_json(gql, google):
    result = gql(SIGN_IN, {"pluginId": PLUGIN_ID, "input": json.dumps(["x"])})
    assert result["data"]["externalObtainAccessTokens"]["errors"][0]["code"] == "INVALID"
    missing = gql(SIGN_IN, {"pluginId": PLUGIN_ID, "input": "{}"})
    assert missing["data"]["externalObtainAccessTokens"]["errors"][0]["code"] == "REQUIRED"
