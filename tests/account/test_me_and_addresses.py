"""``me``, profile updates, the address book (validated per country), account deletion."""

from __future__ import annotations

import pytest

from account.models import Address, User
from tests.account.conftest import PASSWORD, TOKEN_CREATE, sent_token

ME = """
{ me { email firstName lastName
       addresses { id city postalCode country { code } }
       defaultShippingAddress { id } defaultBillingAddress { id } } }
"""
CREATE = """
mutation($input: AddressInput!, $type: AddressTypeEnum) {
  accountAddressCreate(input: $input, type: $type) {
    address { id streetAddress1 city postalCode countryArea country { code country } phone }
    user { defaultShippingAddress { id } defaultBillingAddress { id } }
    errors { field code message }
  }
}
"""
UPDATE = """
mutation($id: ID!, $input: AddressInput!) {
  accountAddressUpdate(id: $id, input: $input) {
    address { id city postalCode } errors { field code message }
  }
}
"""
DELETE = """
mutation($id: ID!) {
  accountAddressDelete(id: $id) { user { addresses { id } defaultShippingAddress { id } }
                                  errors { field code } }
}
"""
SET_DEFAULT = """
mutation($id: ID!, $type: AddressTypeEnum!) {
  accountSetDefaultAddress(id: $id, type: $type) {
    user { defaultShippingAddress { id } defaultBillingAddress { id } } errors { field code }
  }
}
"""
LAGOS = {
    "firstName": "Alice",
    "streetAddress1": "12 Allen Avenue",
    "city": "Ikeja",
    "countryArea": "Lagos",
    "country": "NG",
    "phone": "0803 123 4567",
}
NEW_YORK = {
    "streetAddress1": "1 Main St",
    "city": "New York",
    "countryArea": "NY",
    "postalCode": "10001",
    "country": "US",
}


def add(person, data, kind=None):
    return person(CREATE, {"input": data, "type": kind})["data"]["accountAddressCreate"]


@pytest.mark.django_db
def test_me_and_account_update(alice):
    result = alice(
        'mutation { accountUpdate(input: {firstName: " Alicia ", lastName: "Okafor"}) '
        "{ user { firstName lastName } errors { code } } }"
    )
    assert result["data"]["accountUpdate"] == {
        "user": {"firstName": "Alicia", "lastName": "Okafor"},
        "errors": [],
    }
    me = alice(ME)["data"]["me"]
    assert me["email"] == "alice@example.com"
    assert me["lastName"] == "Okafor"
    assert me["addresses"] == []


@pytest.mark.embedded
@pytest.mark.django_db
def test_first_address_becomes_both_defaults_and_is_normalised(alice):
    payload = add(alice, LAGOS)

    assert payload["errors"] == []
    address = payload["address"]
    assert address["city"] == "IKEJA"
    assert address["country"] == {"code": "NG", "country": "Nigeria"}
    assert address["phone"] == "+2348031234567"
    assert payload["user"]["defaultShippingAddress"]["id"] == address["id"]
    assert payload["user"]["defaultBillingAddress"]["id"] == address["id"]

    second = add(alice, NEW_YORK, "BILLING")
    assert second["user"]["defaultShippingAddress"]["id"] == address["id"]
    assert second["user"]["defaultBillingAddress"]["id"] == second["address"]["id"]


@pytest.mark.embedded
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({**NEW_YORK, "postalCode": "1000"}, [("postal_code", "INVALID")]),
        (
            {"streetAddress1": "1 Main St", "city": "New York", "country": "US"},
            [("country_area", "REQUIRED"), ("postal_code", "REQUIRED")],
        ),
        (
            {"streetAddress1": "1 High St", "city": "London", "country": "GB"},
            [("postal_code", "REQUIRED")],
        ),
        ({**LAGOS, "country": "ZZ"}, [("country", "INVALID")]),
        ({**LAGOS, "phone": "12"}, [("phone", "INVALID_PHONE")]),
        ({**LAGOS, "streetAddress1": "x" * 300}, [("street_address_1", "INVALID")]),
    ],
)
def test_addresses_are_validated_per_country_and_nothing_is_written(alice, data, errors):
    payload = add(alice, data)

    assert [(e["field"], e["code"]) for e in payload["errors"]] == errors
    assert payload["address"] is None
    assert not Address.objects.exists()


@pytest.mark.django_db
def test_update_delete_and_defaults(alice):
    first = add(alice, LAGOS)["address"]["id"]
    second = add(alice, NEW_YORK)["address"]["id"]

    updated = alice(UPDATE, {"id": second, "input": {"postalCode": "10002"}})
    assert updated["data"]["accountAddressUpdate"]["address"]["postalCode"] == "10002"
    bad = alice(UPDATE, {"id": second, "input": {"postalCode": "ABC"}})
    assert bad["data"]["accountAddressUpdate"]["errors"][0]["code"] == "INVALID"

    moved = alice(SET_DEFAULT, {"id": second, "type": "SHIPPING"})["data"]
    assert moved["accountSetDefaultAddress"]["user"]["defaultShippingAddress"]["id"] == second

    deleted = alice(DELETE, {"id": second})["data"]["accountAddressDelete"]
    assert deleted["errors"] == []
    assert deleted["user"] == {"addresses": [{"id": first}], "defaultShippingAddress": None}


@pytest.mark.embedded
@pytest.mark.django_db
def test_a_customer_cannot_read_or_change_another_customers_addresses(alice, bob):
    address_id = add(alice, LAGOS)["address"]["id"]

    attempts = [
        bob(UPDATE, {"id": address_id, "input": {"city": "Abuja"}})["data"]["accountAddressUpdate"],
        bob(DELETE, {"id": address_id})["data"]["accountAddressDelete"],
        bob(SET_DEFAULT, {"id": address_id, "type": "BILLING"})["data"]["accountSetDefaultAddress"],
    ]

    assert [a["errors"] for a in attempts] == [[{"field": "id", "code": "NOT_FOUND"}]] * 3 or all(
        a["errors"][0]["code"] == "NOT_FOUND" for a in attempts
    )
    assert bob(ME)["data"]["me"]["addresses"] == []
    assert Address.objects.get().city == "IKEJA"
    assert User.objects.get(pk=bob.user.pk).default_billing_address is None


@pytest.mark.django_db
def test_anonymous_cannot_touch_addresses(gql, alice):
    address_id = add(alice, LAGOS)["address"]["id"]
    result = gql(DELETE, {"id": address_id})["data"]["accountAddressDelete"]
    assert result["errors"][0]["code"] == "PERMISSION_DENIED"
    assert Address.objects.count() == 1


@pytest.mark.django_db
def test_address_copy_is_an_independent_snapshot(alice):
    add(alice, LAGOS)
    original = Address.objects.get()

    copy = original.copy()
    original.city = "ABUJA"
    original.save()

    copy.refresh_from_db()
    assert copy.pk != original.pk
    assert copy.city == "IKEJA"
    assert copy.as_data() == {**original.as_data(), "city": "IKEJA"}


@pytest.mark.django_db
def test_account_deletion_by_emailed_token_erases_personal_data(alice, gql, plugin_kit, mailoutbox):
    add(alice, LAGOS)
    requested = alice(
        'mutation { accountRequestDeletion(redirectUrl: "http://localhost/delete") '
        "{ errors { code } } }"
    )
    assert requested["data"]["accountRequestDeletion"]["errors"] == []
    plugin_kit.deliver()
    token = sent_token(mailoutbox[-1])
    assert mailoutbox[-1].subject == "Confirm the deletion of your account"

    wrong = alice('mutation { accountDelete(token: "nope") { errors { code } } }')
    assert wrong["data"]["accountDelete"]["errors"] == [{"code": "INVALID_TOKEN"}]
    deleted = alice(
        "mutation($t: String!) { accountDelete(token: $t) { errors { code } } }", {"t": token}
    )
    assert deleted["data"]["accountDelete"]["errors"] == []

    user = User.objects.get(pk=alice.user.pk)
    assert user.anonymized_at is not None
    assert user.email.endswith("@anonymized.invalid")
    assert (user.first_name, user.phone, user.is_active) == ("", None, False)
    assert not user.has_usable_password()
    assert not Address.objects.exists()
    assert (
        gql.raw(
            {"query": "{ me { email } }"}, HTTP_AUTHORIZATION=f"Bearer {alice.token}"
        ).status_code
        == 401
    )
    signed_in = gql(TOKEN_CREATE, {"email": "alice@example.com", "password": PASSWORD})
    assert signed_in["data"]["tokenCreate"]["errors"][0]["code"] == "INVALID_CREDENTIALS"
