"""Order types at Saleor's shape. Relations are read through the request's OrderLoader."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import graphene
from prices import Money as PricesMoney
from prices import TaxedMoney as PricesTaxedMoney

from core.graphql.pagination import CountableConnection
from core.graphql.schema import extendable, registered_type
from core.graphql.snapshots import address, prepare_variants
from core.graphql.types import Money, TaxedMoney
from core.money import money
from core.permissions import Perm, require_perm
from core.schema import Channel
from order import models as m

from .common import gid
from .loaders import order_loader

OrderStatusEnum = graphene.Enum("OrderStatus", [(v, v) for v in m.OrderStatus.values])
OrderChargeStatusEnum = graphene.Enum(
    "OrderChargeStatusEnum", [(v, v) for v in ("NONE", "PARTIAL", "FULL", "OVERCHARGED")]
)
OrderAuthorizeStatusEnum = graphene.Enum(
    "OrderAuthorizeStatusEnum", [(v, v) for v in ("NONE", "PARTIAL", "FULL")]
)
OrderEventsEnum = graphene.Enum("OrderEventsEnum", [(v, v) for v in m.OrderEvent.Type.values])
FulfillmentStatusEnum = graphene.Enum(
    "FulfillmentStatus", [(v, v) for v in m.Fulfillment.Status.values]
)
JobStatusEnum = graphene.Enum("JobStatusEnum", [(v, v) for v in m.Invoice.Status.values])


def _taxed(net: Decimal, gross: Decimal, currency: str) -> PricesTaxedMoney:
    return PricesTaxedMoney(net=money(net, currency), gross=money(gross, currency))


class OrderLine(graphene.ObjectType):
    id = graphene.ID(required=True)
    product_name = graphene.String(required=True)
    variant_name = graphene.String(required=True)
    product_sku = graphene.String()
    product_variant_id = graphene.ID()
    is_shipping_required = graphene.Boolean(required=True)
    quantity = graphene.Int(required=True)
    quantity_fulfilled = graphene.Int(required=True)
    quantity_to_fulfill = graphene.Int(required=True)
    quantity_returned = graphene.Int(required=True)
    unit_price = graphene.Field(TaxedMoney, required=True)
    undiscounted_unit_price = graphene.Field(TaxedMoney, required=True)
    unit_discount = graphene.Field(Money, required=True)
    total_price = graphene.Field(TaxedMoney, required=True)
    tax_rate = graphene.Float(required=True)
    variant = graphene.Field(
        registered_type("ProductVariant"), description="Null when the variant was deleted since."
    )

    @staticmethod
    def resolve_id(root: m.OrderLine, info: Any) -> str:
        return gid("OrderLine", root.pk)

    @staticmethod
    def resolve_product_variant_id(root: m.OrderLine, info: Any) -> str | None:
        return gid("ProductVariant", root.variant_id) if root.variant_id else None

    @staticmethod
    def resolve_quantity_to_fulfill(root: m.OrderLine, info: Any) -> int:
        return root.quantity_unfulfilled

    @staticmethod
    def resolve_unit_price(root: m.OrderLine, info: Any) -> PricesTaxedMoney:
        return _taxed(root.unit_price_net, root.unit_price_gross, root.currency)

    @staticmethod
    def resolve_undiscounted_unit_price(root: m.OrderLine, info: Any) -> PricesTaxedMoney:
        gross = root.undiscounted_unit_price_gross
        net = root.unit_price_net + root.unit_discount_amount
        return _taxed(min(net, gross), gross, root.currency)

    @staticmethod
    def resolve_unit_discount(root: m.OrderLine, info: Any) -> PricesMoney:
        return money(root.unit_discount_amount, root.currency)

    @staticmethod
    def resolve_total_price(root: m.OrderLine, info: Any) -> PricesTaxedMoney:
        return _taxed(root.total_price_net, root.total_price_gross, root.currency)

    @staticmethod
    def resolve_tax_rate(root: m.OrderLine, info: Any) -> float:
        return float(root.tax_rate)

    @staticmethod
    def resolve_variant(root: m.OrderLine, info: Any) -> Any:
        if root.variant_id is None:
            return None
        if not hasattr(root.variant, "_product"):  # a line reached outside Order.lines
            prepare_variants(info, [root.variant], root.order.channel)
        return root.variant


class OrderEvent(graphene.ObjectType):
    id = graphene.ID(required=True)
    date = graphene.DateTime(required=True)
    type = graphene.Field(OrderEventsEnum, required=True)
    user = graphene.Field(
        registered_type("User"), description="Who did it (staff or the customer)."
    )
    message = graphene.String()
    amount = graphene.Float()
    tracking_number = graphene.String()
    fulfillment_order = graphene.Int()

    @staticmethod
    def resolve_id(root: m.OrderEvent, info: Any) -> str:
        return gid("OrderEvent", root.pk)

    @staticmethod
    def resolve_date(root: m.OrderEvent, info: Any) -> Any:
        return root.created_at

    @staticmethod
    def resolve_type(root: m.OrderEvent, info: Any) -> str:
        return str(root.type)

    @staticmethod
    def resolve_message(root: m.OrderEvent, info: Any) -> str | None:
        return root.parameters.get("message")

    @staticmethod
    def resolve_amount(root: m.OrderEvent, info: Any) -> float | None:
        value = root.parameters.get("amount")
        return None if value is None else float(Decimal(value))

    @staticmethod
    def resolve_tracking_number(root: m.OrderEvent, info: Any) -> str | None:
        return root.parameters.get("tracking_number")

    @staticmethod
    def resolve_fulfillment_order(root: m.OrderEvent, info: Any) -> int | None:
        return root.parameters.get("fulfillment")


class FulfillmentLine(graphene.ObjectType):
    id = graphene.ID(required=True)
    quantity = graphene.Int(required=True)
    order_line = graphene.Field(OrderLine)

    @staticmethod
    def resolve_id(root: m.FulfillmentLine, info: Any) -> str:
        return gid("FulfillmentLine", root.pk)


class Fulfillment(graphene.ObjectType):
    id = graphene.ID(required=True)
    fulfillment_order = graphene.Int(required=True)
    status = graphene.Field(FulfillmentStatusEnum, required=True)
    tracking_number = graphene.String(required=True)
    created = graphene.DateTime(required=True)
    warehouse = graphene.Field(registered_type("Warehouse"))
    lines = graphene.List(graphene.NonNull(FulfillmentLine), required=True)

    @staticmethod
    def resolve_id(root: m.Fulfillment, info: Any) -> str:
        return gid("Fulfillment", root.pk)

    @staticmethod
    def resolve_created(root: m.Fulfillment, info: Any) -> Any:
        return root.created_at

    @staticmethod
    def resolve_status(root: m.Fulfillment, info: Any) -> str:
        return str(root.status)

    @staticmethod
    def resolve_lines(root: m.Fulfillment, info: Any) -> list:
        lines = list(root.lines.all())
        for line in lines:
            line.order_line.order = root.order
        return lines


class Invoice(graphene.ObjectType):
    id = graphene.ID(required=True)
    number = graphene.String()
    url = graphene.String(description="The PDF, once generated.")
    status = graphene.Field(JobStatusEnum, required=True)
    created_at = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)

    @staticmethod
    def resolve_id(root: m.Invoice, info: Any) -> str:
        return gid("Invoice", root.pk)

    @staticmethod
    def resolve_number(root: m.Invoice, info: Any) -> str | None:
        return root.number or None

    @staticmethod
    def resolve_status(root: m.Invoice, info: Any) -> str:
        return str(root.status)

    @staticmethod
    def resolve_url(root: m.Invoice, info: Any) -> str | None:
        if not root.file:
            return None
        return info.context.build_absolute_uri(root.file.url)


@extendable
class Order(graphene.ObjectType):
    id = graphene.ID(required=True)
    number = graphene.String(required=True)
    token = graphene.String(required=True, deprecation_reason="Use id.")
    status = graphene.Field(OrderStatusEnum, required=True)
    created = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)
    channel = graphene.Field(Channel, required=True)
    user_email = graphene.String()
    user = graphene.Field(registered_type("User"))
    language_code = graphene.String(required=True)
    customer_note = graphene.String(required=True)
    lines = graphene.List(graphene.NonNull(OrderLine), required=True)
    subtotal = graphene.Field(TaxedMoney, required=True)
    shipping_price = graphene.Field(TaxedMoney, required=True)
    total = graphene.Field(TaxedMoney, required=True)
    undiscounted_total = graphene.Field(Money, required=True)
    discount = graphene.Field(Money)
    voucher_code = graphene.String()
    shipping_address = graphene.Field(registered_type("Address"))
    billing_address = graphene.Field(registered_type("Address"))
    shipping_method_name = graphene.String()
    collection_point_name = graphene.String()
    is_shipping_required = graphene.Boolean(required=True)
    charge_status = graphene.Field(OrderChargeStatusEnum, required=True)
    authorize_status = graphene.Field(OrderAuthorizeStatusEnum, required=True)
    total_charged = graphene.Field(Money, required=True)
    total_captured = graphene.Field(Money, required=True, deprecation_reason="Use totalCharged.")
    total_authorized = graphene.Field(Money, required=True)
    total_refunded = graphene.Field(Money, required=True)
    total_balance = graphene.Field(
        Money, required=True, description="Charged minus the total: negative while unpaid."
    )
    is_paid = graphene.Boolean(required=True)
    events = graphene.List(
        graphene.NonNull(OrderEvent), description="The timeline. Needs MANAGE_ORDERS."
    )
    fulfillments = graphene.List(graphene.NonNull(Fulfillment), required=True)
    transactions = graphene.List(
        graphene.NonNull(registered_type("TransactionItem")), required=True
    )
    invoices = graphene.List(graphene.NonNull(Invoice), required=True)

    @staticmethod
    def resolve_id(root: m.Order, info: Any) -> str:
        return gid("Order", root.token)

    @staticmethod
    def resolve_number(root: m.Order, info: Any) -> str:
        return str(root.number)

    @staticmethod
    def resolve_token(root: m.Order, info: Any) -> str:
        return str(root.token)

    @staticmethod
    def resolve_status(root: m.Order, info: Any) -> str:
        return str(root.status)

    @staticmethod
    def resolve_charge_status(root: m.Order, info: Any) -> str:
        return str(root.charge_status)

    @staticmethod
    def resolve_authorize_status(root: m.Order, info: Any) -> str:
        return str(root.authorize_status)

    @staticmethod
    def resolve_created(root: m.Order, info: Any) -> Any:
        return root.created_at

    @staticmethod
    def resolve_user_email(root: m.Order, info: Any) -> str | None:
        return root.user_email or None

    @staticmethod
    def resolve_user(root: m.Order, info: Any) -> Any:
        return root.user if root.user_id else None

    @staticmethod
    def resolve_lines(root: m.Order, info: Any) -> list:
        return order_loader(info).related(info, root, "lines")

    @staticmethod
    def resolve_subtotal(root: m.Order, info: Any) -> PricesTaxedMoney:
        return _taxed(root.subtotal_net, root.subtotal_gross, root.currency)

    @staticmethod
    def resolve_shipping_price(root: m.Order, info: Any) -> PricesTaxedMoney:
        return _taxed(root.shipping_net, root.shipping_gross, root.currency)

    @staticmethod
    def resolve_total(root: m.Order, info: Any) -> PricesTaxedMoney:
        return _taxed(root.total_net, root.total_gross, root.currency)

    @staticmethod
    def resolve_undiscounted_total(root: m.Order, info: Any) -> PricesMoney:
        return money(root.undiscounted_total_gross, root.currency)

    @staticmethod
    def resolve_discount(root: m.Order, info: Any) -> PricesMoney | None:
        return money(root.discount_amount, root.currency) if root.discount_amount else None

    @staticmethod
    def resolve_voucher_code(root: m.Order, info: Any) -> str | None:
        return root.voucher_code or None

    @staticmethod
    def resolve_shipping_address(root: m.Order, info: Any) -> Any:
        return address(root.shipping_address, f"order-{root.token}-shipping")

    @staticmethod
    def resolve_billing_address(root: m.Order, info: Any) -> Any:
        return address(root.billing_address, f"order-{root.token}-billing")

    @staticmethod
    def resolve_shipping_method_name(root: m.Order, info: Any) -> str | None:
        return root.shipping_method_name or None

    @staticmethod
    def resolve_collection_point_name(root: m.Order, info: Any) -> str | None:
        return root.collection_point_name or None

    @staticmethod
    def resolve_is_shipping_required(root: m.Order, info: Any) -> bool:
        return any(
            line.is_shipping_required for line in order_loader(info).related(info, root, "lines")
        )

    @staticmethod
    def resolve_total_charged(root: m.Order, info: Any) -> PricesMoney:
        return money(root.total_charged, root.currency)

    @staticmethod
    def resolve_total_captured(root: m.Order, info: Any) -> PricesMoney:
        return money(root.total_charged, root.currency)

    @staticmethod
    def resolve_total_authorized(root: m.Order, info: Any) -> PricesMoney:
        return money(root.total_authorized, root.currency)

    @staticmethod
    def resolve_total_refunded(root: m.Order, info: Any) -> PricesMoney:
        return money(root.total_refunded, root.currency)

    @staticmethod
    def resolve_total_balance(root: m.Order, info: Any) -> PricesMoney:
        return money(root.total_charged - root.total_gross, root.currency)

    @staticmethod
    def resolve_is_paid(root: m.Order, info: Any) -> bool:
        return root.charge_status in ("FULL", "OVERCHARGED")

    @staticmethod
    def resolve_events(root: m.Order, info: Any) -> list:
        require_perm(info.context.user, Perm.MANAGE_ORDERS)
        return order_loader(info).related(info, root, "events")

    @staticmethod
    def resolve_fulfillments(root: m.Order, info: Any) -> list:
        fulfillments = order_loader(info).related(info, root, "fulfillments")
        for fulfillment in fulfillments:
            fulfillment.order = root
        return fulfillments

    @staticmethod
    def resolve_transactions(root: m.Order, info: Any) -> list:
        transactions = order_loader(info).related(info, root, "transactions")
        for transaction in transactions:
            transaction.order = root
        return transactions

    @staticmethod
    def resolve_invoices(root: m.Order, info: Any) -> list:
        return order_loader(info).related(info, root, "invoices")


class OrderCountableConnection(CountableConnection):
    class Meta:
        node = Order
