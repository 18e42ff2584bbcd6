"""Signing up by email or phone, confirming, and refusing bad input without writing."""

from __future__ import annotations

import logging
from urllib.parse import parse_qs, urlsplit

import pytest

from account.models import User
from core.hookspecs import hookimpl
from tests.account.conftest import PASSWORD, TOKEN_CREATE, sent_token

REGISTER = """
mutation($input: AccountRegisterInput!) {
  accountRegister(input: $input) {
    requiresConfirmation
    user { email phone isConfirmed }
    errors { field code message }
  }
}
"""
CONFIRM = """
mutation($email: String, $phone: String, $token: String!) {
  confirmAccount(email: $email, phone: $phone, token: $token) {
    user { email phone isConfirmed }
    errors { field code message }
  }
}
"""


def register(gql, **fields):
    return gql(REGISTER, {"input": {"password": PASSWORD, **fields}})["data"]["accountRegister"]


@pytest.mark.django_db
def test_email_sign_up_sends_a_link_that_confirms_the_account(gql, plugin_kit, mailoutbox):
    payload = register(
        gql, email="Ada@Example.com", firstName="Ada", redirectUrl="http://localhost:3000/confirm"
    )
    assert payload["errors"] == []
    assert payload["requiresConfirmation"] is True
    assert payload["user"] == {"email": "ada@example.com", "phone": None, "isConfirmed": False}

    refused = gql(TOKEN_CREATE, {"email": "ada@example.com", "password": PASSWORD})
    assert refused["data"]["tokenCreate"]["errors"][0]["code"] == "ACCOUNT_NOT_CONFIRMED"

    plugin_kit.deliver()
    [message] = mailoutbox
    assert message.to == ["ada@example.com"]
    assert message.subject == "Confirm your account"
    link = next(line for line in message.body.splitlines() if line.startswith("http"))
    query = parse_qs(urlsplit(link).query)
    assert link.startswith("http://localhost:3000/confirm?")
    assert query["email"] == ["ada@example.com"]

    confirmed = gql(CONFIRM, {"email": "ada@example.com", "token": query["token"][0]})
    assert confirmed["data"]["confirmAccount"] == {
        "user": {"email": "ada@example.com", "phone": None, "isConfirmed": True},
        "errors": [],
    }
    signed_in = gql(TOKEN_CREATE, {"email": "ADA@example.com", "password": PASSWORD})
    assert signed_in["data"]["tokenCreate"]["errors"] == []
    assert signed_in["data"]["tokenCreate"]["token"]

    again = gql(CONFIRM, {"email": "ada@example.com", "token": query["token"][0]})
    assert again["data"]["confirmAccount"]["errors"][0]["code"] == "ACCOUNT_CONFIRMED"


@pytest.mark.django_db
def test_phone_sign_up_gets_a_code_by_sms(gql, plugin_kit, caplog):
    payload = register(gql, phone="+2348031234567")
    assert payload["errors"] == []
    user = User.objects.get(phone="+2348031234567")
    assert user.email is None
    assert user.registration_method == "phone"

    with caplog.at_level(logging.INFO, logger="plugins.notifications.plugin"):
        plugin_kit.deliver()
    [sms] = [r.getMessage() for r in caplog.records if r.getMessage().startswith("SMS to")]
    assert sms.startswith("SMS to +2348031234567: Your Fashionistar confirmation code is ")
    code = sms.rsplit(" ", 1)[1].rstrip(".")
    assert len(code) == 6 and code.isdigit()

    wrong = gql(
        CONFIRM, {"phone": "+2348031234567", "token": "000000" if code != "000000" else "111111"}
    )
    assert wrong["data"]["confirmAccount"]["errors"][0]["code"] == "INVALID_TOKEN"
    right = gql(CONFIRM, {"phone": "+2348031234567", "token": code})
    assert right["data"]["confirmAccount"]["user"]["isConfirmed"] is True
    signed_in = gql(TOKEN_CREATE, {"phone": "+2348031234567", "password": PASSWORD})
    assert signed_in["data"]["tokenCreate"]["user"]["phone"] == "+2348031234567"


@pytest.mark.django_db
def test_a_code_is_retired_after_too_many_wrong_guesses(gql, plugin_kit, caplog, settings):
    settings.ACCOUNT_CODE_MAX_ATTEMPTS = 3
    register(gql, phone="+2348031234567")
    with caplog.at_level(logging.INFO, logger="plugins.notifications.plugin"):
        plugin_kit.deliver()
    code = next(r.getMessage() for r in caplog.records if "SMS to" in r.getMessage())
    code = code.rsplit(" ", 1)[1].rstrip(".")
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(3):
        gql(CONFIRM, {"phone": "+2348031234567", "token": wrong})

    late = gql(CONFIRM, {"phone": "+2348031234567", "token": code})
    assert late["data"]["confirmAccount"]["errors"][0]["code"] == "INVALID_TOKEN"
    assert not User.objects.get(phone="+2348031234567").is_confirmed


@pytest.mark.django_db
def test_without_a_redirect_url_the_email_carries_the_token(gql, plugin_kit, mailoutbox):
    register(gql, email="ada@example.com")
    plugin_kit.deliver()
    token = sent_token(mailoutbox[0])
    confirmed = gql(CONFIRM, {"email": "ada@example.com", "token": token})
    assert confirmed["data"]["confirmAccount"]["errors"] == []


@pytest.mark.embedded
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"email": "not-an-email"}, "email", "INVALID"),
        ({"email": "a" * 250 + "@example.com"}, "email", "INVALID"),
        ({"phone": "08031234567"}, "phone", "INVALID_PHONE"),
        ({"phone": "+1555"}, "phone", "INVALID_PHONE"),
        ({}, "email", "REQUIRED"),
        ({"email": "ada@example.com", "password": "123"}, "password", "PASSWORD_TOO_SHORT"),
        (
            {"email": "ada@example.com", "password": "password123"},
            "password",
            "PASSWORD_TOO_COMMON",
        ),
        (
            {"email": "ada@example.com", "password": "83749201745"},
            "password",
            "PASSWORD_ENTIRELY_NUMERIC",
        ),
        (
            {"email": "ada@example.com", "redirectUrl": "https://evil.example/x"},
            "redirectUrl",
            "INVALID",
        ),
        ({"email": "ada@example.com", "channel": "nope"}, "channel", "NOT_FOUND"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(gql, fields, field, code):
    payload = register(gql, **fields)

    assert {"field": field, "code": code} in [
        {"field": e["field"], "code": e["code"]} for e in payload["errors"]
    ]
    assert payload["user"] is None
    assert not User.objects.exists()


@pytest.mark.django_db
def test_an_email_or_phone_can_hold_only_one_account(gql, person):
    person("ada@example.com")
    person(phone="+2348031234567")

    assert register(gql, email="ADA@example.com")["errors"][0]["code"] == "UNIQUE"
    assert register(gql, phone="+2348031234567")["errors"][0]["code"] == "UNIQUE"
    assert User.objects.count() == 2


class CustomerListener:
    id = "tests.customer_listener"
    name = "Customer listener"
    per_channel = False
    default_active = True
    config_fields = ()

    def __init__(self) -> None:
        self.seen: list[dict] = []

    @hookimpl
    def customer_created(self, event, config) -> None:
        self.seen.append(event.payload)


@pytest.mark.django_db
def test_sign_up_emits_customer_created_through_the_outbox(gql, plugin_kit):
    listener = plugin_kit.register(CustomerListener())

    register(gql, email="ada@example.com")

    notifications = [
        d for d in plugin_kit.deliveries() if d.event.event_type == "notification_requested"
    ]
    assert notifications and all(d.status == "pending" for d in notifications)  # not inline
    assert listener.seen == []
    plugin_kit.deliver()
    user = User.objects.get()
    assert listener.seen == [{"user": {"id": user.pk, "email": "ada@example.com", "phone": None}}]
