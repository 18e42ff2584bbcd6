"""tokenCreate and password reset are rate-limited per account and per IP."""

from __future__ import annotations

import pytest

from tests.account.conftest import PASSWORD, TOKEN_CREATE

RESET = """
mutation($email: String!) {
  requestPasswordReset(email: $email) { errors { field code message retryAfter } }
}
"""


def attempt(gql, email, password, ip="192.0.2.1"):
    return gql(TOKEN_CREATE, {"email": email, "password": password}, REMOTE_ADDR=ip)["data"][
        "tokenCreate"
    ]


@pytest.mark.embedded
@pytest.mark.django_db
def test_failed_sign_ins_lock_the_account_for_a_while_from_any_ip(gql, alice, settings):
    settings.RATELIMIT_LOGIN_ACCOUNT = "3/900"
    for i in range(3):
        failed = attempt(gql, "alice@example.com", "wrong", ip=f"192.0.2.{i}")
        assert failed["errors"][0]["code"] == "INVALID_CREDENTIALS"

    locked = attempt(gql, "alice@example.com", PASSWORD, ip="192.0.2.99")

    [error] = locked["errors"]
    assert error["code"] == "LOGIN_ATTEMPT_DELAYED"
    assert 0 < error["retryAfter"] <= 900
    assert f"{error['retryAfter']} seconds" in error["message"]
    assert locked["token"] is None
    assert attempt(gql, "bob@example.com", "whatever")["errors"][0]["code"] == "INVALID_CREDENTIALS"


@pytest.mark.django_db
def test_unknown_accounts_are_limited_the_same_way(gql, settings):
    settings.RATELIMIT_LOGIN_ACCOUNT = "2/900"
    answers = [attempt(gql, "ghost@example.com", "x")["errors"][0]["code"] for _ in range(3)]
    assert answers == ["INVALID_CREDENTIALS", "INVALID_CREDENTIALS", "LOGIN_ATTEMPT_DELAYED"]


@pytest.mark.django_db
def test_one_ip_cannot_spray_many_accounts(gql, alice, settings):
    settings.RATELIMIT_LOGIN_IP = "4/300"
    for i in range(4):
        attempt(gql, f"user{i}@example.com", "x", ip="198.51.100.7")

    blocked = attempt(gql, "alice@example.com", PASSWORD, ip="198.51.100.7")
    assert blocked["errors"][0]["code"] == "LOGIN_ATTEMPT_DELAYED"
    assert attempt(gql, "alice@example.com", PASSWORD, ip="198.51.100.8")["errors"] == []


@pytest.mark.django_db
def test_a_successful_sign_in_clears_the_account_counter(gql, alice, settings):
    settings.RATELIMIT_LOGIN_ACCOUNT = "3/900"
    attempt(gql, "alice@example.com", "wrong")
    attempt(gql, "alice@example.com", "wrong")
    assert attempt(gql, "alice@example.com", PASSWORD)["errors"] == []
    attempt(gql, "alice@example.com", "wrong")
    assert attempt(gql, "alice@example.com", PASSWORD)["errors"] == []


@pytest.mark.django_db
def test_a_forged_forwarded_for_header_does_not_change_the_ip(gql, alice, settings):
    settings.RATELIMIT_LOGIN_IP = "2/300"
    for i in range(2):
        gql(
            TOKEN_CREATE,
            {"email": "x@example.com", "password": "x"},
            REMOTE_ADDR="192.0.2.50",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{i}",
        )
    blocked = gql(
        TOKEN_CREATE,
        {"email": "alice@example.com", "password": PASSWORD},
        REMOTE_ADDR="192.0.2.50",
        HTTP_X_FORWARDED_FOR="10.0.0.99",
    )
    assert blocked["data"]["tokenCreate"]["errors"][0]["code"] == "LOGIN_ATTEMPT_DELAYED"


@pytest.mark.django_db
def test_behind_a_trusted_proxy_the_forwarded_address_counts(gql, alice, settings):
    settings.RATELIMIT_LOGIN_IP = "2/300"
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(2):
        gql(
            TOKEN_CREATE,
            {"email": "x@example.com", "password": "x"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="spoofed, 203.0.113.5",
        )
    other_client = gql(
        TOKEN_CREATE,
        {"email": "alice@example.com", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.6",
    )
    assert other_client["data"]["tokenCreate"]["errors"] == []


@pytest.mark.django_db
def test_password_reset_requests_are_limited_per_account_and_per_ip(
    gql, alice, settings, plugin_kit, mailoutbox
):
    settings.RATELIMIT_PASSWORD_RESET_ACCOUNT = "2/3600"
    settings.RATELIMIT_PASSWORD_RESET_IP = "3/3600"
    codes = [
        gql(RESET, {"email": "alice@example.com"}, REMOTE_ADDR=f"192.0.2.{i}")["data"][
            "requestPasswordReset"
        ]["errors"]
        for i in range(3)
    ]
    assert codes[:2] == [[], []]
    assert codes[2][0]["code"] == "RATE_LIMITED"
    assert codes[2][0]["retryAfter"] > 0
    plugin_kit.deliver()
    assert len(mailoutbox) == 2

    for i in range(2):
        gql(RESET, {"email": f"other{i}@example.com"}, REMOTE_ADDR="198.51.100.1")
    gql(RESET, {"email": "other9@example.com"}, REMOTE_ADDR="198.51.100.1")
    blocked = gql(RESET, {"email": "bob@example.com"}, REMOTE_ADDR="198.51.100.1")
    assert blocked["data"]["requestPasswordReset"]["errors"][0]["code"] == "RATE_LIMITED"
