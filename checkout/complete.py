"""``checkoutComplete``: one transaction from checkout to order, idempotent per checkout.

Concurrency: the checkout row is locked first, so two completions of the same
checkout run one after the other; the second finds the checkout gone and
returns the order the first made (``Order.checkout_token`` is unique, a second
order cannot exist). Stock rows are locked by ``warehouse.services.allocate``,
so concurrent checkouts for the last units sell each unit once.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from checkout.fetch import LineInfo, fetch_lines
from checkout.models import Checkout
from checkout.pricing import CheckoutPrices, calculate
from checkout.problems import problems
from core.errors import DomainError, NotFound
from core.events.outbox import emit
from core.plugins.manager import get_manager
from order.models import Allocation, Order, OrderEvent, OrderLine, OrderStatus
from order.services import order_payload, refresh_payment_status
from payment.models import Transaction
from payment.services import totals
from warehouse.services import allocate, pickup_warehouse_ids


def completed_order(token: Any) -> Order | None:
    return Order.objects.filter(checkout_token=token).first()


def complete_checkout(token: Any, *, user: Any = None) -> tuple[Order, bool]:
    """Return (order, created). A repeated call for a completed checkout returns its order."""
    with transaction.atomic():
        checkout = (
            Checkout.objects.select_for_update(of=("self",))
            .select_related("channel", "shipping_method", "collection_point")
            .filter(token=token)
            .first()
        )
        if checkout is None:
            order = completed_order(token)
            if order is None:
                raise NotFound("No such checkout.", field="id")
            return order, False
        lines = fetch_lines(checkout)
        prices = calculate(checkout, lines)
        found = problems(checkout, lines, prices)
        if found:
            raise DomainError(errors=found)
        get_manager().decision("validate_checkout", channel=checkout.channel, checkout=checkout)
        _require_payment(checkout, prices)
        order = _create_order(checkout, lines, prices, user)
        checkout.delete()
    return order, True


def _require_payment(checkout: Checkout, prices: CheckoutPrices) -> None:
    if checkout.channel.allow_unpaid_orders:
        return
    charged, authorized, _ = totals(list(Transaction.objects.filter(checkout=checkout)))
    if charged + authorized < prices.total.gross.amount:
        raise DomainError(
            "Payments do not cover the checkout total yet.",
            code="CHECKOUT_NOT_FULLY_PAID",
            field="id",
            extra={"total": str(prices.total.gross.amount), "covered": str(charged + authorized)},
        )


def _create_order(
    checkout: Checkout, lines: list[LineInfo], prices: CheckoutPrices, user: Any
) -> Order:
    country = (checkout.shipping_address or {}).get("country")
    stock_lines = [
        (info.variant.pk, info.line.quantity) for info in lines if info.variant.track_inventory
    ]
    allocations = allocate(
        actor=user,
        lines=stock_lines,
        channel=checkout.channel,
        country_code=country,
        checkout_token=checkout.token,
        warehouse_ids=(
            pickup_warehouse_ids(checkout.collection_point, checkout.channel)
            if checkout.collection_point
            else None
        ),
    )
    method = checkout.shipping_method
    order = Order.objects.create(
        checkout_token=checkout.token,
        channel=checkout.channel,
        currency=checkout.currency,
        user=checkout.user,
        user_email=checkout.email,
        shipping_address=checkout.shipping_address,
        billing_address=checkout.billing_address or checkout.shipping_address,
        shipping_method=method,
        shipping_method_name=method.name if method else "",
        collection_point=checkout.collection_point,
        collection_point_name=checkout.collection_point.name if checkout.collection_point else "",
        status=(
            OrderStatus.UNFULFILLED
            if checkout.channel.automatically_confirm_orders
            else OrderStatus.UNCONFIRMED
        ),
        subtotal_net=prices.subtotal.net.amount,
        subtotal_gross=prices.subtotal.gross.amount,
        shipping_net=prices.shipping.net.amount,
        shipping_gross=prices.shipping.gross.amount,
        total_net=prices.total.net.amount,
        total_gross=prices.total.gross.amount,
        undiscounted_total_gross=(prices.undiscounted_subtotal + prices.shipping).gross.amount,
        discount_amount=prices.discount.amount,
        voucher_code=checkout.voucher_code,
        customer_note=checkout.customer_note,
        language_code=checkout.language_code,
    )
    order_lines = OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            variant=price.info.variant,
            product_name=price.info.product.name,
            variant_name=price.info.variant.name,
            product_sku=price.info.variant.sku or "",
            product_id=price.info.product.pk,
            is_shipping_required=price.info.is_shipping_required,
            quantity=price.info.line.quantity,
            currency=order.currency,
            undiscounted_unit_price_gross=price.undiscounted_unit_price.amount,
            unit_price_net=price.unit_price.net.amount,
            unit_price_gross=price.unit_price.gross.amount,
            unit_discount_amount=max(
                price.undiscounted_unit_price.amount - price.unit_price.gross.amount, 0
            ),
            total_price_net=price.total.net.amount,
            total_price_gross=price.total.gross.amount,
            tax_rate=price.tax_rate,
        )
        for price in prices.lines
    )
    line_by_variant = {line.variant_id: line for line in order_lines}
    Allocation.objects.bulk_create(
        Allocation(
            order_line=line_by_variant[a.variant_id], stock_id=a.stock_id, quantity=a.quantity
        )
        for a in allocations
    )
    if checkout.voucher_code or checkout.gift_card_codes:
        get_manager().decision(
            "redeem_promo_codes", channel=checkout.channel, checkout=checkout, order=order
        )
    Transaction.objects.filter(checkout=checkout).update(order=order, checkout=None)
    OrderEvent.objects.create(
        order=order,
        type=OrderEvent.Type.PLACED,
        user=user if getattr(user, "is_authenticated", False) else None,
        parameters={"checkout": str(checkout.token)},
    )
    refresh_payment_status(order)
    payload = order_payload(order, order_lines)
    emit("order_created", payload, channel=order.channel)
    emit(
        "checkout_completed",
        {
            "checkout_id": str(checkout.token),
            "order": {"id": str(order.token), "number": order.number},
        },
        channel=order.channel,
    )
    if order.user_email:
        emit(
            "notification_requested",
            {
                "template": "order_confirmation",
                "channel_type": "email",
                "recipient": order.user_email,
                "subject": "Your order #{{ number }} is confirmed",
                "body": "Thank you! Order #{{ number }}: {{ total }} {{ currency }}.",
                "context": {
                    "number": order.number,
                    "total": str(order.total_gross),
                    "currency": order.currency,
                },
            },
            channel=order.channel,
        )
    return order
