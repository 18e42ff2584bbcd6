"""Order write operations: payment status, fulfilment, cancellation, returns, refunds, notes.

Every change locks the order row, writes an ``OrderEvent`` (who, what, when) and
emits the matching lifecycle event through the outbox, in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction

from core.errors import DomainError, NotFound
from core.events.outbox import emit
from order.models import (
    Allocation,
    Fulfillment,
    FulfillmentLine,
    Invoice,
    Order,
    OrderEvent,
    OrderLine,
)
from order.models import OrderStatus as S
from payment.amounts import ChargeStatus, authorize_status, charge_status
from payment.models import Transaction
from warehouse.services import Allocation as StockAllocation
from warehouse.services import deallocate, restock


class OrderError(DomainError):
    default_code = "INVALID"


def _user(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


def order_payload(order: Order, lines: Sequence[OrderLine] | None = None) -> dict[str, Any]:
    lines = list(order.lines.all()) if lines is None else lines
    return {
        "order": {
            "id": str(order.token),
            "number": order.number,
            "status": order.status,
            "channel": order.channel.slug,
            "currency": order.currency,
            "user_email": order.user_email,
            "user_id": order.user_id,
            "total_gross_amount": str(order.total_gross),
            "total_net_amount": str(order.total_net),
            "shipping_gross_amount": str(order.shipping_gross),
            "charge_status": order.charge_status,
            "lines": [
                {
                    "id": line.pk,
                    "variant_id": line.variant_id,
                    "product_id": line.product_id,
                    "sku": line.product_sku,
                    "product_name": line.product_name,
                    "variant_name": line.variant_name,
                    "quantity": line.quantity,
                    "unit_price_gross_amount": str(line.unit_price_gross),
                    "total_price_gross_amount": str(line.total_price_gross),
                }
                for line in lines
            ],
        }
    }


def _event(order: Order, kind: str, user: Any = None, **parameters: Any) -> OrderEvent:
    return OrderEvent.objects.create(
        order=order, type=kind, user=_user(user), parameters=parameters
    )


def _notify(order: Order, template: str, subject: str, body: str, **context: Any) -> None:
    if not order.user_email:
        return
    emit(
        "notification_requested",
        {
            "template": template,
            "channel_type": "email",
            "recipient": order.user_email,
            "subject": subject,
            "body": body,
            "context": {"number": order.number, "currency": order.currency, **context},
        },
        channel=order.channel,
    )


def lock(order: Order | Any) -> Order:
    pk = order.pk if isinstance(order, Order) else order
    found = (
        Order.objects.select_for_update(of=("self",))
        .select_related("channel")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFound("No such order.", field="id")
    return found


def refresh_payment_status(order: Order) -> Order:
    """Recompute payment totals and statuses from the order's transactions (same transaction).

    Records PAYMENT_* events for the change and emits ``order_paid`` the first
    time captured payments cover the total.
    """
    records = list(Transaction.objects.filter(order=order))
    charged = sum((r.charged_value for r in records), Decimal(0))
    authorized = sum((r.authorized_value for r in records), Decimal(0))
    refunded = sum((r.refunded_value for r in records), Decimal(0))
    before = (
        order.total_charged,
        order.total_authorized,
        order.total_refunded,
        order.charge_status,
    )
    order.total_charged, order.total_authorized, order.total_refunded = (
        charged,
        authorized,
        refunded,
    )
    order.charge_status = charge_status(charged, order.total_gross)
    order.authorize_status = authorize_status(authorized, charged, order.total_gross)
    order.save(
        update_fields=[
            "total_charged",
            "total_authorized",
            "total_refunded",
            "charge_status",
            "authorize_status",
            "updated_at",
        ]
    )
    if authorized > before[1]:
        _event(order, OrderEvent.Type.PAYMENT_AUTHORIZED, amount=str(authorized - before[1]))
    if charged > before[0]:
        _event(order, OrderEvent.Type.PAYMENT_CAPTURED, amount=str(charged - before[0]))
    if refunded > before[2]:
        amount = refunded - before[2]
        _event(order, OrderEvent.Type.PAYMENT_REFUNDED, amount=str(amount))
        emit(
            "order_refunded",
            {**order_payload(order), "amount": str(amount), "currency": order.currency},
            channel=order.channel,
        )
        _notify(
            order,
            "order_refunded",
            "Refund for order #{{ number }}",
            "We refunded {{ amount }} {{ currency }}.",
            amount=str(amount),
        )
    fully_paid = {ChargeStatus.FULL, ChargeStatus.OVERCHARGED}
    if order.charge_status in fully_paid and before[3] not in fully_paid:
        _event(order, OrderEvent.Type.ORDER_FULLY_PAID)
        emit("order_paid", order_payload(order), channel=order.channel)
        _notify(
            order,
            "order_paid",
            "Payment received for order #{{ number }}",
            "We received your payment of {{ total }} {{ currency }}.",
            total=str(order.total_gross),
        )
    return order


def _on_transaction_change(order: Order) -> None:
    refresh_payment_status(lock(order))


@transaction.atomic
def confirm(order: Order, *, user: Any = None) -> Order:
    """Staff accept an UNCONFIRMED order; it can then be fulfilled."""
    order = lock(order)
    if order.status != S.UNCONFIRMED:
        raise OrderError("Only unconfirmed orders can be confirmed.", code="INVALID", field="id")
    order.status = S.UNFULFILLED
    order.save(update_fields=["status", "updated_at"])
    _event(order, OrderEvent.Type.CONFIRMED, user)
    emit("order_confirmed", order_payload(order), channel=order.channel)
    return order


@dataclass(frozen=True)
class FulfillmentLineInput:
    order_line_id: int
    quantity: int


@transaction.atomic
def fulfill(
    order: Order,
    lines: Sequence[FulfillmentLineInput],
    *,
    warehouse_id: int,
    tracking_number: str = "",
    user: Any = None,
) -> Fulfillment:
    """Ship lines from one warehouse: consume the allocations held there, decrease stock."""
    order = lock(order)
    if order.status in (S.CANCELED, S.UNCONFIRMED):
        raise OrderError(
            f"A {order.status.lower()} order cannot be fulfilled.",
            code="ORDER_NOT_CONFIRMED" if order.status == S.UNCONFIRMED else "ORDER_CANCELED",
        )
    if not lines:
        raise OrderError("Choose lines to fulfil.", code="REQUIRED", field="lines")
    order_lines = {
        line.pk: line for line in OrderLine.objects.select_for_update().filter(order=order)
    }
    consumed: list[StockAllocation] = []
    fulfillment = Fulfillment.objects.create(
        order=order,
        fulfillment_order=order.fulfillments.count() + 1,
        warehouse_id=warehouse_id,
        tracking_number=tracking_number.strip(),
    )
    for item in lines:
        line = order_lines.get(item.order_line_id)
        if line is None:
            raise NotFound("No such line in this order.", field="lines")
        if item.quantity <= 0 or item.quantity > line.quantity_unfulfilled:
            raise OrderError(
                f"Between 1 and {line.quantity_unfulfilled} units of {line.product_name} can "
                "be fulfilled.",
                code="FULFILL_ORDER_LINE",
                field="lines",
                extra={"order_line_id": line.pk},
            )
        remaining = item.quantity
        held = (
            Allocation.objects.select_for_update()
            .filter(order_line=line, stock__warehouse_id=warehouse_id)
            .select_related("stock")
        )
        for allocation in held:
            take = min(allocation.quantity, remaining)
            consumed.append(
                StockAllocation(allocation.stock_id, line.variant_id, warehouse_id, take)
            )
            FulfillmentLine.objects.create(
                fulfillment=fulfillment,
                order_line=line,
                stock_id=allocation.stock_id,
                quantity=take,
            )
            if take == allocation.quantity:
                allocation.delete()
            else:
                allocation.quantity -= take
                allocation.save(update_fields=["quantity"])
            remaining -= take
            if remaining == 0:
                break
        if remaining and line.variant_id is not None and _line_tracked(line):
            raise OrderError(
                f"{line.product_name}: only {item.quantity - remaining} units are allocated in "
                "this warehouse.",
                code="INSUFFICIENT_STOCK",
                field="warehouse",
                extra={"order_line_id": line.pk},
            )
        if remaining:
            FulfillmentLine.objects.create(
                fulfillment=fulfillment, order_line=line, quantity=remaining
            )
        line.quantity_fulfilled += item.quantity
        line.save(update_fields=["quantity_fulfilled"])
    deallocate(actor=user, allocations=consumed, consume=True)
    all_done = all(line.quantity_unfulfilled == 0 for line in order_lines.values())
    order.status = S.FULFILLED if all_done else S.PARTIALLY_FULFILLED
    order.save(update_fields=["status", "updated_at"])
    _event(
        order,
        OrderEvent.Type.FULFILLMENT_CREATED,
        user,
        fulfillment=fulfillment.fulfillment_order,
        tracking_number=fulfillment.tracking_number,
        lines=[{"line": i.order_line_id, "quantity": i.quantity} for i in lines],
    )
    payload = {
        **order_payload(order, list(order_lines.values())),
        "fulfillment": {
            "number": fulfillment.fulfillment_order,
            "tracking_number": fulfillment.tracking_number,
            "warehouse_id": warehouse_id,
        },
    }
    emit("fulfillment_created", payload, channel=order.channel)
    _notify(
        order,
        "order_shipped",
        "Order #{{ number }} is on its way",
        "Tracking number: {{ tracking }}",
        tracking=fulfillment.tracking_number or "-",
    )
    if all_done:
        _event(order, OrderEvent.Type.FULFILLED, user)
        emit("order_fulfilled", payload, channel=order.channel)
    return fulfillment


def _line_tracked(line: OrderLine) -> bool:
    return line.allocations.exists() or (line.variant is not None and line.variant.track_inventory)


@transaction.atomic
def cancel(order: Order, *, user: Any = None) -> Order:
    """Cancel an order nothing was shipped from: its allocations go back to stock."""
    order = lock(order)
    if order.status == S.CANCELED:
        return order
    if order.fulfillments.exclude(status=Fulfillment.Status.CANCELED).exists():
        raise OrderError(
            "Fulfilled orders cannot be cancelled; return the items instead.",
            code="CANNOT_CANCEL_FULFILLED_ORDER",
        )
    held = list(
        Allocation.objects.select_for_update()
        .filter(order_line__order=order)
        .select_related("stock")
    )
    deallocate(
        actor=user,
        allocations=[
            StockAllocation(
                a.stock_id, a.stock.product_variant_id, a.stock.warehouse_id, a.quantity
            )
            for a in held
        ],
    )
    Allocation.objects.filter(pk__in=[a.pk for a in held]).delete()
    order.status = S.CANCELED
    order.save(update_fields=["status", "updated_at"])
    _event(order, OrderEvent.Type.CANCELED, user)
    emit("order_cancelled", order_payload(order), channel=order.channel)
    _notify(
        order, "order_cancelled", "Order #{{ number }} was cancelled", "Your order was cancelled."
    )
    return order


@transaction.atomic
def add_note(order: Order, message: str, *, user: Any = None) -> OrderEvent:
    order = lock(order)
    message = (message or "").strip()
    if not message:
        raise OrderError("Write a note.", code="REQUIRED", field="message")
    if len(message) > 5000:
        raise OrderError("Notes are at most 5000 characters.", field="message")
    event = _event(order, OrderEvent.Type.NOTE_ADDED, user, message=message)
    emit("order_updated", order_payload(order), channel=order.channel)
    return event


@dataclass(frozen=True)
class ReturnLineInput:
    order_line_id: int
    quantity: int


@transaction.atomic
def return_lines(
    order: Order, lines: Sequence[ReturnLineInput], *, restock_items: bool, user: Any = None
) -> Fulfillment:
    """Take back fulfilled units; optionally put them back on the shelf they left."""
    order = lock(order)
    order_lines = {
        line.pk: line for line in OrderLine.objects.select_for_update().filter(order=order)
    }
    returned = Fulfillment.objects.create(
        order=order,
        fulfillment_order=order.fulfillments.count() + 1,
        status=Fulfillment.Status.RETURNED,
    )
    for item in lines:
        line = order_lines.get(item.order_line_id)
        if line is None:
            raise NotFound("No such line in this order.", field="lines")
        returnable = line.quantity_fulfilled - line.quantity_returned
        if item.quantity <= 0 or item.quantity > returnable:
            raise OrderError(
                f"Between 1 and {returnable} units of {line.product_name} can be returned.",
                code="INVALID_QUANTITY",
                field="lines",
                extra={"order_line_id": line.pk},
            )
        line.quantity_returned += item.quantity
        line.save(update_fields=["quantity_returned"])
        FulfillmentLine.objects.create(
            fulfillment=returned, order_line=line, quantity=item.quantity
        )
        if restock_items:
            shipped_from = (
                FulfillmentLine.objects.filter(
                    order_line=line,
                    fulfillment__status=Fulfillment.Status.FULFILLED,
                    stock__isnull=False,
                )
                .values_list("stock_id", flat=True)
                .first()
            )
            if shipped_from is not None:
                restock(actor=user, stock_id=shipped_from, quantity=item.quantity)
    total = sum(line.quantity for line in order_lines.values())
    back = sum(line.quantity_returned for line in order_lines.values())
    order.status = S.RETURNED if back == total else S.PARTIALLY_RETURNED
    order.save(update_fields=["status", "updated_at"])
    _event(
        order,
        OrderEvent.Type.RETURNED,
        user,
        restocked=restock_items,
        lines=[{"line": i.order_line_id, "quantity": i.quantity} for i in lines],
    )
    emit(
        "order_returned",
        {
            **order_payload(order, list(order_lines.values())),
            "lines": [{"line_id": i.order_line_id, "quantity": i.quantity} for i in lines],
            "restocked": restock_items,
        },
        channel=order.channel,
    )
    return returned


def refund(order: Order, amount: Any, *, user: Any = None, reason: str = "") -> Order:
    """Refund through the gateways, newest charged transaction first (provider calls outside
    the database transaction). Refusing above what was captured and not yet refunded."""
    from payment.services import _clean_amount, request_action

    value = _clean_amount(amount, order.currency)
    records = list(
        Transaction.objects.filter(order=order, charged_value__gt=0).order_by("-created_at", "-pk")
    )
    refundable = sum((r.charged_value for r in records), Decimal(0))
    if value > refundable:
        raise OrderError(
            f"At most {refundable} {order.currency} can be refunded.",
            code="REFUND_ABOVE_CAPTURED",
            field="amount",
        )
    with transaction.atomic():
        _event(lock(order), OrderEvent.Type.REFUND_GRANTED, user, amount=str(value), reason=reason)
    remaining = value
    for record in records:
        take = min(record.charged_value, remaining)
        if take <= 0:
            continue
        request_action(record, "REFUND", take, user=user)
        remaining -= take
        if remaining <= 0:
            break
    order.refresh_from_db()
    return order


@transaction.atomic
def request_invoice(order: Order, *, user: Any = None) -> Invoice:
    order = lock(order)
    invoice = Invoice.objects.create(order=order)
    _event(order, OrderEvent.Type.INVOICE_REQUESTED, user, invoice=invoice.pk)
    emit(
        "invoice_requested",
        {**order_payload(order), "invoice_id": invoice.pk},
        channel=order.channel,
    )
    return invoice
