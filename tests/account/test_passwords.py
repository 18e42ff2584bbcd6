"""Password reset by link or code, password change, and what they revoke."""

from __future__ import annotations

import pytest

from tests.account.conftest import PASSWORD, TOKEN_CREATE, bearer, sent_token

REQUEST = """
mutation($email: String, $phone: String, $redirectUrl: String) {
  requestPasswordReset(email: $email, phone: $phone, redirectUrl: $redirectUrl) {
    errors { field code message retryAfter }
  }
}
"""
SET = """
mutation($email: String, $token: String!, $password: String!) {
  setPassword(email: $email, token: $token, password: $password) {
    token refreshToken user { email } errors { field code message }
  }
}
"""
CHANGE = """
mutation($old: String!, $new: String!) {
  passwordChange(oldPassword: $old, newPassword: $new) { user { email } errors { field code } }
}
"""
NEW_PASSWORD = "Brand-New-Secret-42"


def sign_in(gql, password):
    return gql(TOKEN_CREATE, {"email": "alice@example.com", "password": password})["data"][
        "tokenCreate"
    ]


def reset_token(gql, plugin_kit, mailoutbox, email="alice@example.com"):
    result = gql(REQUEST, {"email": email, "redirectUrl": "https://localhost/reset"})
    assert result["data"]["requestPasswordReset"]["errors"] == []
    plugin_kit.deliver()
    return sent_token(mailoutbox[-1])


@pytest.mark.django_db
def test_reset_by_email_link_sets_the_password_and_signs_in(gql, alice, plugin_kit, mailoutbox):
    old_session = alice.token
    token = reset_token(gql, plugin_kit, mailoutbox)
    assert mailoutbox[-1].subject == "Reset your password"
    assert "https://localhost/reset?email=alice%40example.com&token=" in mailoutbox[-1].body

    result = gql(SET, {"email": "alice@example.com", "token": token, "password": NEW_PASSWORD})
    payload = result["data"]["setPassword"]
    assert payload["errors"] == []
    assert gql("{ me { email } }", **bearer(payload["token"]))["data"]["me"]["email"]
    assert sign_in(gql, NEW_PASSWORD)["errors"] == []
    assert sign_in(gql, PASSWORD)["errors"][0]["code"] == "INVALID_CREDENTIALS"
    assert gql.raw({"query": "{ me { email } }"}, **bearer(old_session)).status_code == 401

    reused = gql(SET, {"email": "alice@example.com", "token": token, "password": "Other-Pass-99"})
    assert reused["data"]["setPassword"]["errors"] == [
        {"field": "token", "code": "TOKEN_USED", "message": "This token was already used."}
    ]


@pytest.mark.embedded
@pytest.mark.django_db
def test_a_weak_password_is_refused_and_the_token_stays_usable(gql, alice, plugin_kit, mailoutbox):
    token = reset_token(gql, plugin_kit, mailoutbox)

    weak = gql(SET, {"email": "alice@example.com", "token": token, "password": "alice"})
    codes = {e["code"] for e in weak["data"]["setPassword"]["errors"]}
    assert {"PASSWORD_TOO_SHORT", "PASSWORD_TOO_SIMILAR"} <= codes
    assert sign_in(gql, PASSWORD)["errors"] == []  # unchanged

    ok = gql(SET, {"email": "alice@example.com", "token": token, "password": NEW_PASSWORD})
    assert ok["data"]["setPassword"]["errors"] == []


@pytest.mark.django_db
def test_tampered_or_superseded_tokens_are_refused(gql, alice, plugin_kit, mailoutbox):
    first = reset_token(gql, plugin_kit, mailoutbox)
    second = reset_token(gql, plugin_kit, mailoutbox)

    for token, code in ((first, "INVALID_TOKEN"), (second[:-2] + "xx", "INVALID_TOKEN")):
        result = gql(SET, {"email": "alice@example.com", "token": token, "password": NEW_PASSWORD})
        assert result["data"]["setPassword"]["errors"][0]["code"] == code
    assert sign_in(gql, PASSWORD)["errors"] == []


@pytest.mark.django_db
def test_reset_for_an_unknown_account_answers_the_same_and_sends_nothing(
    gql, plugin_kit, mailoutbox
):
    result = gql(REQUEST, {"email": "nobody@example.com"})

    assert result["data"]["requestPasswordReset"]["errors"] == []
    plugin_kit.deliver()
    assert mailoutbox == []


@pytest.mark.django_db
def test_reset_link_host_must_be_allowed(gql, alice, plugin_kit, mailoutbox):
    result = gql(REQUEST, {"email": "alice@example.com", "redirectUrl": "https://evil.test/r"})

    assert result["data"]["requestPasswordReset"]["errors"][0]["field"] == "redirectUrl"
    plugin_kit.deliver()
    assert mailoutbox == []


@pytest.mark.django_db
def test_password_change_needs_the_old_password_and_revokes_tokens(gql, alice):
    session = alice.token

    wrong = gql(CHANGE, {"old": "nope", "new": NEW_PASSWORD}, **bearer(session))
    assert wrong["data"]["passwordChange"]["errors"] == [
        {"field": "oldPassword", "code": "INVALID_PASSWORD"}
    ]
    weak = gql(CHANGE, {"old": PASSWORD, "new": "12345678"}, **bearer(session))
    assert {e["code"] for e in weak["data"]["passwordChange"]["errors"]} >= {"PASSWORD_TOO_COMMON"}
    ok = gql(CHANGE, {"old": PASSWORD, "new": NEW_PASSWORD}, **bearer(session))
    assert ok["data"]["passwordChange"]["errors"] == []

    assert gql.raw({"query": "{ me { email } }"}, **bearer(session)).status_code == 401
    assert sign_in(gql, NEW_PASSWORD)["errors"] == []


@pytest.mark.django_db
def test_anonymous_cannot_change_a_password(gql):
    result = gql(CHANGE, {"old": "a", "new": NEW_PASSWORD})
    assert result["data"]["passwordChange"]["errors"][0]["code"] == "PERMISSION_DENIED"
