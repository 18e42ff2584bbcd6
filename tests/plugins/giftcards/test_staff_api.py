"""Staff issue and manage gift cards over GraphQL (MANAGE_GIFT_CARDS); every write audited."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from account.models import AuditEvent
from core.permissions import Perm
from plugins.giftcards.models import GiftCard, GiftCardEvent
from plugins.giftcards.rules import ALPHABET, CODE_LENGTH
from tests.order.storefront import client_for, gid, make_customer
from tests.plugins.giftcards.conftest import GIFT_CARD_FIELDS, issue_card

pytestmark = pytest.mark.django_db

ERRORS = "errors { field code message }"
CREATE = f"""
mutation($input: GiftCardCreateInput!) {{
  giftCardCreate(input: $input) {{
    giftCard {{ {GIFT_CARD_FIELDS} customerEmail events {{ type amount {{ amount }}
      balance {{ amount }} email }} }}
    {ERRORS}
  }}
}}
"""
UPDATE = f"""
mutation($id: ID!, $input: GiftCardUpdateInput!) {{
  giftCardUpdate(id: $id, input: $input) {{
    giftCard {{ {GIFT_CARD_FIELDS} customerEmail events {{ type }} }} {ERRORS}
  }}
}}
"""
DEACTIVATE = f"""
mutation($id: ID!) {{ giftCardDeactivate(id: $id) {{ giftCard {{ isActive }} {ERRORS} }} }}
"""
ACTIVATE = f"""
mutation($id: ID!) {{ giftCardActivate(id: $id) {{ giftCard {{ isActive }} {ERRORS} }} }}
"""
LIST = """
query($filter: GiftCardFilterInput) {
  giftCards(first: 20, filter: $filter) {
    totalCount edges { node { id code last4CodeChars currentBalance { amount } } }
  }
}
"""


def staff_client(staff_user, *perms):
    return client_for(staff_user, *perms)


def test_staff_issue_a_card_with_a_generated_code(staff_user, channel):
    customer = make_customer("ada@example.com")
    client = staff_client(staff_user, Perm.MANAGE_GIFT_CARDS)
    expiry = (timezone.localdate() + timedelta(days=30)).isoformat()

    body = client(
        CREATE,
        {
            "input": {
                "balance": {"amount": "15000.50", "currency": "ngn"},
                "expiryDate": expiry,
                "userEmail": "ADA@example.com",
                "note": "Apology for a late delivery",
            }
        },
    )

    payload = body["data"]["giftCardCreate"]
    assert payload["errors"] == []
    shown = payload["giftCard"]
    card = GiftCard.objects.get()
    assert len(card.code) == CODE_LENGTH and set(card.code) <= set(ALPHABET)
    assert shown["code"] == card.code  # staff see it in full
    assert shown["initialBalance"] == {"amount": 15000.5, "currency": "NGN"}
    assert shown["currentBalance"] == {"amount": 15000.5, "currency": "NGN"}
    assert shown["expiryDate"] == expiry
    assert shown["customerEmail"] == "ada@example.com"
    assert shown["events"] == [
        {
            "type": "ISSUED",
            "amount": {"amount": 15000.5},
            "balance": {"amount": 15000.5},
            "email": "staff@example.com",
        }
    ]
    assert card.customer == customer and card.created_by == staff_user
    audit = AuditEvent.objects.get(content_type__model="giftcard", action=AuditEvent.Action.CREATE)
    assert audit.actor == staff_user
    assert card.code not in str(audit.changes) and card.code not in str(audit.serialized_data)


def test_codes_are_unique_ignoring_case_and_differ_every_time(staff_user):
    client = staff_client(staff_user, Perm.MANAGE_GIFT_CARDS)
    balance = {"amount": "100", "currency": "NGN"}
    first = client(CREATE, {"input": {"balance": balance, "code": "summer-2026-ada"}})
    assert first["data"]["giftCardCreate"]["giftCard"]["code"] == "SUMMER-2026-ADA"

    again = client(CREATE, {"input": {"balance": balance, "code": "Summer-2026-ADA"}})

    assert again["data"]["giftCardCreate"]["errors"] == [
        {
            "field": "code",
            "code": "GIFT_CARD_CODE_TAKEN",
            "message": "A gift card with this code exists.",
        }
    ]
    generated = {issue_card("1").code for _ in range(20)}
    assert len(generated) == 20


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"balance": {"amount": "0", "currency": "NGN"}}, "balance"),
        ({"balance": {"amount": "10.001", "currency": "NGN"}}, "balance"),
        ({"balance": {"amount": "10", "currency": "XX"}}, "currency"),
        ({"balance": {"amount": "10", "currency": "NGN"}, "code": "short"}, "code"),
        (
            {"balance": {"amount": "10", "currency": "NGN"}, "expiryDate": "2020-01-01"},
            "expiryDate",
        ),
        (
            {"balance": {"amount": "10", "currency": "NGN"}, "userEmail": "nobody@x.com"},
            "userEmail",
        ),
    ],
)
def test_bad_input_is_a_typed_error_and_issues_nothing(staff_user, values, field):
    """(A negative amount is not a PositiveDecimal: the request itself is invalid.)"""
    body = staff_client(staff_user, Perm.MANAGE_GIFT_CARDS)(CREATE, {"input": values})
    [error] = body["data"]["giftCardCreate"]["errors"]
    assert error["field"] == field
    assert not GiftCard.objects.exists()


def test_update_deactivate_and_activate_are_events(staff_user):
    card = issue_card("5000")
    customer = make_customer("ada@example.com")
    client = staff_client(staff_user, Perm.MANAGE_GIFT_CARDS)
    expiry = (timezone.localdate() + timedelta(days=10)).isoformat()

    body = client(
        UPDATE,
        {
            "id": gid("GiftCard", card.pk),
            "input": {"expiryDate": expiry, "userEmail": customer.email},
        },
    )
    shown = body["data"]["giftCardUpdate"]["giftCard"]
    assert shown["expiryDate"] == expiry and shown["customerEmail"] == "ada@example.com"

    assert client(DEACTIVATE, {"id": gid("GiftCard", card.pk)})["data"]["giftCardDeactivate"] == {
        "giftCard": {"isActive": False},
        "errors": [],
    }
    assert client(ACTIVATE, {"id": gid("GiftCard", card.pk)})["data"]["giftCardActivate"][
        "giftCard"
    ] == {"isActive": True}
    body = client(UPDATE, {"id": gid("GiftCard", card.pk), "input": {"expiryDate": None}})
    assert body["data"]["giftCardUpdate"]["giftCard"]["expiryDate"] is None

    assert list(card.events.values_list("type", flat=True)) == [
        "ISSUED",
        "EXPIRY_DATE_UPDATED",
        "CUSTOMER_UPDATED",
        "DEACTIVATED",
        "ACTIVATED",
        "EXPIRY_DATE_UPDATED",
    ]
    card.refresh_from_db()
    assert card.current_balance == Decimal("5000")
    assert AuditEvent.objects.filter(content_type__model="giftcard").count() == 4


def test_list_and_filter(staff_user):
    customer = make_customer("ada@example.com")
    mine = issue_card("1000", customer=customer)
    usd = issue_card("20", "USD")
    off = issue_card("300", is_active=False)
    client = staff_client(staff_user, Perm.MANAGE_GIFT_CARDS)

    def ids(filter_):
        body = client(LIST, {"filter": filter_})
        return {e["node"]["id"] for e in body["data"]["giftCards"]["edges"]}

    assert ids(None) == {gid("GiftCard", c.pk) for c in (mine, usd, off)}
    assert ids({"code": mine.code.lower()}) == {gid("GiftCard", mine.pk)}
    assert ids({"code": usd.code[-4:]}) == {gid("GiftCard", usd.pk)}
    assert ids({"currency": "usd"}) == {gid("GiftCard", usd.pk)}
    assert ids({"isActive": False}) == {gid("GiftCard", off.pk)}
    assert ids({"userEmail": "ADA@example.com"}) == {gid("GiftCard", mine.pk)}


def test_without_the_permission_everything_is_refused_and_nothing_changes(staff_user, gql):
    card = issue_card("5000")
    customer = make_customer("ada@example.com")
    for client in (staff_client(staff_user), client_for(customer), gql):
        body = client(CREATE, {"input": {"balance": {"amount": "10", "currency": "NGN"}}})
        assert [e["code"] for e in body["data"]["giftCardCreate"]["errors"]] == [
            "PERMISSION_DENIED"
        ]
        body = client(DEACTIVATE, {"id": gid("GiftCard", card.pk)})
        assert [e["code"] for e in body["data"]["giftCardDeactivate"]["errors"]] == [
            "PERMISSION_DENIED"
        ]
        body = client(LIST)
        assert body["data"]["giftCards"] is None
        assert body["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    assert GiftCard.objects.count() == 1
    card.refresh_from_db()
    assert card.is_active
    assert list(GiftCardEvent.objects.values_list("type", flat=True)) == ["ISSUED"]


def test_demo_cards_are_loaded_once():
    from plugins.giftcards.demo import DEMO_CARDS, populate

    populate()
    populate()
    assert sorted(GiftCard.objects.values_list("code", "current_balance", "currency")) == sorted(
        (code, balance, currency) for code, balance, currency, _ in DEMO_CARDS
    )


def test_listing_costs_the_same_queries_for_any_page_size(staff_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = staff_client(staff_user, Perm.MANAGE_GIFT_CARDS)
    query = """
    { giftCards(first: 50) { edges { node {
        code customerEmail events { type email balance { amount } }
    } } } }
    """

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            body = client(query)
        assert "errors" not in body, body
        return len(queries)

    issue_card("10", customer=make_customer("a@example.com"))
    issue_card("20", customer=make_customer("b@example.com"))
    few = count()
    for n in range(6):
        issue_card("30", customer=make_customer(f"c{n}@example.com"))
    assert count() == few
