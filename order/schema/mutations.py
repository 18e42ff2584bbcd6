"""Staff order mutations at Saleor's shape. Each needs MANAGE_ORDERS (checked before the
order is looked up, so customers learn nothing) and writes through order.services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import graphene
from django.db import transaction

from core.errors import DomainError
from core.graphql.schema import registered_type
from core.graphql.types import BaseMutation
from core.permissions import Perm
from order import services
from order.access import order_for
from order.models import Order as OrderModel
from order.services import FulfillmentLineInput, ReturnLineInput

from .common import decode_order, decode_pk
from .loaders import order_loader
from .types import Fulfillment, Invoice, Order, OrderEvent


def _order(info: Any, value: Any, field: str = "id") -> OrderModel:
    return order_for(decode_order(value, field), info.context.user, field=field)


class OrderMutation(BaseMutation):
    permission = Perm.MANAGE_ORDERS
    order = graphene.Field(Order)

    class Meta:
        abstract = True

    @classmethod
    def payload(cls, info: Any, order: OrderModel, **extra: Any) -> dict:
        order = OrderModel.objects.select_related("channel", "user").get(pk=order.pk)
        order_loader(info).saw([order])
        return {"order": order, **extra}


class OrderFulfillStockInput(graphene.InputObjectType):
    quantity = graphene.Int(required=True)
    warehouse = graphene.ID(required=True)


class OrderFulfillLineInput(graphene.InputObjectType):
    order_line_id = graphene.ID(required=True)
    stocks = graphene.List(graphene.NonNull(OrderFulfillStockInput), required=True)


class OrderFulfillInput(graphene.InputObjectType):
    lines = graphene.List(graphene.NonNull(OrderFulfillLineInput), required=True)
    notify_customer = graphene.Boolean(description="Customers are always notified.")
    tracking_number = graphene.String()


class OrderFulfill(OrderMutation):
    """Ship order lines from warehouses: one fulfillment per warehouse, all or nothing."""

    fulfillments = graphene.List(graphene.NonNull(Fulfillment))

    class Arguments:
        order = graphene.ID(required=True)
        input = OrderFulfillInput(required=True)

    @classmethod
    def perform(cls, info: Any, **data: Any) -> dict:
        order = _order(info, data["order"], "order")
        value = data["input"]
        per_warehouse: dict[int, list[FulfillmentLineInput]] = {}
        for line in value["lines"]:
            line_id = decode_pk(line["order_line_id"], "OrderLine", "orderLineId")
            for stock in line["stocks"]:
                if stock["quantity"] == 0:
                    continue
                warehouse = decode_pk(stock["warehouse"], "Warehouse", "warehouse")
                per_warehouse.setdefault(warehouse, []).append(
                    FulfillmentLineInput(line_id, stock["quantity"])
                )
        if not per_warehouse:
            raise DomainError("Choose lines to fulfil.", code="REQUIRED", field="lines")
        with transaction.atomic():
            fulfillments = [
                services.fulfill(
                    order,
                    lines,
                    warehouse_id=warehouse,
                    tracking_number=value.get("tracking_number") or "",
                    user=info.context.user,
                )
                for warehouse, lines in per_warehouse.items()
            ]
        return cls.payload(info, order, fulfillments=fulfillments)


class OrderConfirm(OrderMutation):
    """Accept an UNCONFIRMED order (channels that do not confirm orders automatically)."""

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, info: Any, **data: Any) -> dict:
        order = services.confirm(_order(info, data["id"]), user=info.context.user)
        return cls.payload(info, order)


class OrderCancel(OrderMutation):
    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, info: Any, **data: Any) -> dict:
        order = services.cancel(_order(info, data["id"]), user=info.context.user)
        return cls.payload(info, order)


class OrderNoteInput(graphene.InputObjectType):
    message = graphene.String(required=True)


class OrderNoteAdd(OrderMutation):
    event = graphene.Field(OrderEvent)

    class Arguments:
        order = graphene.ID(required=True)
        input = OrderNoteInput(required=True)

    @classmethod
    def perform(cls, info: Any, **data: Any) -> dict:
        order = _order(info, data["order"], "order")
        event = services.add_note(order, data["input"]["message"], user=info.context.user)
        return cls.payload(info, order, event=event)


class OrderRefund(OrderMutation):
    """Refund through the gateways (newest charged payment first); never above what was
    charged and not yet refunded (REFUND_ABOVE_CAPTURED)."""

    class Arguments:
        id = graphene.ID(required=True)
        amount = graphene.Argument(registered_type("PositiveDecimal"), required=True)

    @classmethod
    def perform(cls, info: Any, **data: Any) -> dict:
        order = services.refund(_order(info, data["id"]), data["amount"], user=info.context.user)
        return cls.payload(info, order)


class OrderGrantRefundCreateInput(graphene.InputObjectType):
    amount = graphene.InputField(registered_type("PositiveDecimal"), required=True)
    reason = graphene.String()


class OrderGrantRefundCreate(OrderMutation):
    """Grant a refund and send it through the gateways at once (a REFUND_GRANTED event
    with the reason, then the refunds)."""

    class Arguments:
        id = graphene.ID(required=True)
        input = OrderGrantRefundCreateInput(required=True)

    @classmethod
    def perform(cls, info: Any, **data: Any) -> dict:
        value = data["input"]
        order = services.refund(
            _order(info, data["id"]),
            value["amount"],
            user=info.context.user,
            reason=value.get("reason") or "",
        )
        return cls.payload(info, order)


class OrderReturnLineInput(graphene.InputObjectType):
    order_line_id = graphene.ID(required=True)
    quantity = graphene.Int(required=True)


class OrderReturnProductsInput(graphene.InputObjectType):
    order_lines = graphene.List(graphene.NonNull(OrderReturnLineInput), required=True)
    restock = graphene.Boolean(
        default_value=False, description="Put the units back in the warehouse they left."
    )
    refund = graphene.Boolean(default_value=False)
    amount_to_refund = graphene.InputField(
        registered_type("PositiveDecimal"), description="Default: the returned lines' price."
    )
    include_shipping_costs = graphene.Boolean(default_value=False)


def _refund_amount(order: OrderModel, items: list[ReturnLineInput], value: dict) -> Decimal:
    if value.get("amount_to_refund") is not None:
        return value["amount_to_refund"]
    prices = dict(order.lines.values_list("pk", "unit_price_gross"))
    amount = sum((prices.get(i.order_line_id, 0) * i.quantity for i in items), Decimal(0))
    if value.get("include_shipping_costs"):
        amount += order.shipping_gross
    return amount


class FulfillmentReturnProducts(OrderMutation):
    """Take back fulfilled units (optionally restocked), and refund them if asked.

    The refund amount is checked against what was charged before anything changes;
    the return is recorded, then the refund goes through the gateways (outside the
    database transaction, as ``orderRefund``).
    """

    return_fulfillment = graphene.Field(Fulfillment)

    class Arguments:
        order = graphene.ID(required=True)
        input = OrderReturnProductsInput(required=True)

    @classmethod
    def perform(cls, info: Any, **data: Any) -> dict:
        order = _order(info, data["order"], "order")
        value = data["input"]
        items = [
            ReturnLineInput(
                decode_pk(line["order_line_id"], "OrderLine", "orderLineId"), line["quantity"]
            )
            for line in value["order_lines"]
        ]
        if not items:
            raise DomainError("Choose lines to return.", code="REQUIRED", field="orderLines")
        amount = _refund_amount(order, items, value) if value.get("refund") else None
        if amount is not None and amount > order.total_charged:
            raise DomainError(
                f"At most {order.total_charged} {order.currency} can be refunded.",
                code="REFUND_ABOVE_CAPTURED",
                field="amountToRefund",
            )
        returned = services.return_lines(
            order, items, restock_items=bool(value.get("restock")), user=info.context.user
        )
        if amount:
            services.refund(order, amount, user=info.context.user, reason="return")
        return cls.payload(info, order, return_fulfillment=returned)


class InvoiceRequest(OrderMutation):
    """Ask the invoice plugin for an invoice; it is generated after the request."""

    invoice = graphene.Field(Invoice)

    class Arguments:
        order_id = graphene.ID(required=True)
        number = graphene.String(description="Ignored: the invoice plugin numbers invoices.")

    @classmethod
    def perform(cls, info: Any, **data: Any) -> dict:
        order = _order(info, data["order_id"], "orderId")
        invoice = services.request_invoice(order, user=info.context.user)
        return cls.payload(info, order, invoice=invoice)


class Mutation(graphene.ObjectType):
    order_confirm = OrderConfirm.Field()
    order_fulfill = OrderFulfill.Field()
    order_cancel = OrderCancel.Field()
    order_note_add = OrderNoteAdd.Field()
    order_refund = OrderRefund.Field()
    order_grant_refund_create = OrderGrantRefundCreate.Field()
    fulfillment_return_products = FulfillmentReturnProducts.Field()
    invoice_request = InvoiceRequest.Field()
