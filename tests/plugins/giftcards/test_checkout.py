"""Paying with gift cards: checkoutAddPromoCode recognises a card, the amount due drops by
its balance, completion spends exactly that in the order's transaction."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from checkout import services
from checkout.complete import complete_checkout
from checkout.fetch import fetch_lines
from checkout.models import Checkout
from checkout.pricing import calculate
from core.errors import DomainError
from order.models import Order
from plugins.giftcards.models import GiftCard, GiftCardEvent
from tests.checkout.conftest import pay, ready_checkout
from tests.order.storefront import ADD_PROMO, REMOVE_PROMO, codes, gid, ok
from tests.plugins.giftcards.conftest import GIFT_CARD_FIELDS, issue_card

pytestmark = [pytest.mark.django_db, pytest.mark.embedded]

WITH_CARDS = ADD_PROMO.replace("giftCards { id }", "giftCards {" + GIFT_CARD_FIELDS + "}")


def total_of(checkout: Checkout) -> Decimal:
    checkout.refresh_from_db()
    return calculate(checkout, fetch_lines(checkout)).total.gross.amount


def test_a_gift_card_code_lowers_the_total_and_shows_in_gift_cards(shop, gql):
    card = issue_card("10000.50")
    checkout = ready_checkout(shop)  # RD-S 25000 + 2500 shipping
    body = gql(WITH_CARDS, {"id": gid("Checkout", checkout.token), "code": card.code.lower()})

    payload = ok(body, "checkoutAddPromoCode")["checkout"]
    assert payload["voucherCode"] is None
    [shown] = payload["giftCards"]
    assert shown["id"] == gid("GiftCard", card.pk)
    assert shown["code"] == f"****{card.code[-4:]}"  # anonymous buyer: masked
    assert shown["displayCode"] == f"****{card.code[-4:]}"
    assert shown["last4CodeChars"] == card.code[-4:]
    assert shown["currentBalance"] == {"amount": 10000.5, "currency": "NGN"}
    assert payload["subtotalPrice"]["gross"]["amount"] == 25000.0
    assert payload["totalPrice"]["gross"] == {"amount": 17499.5}
    assert payload["totalPrice"]["currency"] == "NGN"
    card.refresh_from_db()
    assert card.current_balance == Decimal("10000.50")  # nothing spent before completion


def test_partial_balance_completion_spends_it_exactly(shop):
    card = issue_card("10000.50")
    checkout = ready_checkout(shop)
    services.add_promo_code(checkout, f"  {card.code.lower()} ")
    assert total_of(checkout) == Decimal("17499.50")
    pay(checkout)  # the rest, 17499.50, by the dummy gateway
    order, created = complete_checkout(checkout.token)

    assert created
    assert order.total_gross == Decimal("17499.50")
    assert order.charge_status == "FULL"
    card.refresh_from_db()
    assert card.current_balance == Decimal("0")
    assert card.last_used_at is not None
    used = card.events.get(type=GiftCardEvent.Type.USED_IN_ORDER)
    assert (used.amount, used.balance_after, used.order_number) == (
        Decimal("-10000.50"),
        Decimal("0"),
        order.number,
    )


def test_a_card_worth_more_than_the_total_pays_all_and_keeps_the_rest(shop):
    card = issue_card("30000.01")
    checkout = ready_checkout(shop)
    services.add_promo_code(checkout, card.code)
    assert total_of(checkout) == Decimal("0.00")

    order, _ = complete_checkout(checkout.token)  # nothing left to pay by other means

    assert order.total_gross == Decimal("0")
    assert order.charge_status == "FULL"
    card.refresh_from_db()
    assert card.current_balance == Decimal("2500.01")  # 30000.01 - 27500.00
    assert card.events.get(type="USED_IN_ORDER").amount == Decimal("-27500.00")


def test_two_cards_are_used_in_the_order_they_were_added(shop):
    first = issue_card("20000")
    second = issue_card("20000")
    checkout = ready_checkout(shop)
    services.add_promo_code(checkout, first.code)
    services.add_promo_code(checkout, second.code)
    services.add_promo_code(checkout, second.code.lower())  # again: still once
    checkout.refresh_from_db()
    assert checkout.gift_card_codes == [first.code, second.code]

    order, _ = complete_checkout(checkout.token)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.current_balance, second.current_balance) == (Decimal("0"), Decimal("12500"))
    assert order.total_gross == Decimal("0")


def test_usd_minor_units(shop, channel_usd):
    card = issue_card("12.34", "USD")
    checkout = ready_checkout(shop, channel="channel-usd")  # 30.00 + 15.00 shipping
    services.add_promo_code(checkout, card.code)
    assert total_of(checkout) == Decimal("32.66")
    pay(checkout)
    order, _ = complete_checkout(checkout.token)
    assert order.total_gross == Decimal("32.66")
    card.refresh_from_db()
    assert card.current_balance == Decimal("0")


@pytest.mark.parametrize(
    ("setup", "code"),
    [
        ("expired", "GIFT_CARD_EXPIRED"),
        ("inactive", "GIFT_CARD_INACTIVE"),
        ("usd", "GIFT_CARD_CURRENCY_MISMATCH"),
        ("empty", "GIFT_CARD_NO_BALANCE"),
    ],
)
def test_unusable_cards_are_typed_errors_and_change_nothing(shop, gql, channel_usd, setup, code):
    card = issue_card("5000", "USD" if setup == "usd" else "NGN", is_active=setup != "inactive")
    if setup == "expired":
        GiftCard.objects.filter(pk=card.pk).update(
            expiry_date=timezone.localdate() - timedelta(days=1)
        )
    if setup == "empty":
        GiftCard.objects.filter(pk=card.pk).update(current_balance=0)
    checkout = ready_checkout(shop)

    body = gql(ADD_PROMO, {"id": gid("Checkout", checkout.token), "code": card.code})

    assert codes(body, "checkoutAddPromoCode") == [code]
    checkout.refresh_from_db()
    assert checkout.gift_card_codes == []
    assert checkout.voucher_code == ""


def test_a_card_expiring_today_still_works(shop):
    card = issue_card("1000", expiry_date=timezone.localdate())
    checkout = ready_checkout(shop)
    services.add_promo_code(checkout, card.code)
    assert total_of(checkout) == Decimal("26500.00")


def test_an_unknown_code_is_invalid_and_guessing_is_rate_limited(shop, gql):
    card = issue_card("1000")
    checkout = ready_checkout(shop)
    variables = {"id": gid("Checkout", checkout.token)}
    for attempt in range(10):
        body = gql(ADD_PROMO, {**variables, "code": f"GUESS{attempt:04d}XYZ"})
        assert codes(body, "checkoutAddPromoCode") == ["INVALID_PROMO_CODE"]

    body = gql(ADD_PROMO, {**variables, "code": card.code})

    assert codes(body, "checkoutAddPromoCode") == ["RATE_LIMITED"]
    checkout.refresh_from_db()
    assert checkout.gift_card_codes == []
    other = ready_checkout(shop)  # the limit is per checkout
    assert (
        codes(
            gql(ADD_PROMO, {"id": gid("Checkout", other.token), "code": card.code}),
            "checkoutAddPromoCode",
        )
        == []
    )


def test_removing_the_code_removes_the_card(shop, gql):
    card = issue_card("1000")
    checkout = ready_checkout(shop)
    services.add_promo_code(checkout, card.code)
    body = gql(REMOVE_PROMO, {"id": gid("Checkout", checkout.token), "code": card.code.lower()})
    payload = ok(body, "checkoutRemovePromoCode")["checkout"]
    assert payload["giftCards"] == []
    assert payload["totalPrice"]["gross"]["amount"] == 27500.0


def test_a_card_spent_elsewhere_meanwhile_fails_completion_and_writes_nothing(shop):
    card = issue_card("27500")
    checkout = ready_checkout(shop)
    services.add_promo_code(checkout, card.code)
    other = ready_checkout(shop)
    services.add_promo_code(other, card.code)
    complete_checkout(other.token)  # takes the whole balance

    with pytest.raises(DomainError) as excinfo:
        complete_checkout(checkout.token)

    assert excinfo.value.code == "GIFT_CARD_NO_BALANCE"
    assert Order.objects.count() == 1
    assert Checkout.objects.filter(token=checkout.token).exists()
    card.refresh_from_db()
    assert card.current_balance == Decimal("0")
    assert card.events.filter(type="USED_IN_ORDER").count() == 1


def test_a_card_that_lost_part_of_its_balance_is_refused_at_redeem(shop):
    """The plan the checkout was priced with no longer holds once the row is locked."""
    from plugins.giftcards import redeem

    card = issue_card("27500")
    checkout = ready_checkout(shop)
    services.add_promo_code(checkout, card.code)
    checkout.refresh_from_db()
    prices = calculate(checkout, fetch_lines(checkout))
    assert prices.total.gross.amount == 0
    # Another order spends part of the card after this checkout was priced.
    GiftCard.objects.filter(pk=card.pk).update(current_balance=Decimal("100"))
    order = Order(
        number=999,
        currency="NGN",
        subtotal_net=prices.subtotal.net.amount,
        subtotal_gross=prices.subtotal.gross.amount,
        shipping_net=prices.shipping.net.amount,
        shipping_gross=prices.shipping.gross.amount,
        total_net=prices.total.net.amount,
        total_gross=prices.total.gross.amount,
    )

    with pytest.raises(DomainError) as excinfo:
        redeem.redeem(checkout, order, checkout.channel)

    assert excinfo.value.code == "GIFT_CARD_INSUFFICIENT_BALANCE"
    card.refresh_from_db()
    assert card.current_balance == Decimal("100")
    assert not card.events.filter(type="USED_IN_ORDER").exists()


def test_completing_twice_returns_the_same_order_and_spends_once(shop):
    card = issue_card("5000")
    checkout = ready_checkout(shop)
    services.add_promo_code(checkout, card.code)
    pay(checkout)
    order, created = complete_checkout(checkout.token)
    again, created_again = complete_checkout(checkout.token)
    assert created and not created_again and again.pk == order.pk
    card.refresh_from_db()
    assert card.current_balance == Decimal("0")
    assert card.events.filter(type="USED_IN_ORDER").count() == 1


def test_cancelling_the_order_gives_the_balance_back_once(shop, plugin_kit):
    from order.services import cancel

    card = issue_card("5000")
    checkout = ready_checkout(shop)
    services.add_promo_code(checkout, card.code)
    pay(checkout)
    order, _ = complete_checkout(checkout.token)
    plugin_kit.deliver()

    cancel(order)
    plugin_kit.deliver()
    card.refresh_from_db()
    assert card.current_balance == Decimal("5000")
    refund = card.events.get(type="REFUNDED")
    assert (refund.amount, refund.balance_after, refund.order_number) == (
        Decimal("5000"),
        Decimal("5000"),
        order.number,
    )
    # A redelivered order_cancelled gives nothing back twice.
    from core.models import OutboxEvent

    event = OutboxEvent.objects.get(event_type="order_cancelled")
    plugin_kit.redeliver(event.id, "fashionistar.giftcards")
    card.refresh_from_db()
    assert card.current_balance == Decimal("5000")
    assert card.events.filter(type="REFUNDED").count() == 1


def test_the_order_shows_the_cards_that_paid_for_it(shop, gql):
    from tests.order.storefront import make_customer

    buyer = make_customer("ada@example.com")
    card = issue_card("5000")
    checkout = ready_checkout(shop)
    Checkout.objects.filter(pk=checkout.pk).update(user=buyer, email=buyer.email)
    services.add_promo_code(checkout, card.code)
    pay(checkout)
    order, _ = complete_checkout(checkout.token)
    from tests.order.storefront import client_for

    body = client_for(buyer)(
        "query($id: ID!) { order(id: $id) { giftCards { last4CodeChars code"
        " currentBalance { amount } } } }",
        {"id": gid("Order", order.token)},
    )
    assert body["data"]["order"]["giftCards"] == [
        {
            "last4CodeChars": card.code[-4:],
            "code": f"****{card.code[-4:]}",
            "currentBalance": {"amount": 0.0},
        }
    ]


def test_checkout_complete_over_graphql_spends_the_card_or_answers_a_typed_error(shop, gql):
    from tests.order.storefront import COMPLETE

    card = issue_card("27500")
    first = ready_checkout(shop)
    second = ready_checkout(shop)
    for checkout in (first, second):
        services.add_promo_code(checkout, card.code)

    order = ok(gql(COMPLETE, {"id": gid("Checkout", first.token)}), "checkoutComplete")["order"]
    assert order["total"]["gross"]["amount"] == 0.0
    assert order["isPaid"] is True

    body = gql(COMPLETE, {"id": gid("Checkout", second.token)})
    assert codes(body, "checkoutComplete") == ["GIFT_CARD_NO_BALANCE"]
    assert body["data"]["checkoutComplete"]["errors"][0]["field"] == "promoCode"
    assert Order.objects.count() == 1
