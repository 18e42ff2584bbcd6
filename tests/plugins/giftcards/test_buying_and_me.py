"""Customers buy gift cards as products (a card per unit on payment, emailed with its code)
and see their own cards in ``me { giftCards }``."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail

from checkout import services
from checkout.complete import complete_checkout
from checkout.models import Checkout
from checkout.services import LineInput
from core.models import OutboxEvent
from core.permissions import Perm
from plugins.giftcards.models import GiftCard, GiftCardEvent
from tests.checkout.conftest import LAGOS, pay
from tests.order.storefront import ADD_PROMO, client_for, gid, make_customer, ok
from tests.plugins.giftcards.conftest import issue_card
from tests.product import factories

pytestmark = pytest.mark.django_db

PLUGIN = "fashionistar.giftcards"

MY_CARDS = """
{ me { email giftCards(first: 10) { totalCount edges { node {
    code last4CodeChars currentBalance { amount currency } expiryDate events { type }
} } } } }
"""


@pytest.fixture
def gift_variant(shop, channel):
    from warehouse.services import StockInput, set_stocks

    gift_type = factories.product_type(shop.catalog.attrs, "Gift card")
    product = factories.product(gift_type, "Fashionistar gift card", channels=(channel,))
    variant = factories.variant(product, "GIFT-10K", size="S", prices={channel: "10000.50"})
    set_stocks(actor=None, items=[StockInput(variant, shop.warehouses["lagos"], 50)])
    return variant


def buy(shop, user, lines):
    checkout = services.create_checkout(
        user=user,
        channel="default-channel",
        email=user.email,
        lines=[LineInput(variant.pk, quantity) for variant, quantity in lines],
        shipping_address=LAGOS,
        billing_address=LAGOS,
    )
    checkout = services.update_delivery_method(checkout, shop.standard.pk)
    pay(checkout)
    order, _ = complete_checkout(checkout.token)
    return order


def test_paying_for_gift_card_products_issues_one_card_per_unit(shop, plugin_kit, gift_variant):
    plugin_kit.activate(
        PLUGIN,
        channel="default-channel",
        config={"product_types": [gift_variant.product.product_type.slug]},
    )
    buyer = make_customer("ada@example.com")

    order = buy(shop, buyer, [(gift_variant, 2), (shop.catalog.variants["RD-S"], 1)])
    plugin_kit.deliver(rounds=3)  # order_paid, then the notification it asks for

    cards = list(GiftCard.objects.order_by("order_line_unit"))
    assert len(cards) == 2  # the dress is not a gift card
    for unit, card in enumerate(cards, start=1):
        assert card.customer == buyer
        assert (card.initial_balance, card.current_balance) == (Decimal("10000.50"),) * 2
        assert card.currency == "NGN"
        assert card.source == "PURCHASE" and card.order_number == order.number
        assert card.order_line_unit == unit
        assert card.expiry_date is not None  # 365 days by default
        assert list(card.events.values_list("type", flat=True)) == ["BOUGHT", "SENT_TO_CUSTOMER"]
    [message] = [m for m in mail.outbox if "gift card" in m.subject]
    assert message.to == ["ada@example.com"]
    for card in cards:
        assert card.code in message.body

    # A replayed order_paid issues nothing new and sends nothing again.
    event = OutboxEvent.objects.get(event_type="order_paid")
    plugin_kit.redeliver(event.id, PLUGIN)
    plugin_kit.deliver(rounds=2)
    assert GiftCard.objects.count() == 2
    assert len([m for m in mail.outbox if "gift card" in m.subject]) == 1


def test_without_configured_product_types_nothing_is_issued(shop, plugin_kit, gift_variant):
    buy(shop, make_customer("ada@example.com"), [(gift_variant, 1)])
    plugin_kit.deliver(rounds=2)
    assert not GiftCard.objects.exists()


def test_a_bought_card_pays_for_the_next_order(shop, plugin_kit, gift_variant, gql):
    plugin_kit.activate(
        PLUGIN,
        channel="default-channel",
        config={"product_types": [gift_variant.product.product_type.slug]},
    )
    buyer = make_customer("ada@example.com")
    buy(shop, buyer, [(gift_variant, 1)])
    plugin_kit.deliver(rounds=2)
    card = GiftCard.objects.get()

    checkout = services.create_checkout(
        user=buyer,
        channel="default-channel",
        email=buyer.email,
        lines=[LineInput(shop.catalog.variants["RD-S"].pk, 1)],
        shipping_address=LAGOS,
        billing_address=LAGOS,
    )
    checkout = services.update_delivery_method(checkout, shop.standard.pk)
    body = client_for(buyer)(ADD_PROMO, {"id": gid("Checkout", checkout.token), "code": card.code})
    payload = ok(body, "checkoutAddPromoCode")["checkout"]
    assert payload["totalPrice"]["gross"]["amount"] == 17499.5  # 27500 - 10000.50
    assert payload["giftCards"] == [{"id": gid("GiftCard", card.pk)}]


def test_me_gift_cards_lists_only_my_cards_with_their_codes(gql, channel):
    ada = make_customer("ada@example.com")
    bola = make_customer("bola@example.com")
    mine = issue_card("5000", customer=ada)
    issue_card("7000", customer=bola)
    issue_card("9000")

    body = client_for(ada)(MY_CARDS)

    cards = body["data"]["me"]["giftCards"]
    assert cards["totalCount"] == 1
    [node] = [edge["node"] for edge in cards["edges"]]
    assert node["code"] == mine.code  # the owner sees the whole code
    assert node["currentBalance"] == {"amount": 5000.0, "currency": "NGN"}
    assert node["events"] == [{"type": "ISSUED"}]
    assert gql(MY_CARDS)["data"]["me"] is None


def test_another_persons_cards_are_hidden_in_user_queries(staff_user, channel):
    ada = make_customer("ada@example.com")
    issue_card("5000", customer=ada)
    query = (
        "query($id: ID!) { user(id: $id) { giftCards(first: 5) { totalCount"
        " edges { node { code } } } } }"
    )
    variables = {"id": gid("User", ada.pk)}

    users_only = client_for(staff_user, Perm.MANAGE_USERS)(query, variables)
    assert users_only["data"]["user"]["giftCards"]["totalCount"] == 0

    staff_user.refresh_from_db()
    both = client_for(staff_user, Perm.MANAGE_USERS, Perm.MANAGE_GIFT_CARDS)(query, variables)
    assert both["data"]["user"]["giftCards"]["totalCount"] == 1


def test_someone_elses_checkout_shows_the_card_masked(shop, gql):
    """A card typed into a guest checkout: its code is never echoed back in full."""
    ada = make_customer("ada@example.com")
    card = issue_card("5000", customer=ada)
    checkout = services.create_checkout(
        user=None,
        channel="default-channel",
        email="guest@example.com",
        lines=[LineInput(shop.catalog.variants["RD-S"].pk, 1)],
    )
    services.add_promo_code(checkout, card.code)
    body = gql(
        "query($id: ID) { checkout(id: $id) { giftCards { code } } }",
        {"id": gid("Checkout", checkout.token)},
    )
    assert body["data"]["checkout"]["giftCards"] == [{"code": f"****{card.code[-4:]}"}]
    assert Checkout.objects.get().gift_card_codes == [card.code]
    assert GiftCardEvent.objects.count() == 1
