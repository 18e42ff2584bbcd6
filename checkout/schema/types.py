"""The storefront's Checkout type, at Saleor's shape.

Prices, shipping options and problems are computed once per checkout and
request (``data_of``): a checkout with any number of lines costs the same few
queries.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import graphene
from django.db.models import Min
from django.utils.timezone import now
from prices import Money as PricesMoney

from checkout.models import Checkout as CheckoutModel
from checkout.pricing import LinePrice
from checkout.schema.common import data_of, gid
from core.graphql.schema import extendable, get_registered_type, registered_type
from core.graphql.snapshots import address, prepare_variants
from core.graphql.types import Error, Money, TaxedMoney
from core.money import money
from core.plugins.manager import get_manager
from core.schema import Channel
from payment.amounts import authorize_status, charge_status
from payment.services import gateways, totals
from warehouse.models import Reservation
from warehouse.models import ShippingMethod as ShippingMethodModel
from warehouse.models import Warehouse as WarehouseModel
from warehouse.services import collection_points

CheckoutChargeStatusEnum = graphene.Enum(
    "CheckoutChargeStatusEnum", [(v, v) for v in ("NONE", "PARTIAL", "FULL", "OVERCHARGED")]
)
CheckoutAuthorizeStatusEnum = graphene.Enum(
    "CheckoutAuthorizeStatusEnum", [(v, v) for v in ("NONE", "PARTIAL", "FULL")]
)


@cache
def delivery_method_union() -> type[graphene.Union]:
    """``DeliveryMethod = ShippingMethod | Warehouse`` over the warehouse domain's types.

    Built when the schema builds (the member types are looked up by name then).
    A Warehouse is a click-and-collect point.
    """

    def resolve_type(instance: Any, info: Any) -> Any:
        if isinstance(instance, WarehouseModel):
            return get_registered_type("Warehouse")
        return get_registered_type("ShippingMethod")

    members = (get_registered_type("ShippingMethod"), get_registered_type("Warehouse"))
    meta = type("Meta", (), {"types": members})
    return type(
        "DeliveryMethod",
        (graphene.Union,),
        {"Meta": meta, "resolve_type": classmethod(lambda cls, i, info: resolve_type(i, info))},
    )


class _GiftCardPlaceholder(graphene.ObjectType):
    """Stands in until a gift-card plugin registers its own ``GiftCard`` type."""

    id = graphene.ID(required=True)
    last_4_code_chars = graphene.String(required=True)
    current_balance = graphene.Field(Money)

    class Meta:
        name = "GiftCard"


def gift_card_type() -> Any:
    try:
        return get_registered_type("GiftCard")
    except KeyError:
        return _GiftCardPlaceholder


class CheckoutLine(graphene.ObjectType):
    id = graphene.ID(required=True)
    variant = graphene.Field(registered_type("ProductVariant"), required=True)
    quantity = graphene.Int(required=True)
    unit_price = graphene.Field(TaxedMoney, required=True)
    undiscounted_unit_price = graphene.Field(Money, required=True)
    total_price = graphene.Field(TaxedMoney, required=True)
    undiscounted_total_price = graphene.Field(Money, required=True)
    requires_shipping = graphene.Boolean(required=True)
    is_gift = graphene.Boolean(required=True)

    @staticmethod
    def resolve_id(root: LinePrice, info: Any) -> str:
        return gid("CheckoutLine", root.info.line.pk)

    @staticmethod
    def resolve_variant(root: LinePrice, info: Any) -> Any:
        return root.info.variant

    @staticmethod
    def resolve_quantity(root: LinePrice, info: Any) -> int:
        return root.info.line.quantity

    @staticmethod
    def resolve_unit_price(root: LinePrice, info: Any) -> Any:
        return root.unit_price

    @staticmethod
    def resolve_undiscounted_unit_price(root: LinePrice, info: Any) -> PricesMoney:
        return root.undiscounted_unit_price

    @staticmethod
    def resolve_total_price(root: LinePrice, info: Any) -> Any:
        return root.total

    @staticmethod
    def resolve_undiscounted_total_price(root: LinePrice, info: Any) -> PricesMoney:
        return root.undiscounted_unit_price * root.info.line.quantity

    @staticmethod
    def resolve_requires_shipping(root: LinePrice, info: Any) -> bool:
        return root.info.is_shipping_required

    @staticmethod
    def resolve_is_gift(root: LinePrice, info: Any) -> bool:
        return False


def _with_listing(pairs: list[Any]) -> list[Any]:
    """(method, channel listing) pairs -> methods carrying their listing (``price``)."""
    methods = []
    for method, listing in pairs:
        method._listing = listing
        methods.append(method)
    return methods


def resolve_shipping_method_price(root: ShippingMethodModel, info: Any) -> PricesMoney | None:
    """``ShippingMethod.price``: the price in the channel the method was offered in."""
    listing = getattr(root, "_listing", None)
    if listing is None:
        return None
    return money(listing.price_amount, listing.currency)


@extendable
class Checkout(graphene.ObjectType):
    id = graphene.ID(required=True)
    token = graphene.UUID(required=True)
    email = graphene.String()
    channel = graphene.Field(Channel, required=True)
    user = graphene.Field(registered_type("User"))
    created = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)
    last_change = graphene.DateTime(required=True)
    language_code = graphene.String(required=True)
    note = graphene.String(required=True)
    lines = graphene.List(graphene.NonNull(CheckoutLine), required=True)
    quantity = graphene.Int(required=True, description="Units in the checkout.")
    subtotal_price = graphene.Field(TaxedMoney, required=True)
    shipping_price = graphene.Field(TaxedMoney, required=True)
    total_price = graphene.Field(TaxedMoney, required=True)
    total_balance = graphene.Field(
        Money, required=True, description="Charged minus the total: negative while unpaid."
    )
    discount = graphene.Field(Money)
    discount_name = graphene.String()
    voucher_code = graphene.String()
    gift_cards = graphene.List(graphene.NonNull(gift_card_type), required=True)
    is_shipping_required = graphene.Boolean(required=True)
    shipping_address = graphene.Field(registered_type("Address"))
    billing_address = graphene.Field(registered_type("Address"))
    shipping_methods = graphene.List(
        graphene.NonNull(registered_type("ShippingMethod")),
        required=True,
        description="Shipping methods that apply to this checkout's address and contents.",
    )
    available_shipping_methods = graphene.List(
        graphene.NonNull(registered_type("ShippingMethod")),
        required=True,
        deprecation_reason="Use shippingMethods.",
    )
    available_collection_points = graphene.List(
        graphene.NonNull(registered_type("Warehouse")),
        required=True,
        description="Warehouses of the channel where the order may be collected.",
    )
    shipping_method = graphene.Field(
        registered_type("ShippingMethod"), deprecation_reason="Use deliveryMethod."
    )
    delivery_method = graphene.Field(lambda: delivery_method_union())
    available_payment_gateways = graphene.List(
        graphene.NonNull(registered_type("PaymentGateway")), required=True
    )
    authorize_status = graphene.Field(CheckoutAuthorizeStatusEnum, required=True)
    charge_status = graphene.Field(CheckoutChargeStatusEnum, required=True)
    transactions = graphene.List(graphene.NonNull(registered_type("TransactionItem")))
    problems = graphene.List(
        graphene.NonNull(Error),
        required=True,
        description="Why checkoutComplete would refuse now (empty when it can complete).",
    )
    stock_reservation_expires = graphene.DateTime()

    @staticmethod
    def resolve_id(root: CheckoutModel, info: Any) -> str:
        return gid("Checkout", root.token)

    @staticmethod
    def resolve_email(root: CheckoutModel, info: Any) -> str | None:
        return root.email or None

    @staticmethod
    def resolve_created(root: CheckoutModel, info: Any) -> Any:
        return root.created_at

    @staticmethod
    def resolve_updated_at(root: CheckoutModel, info: Any) -> Any:
        return root.last_change

    @staticmethod
    def resolve_note(root: CheckoutModel, info: Any) -> str:
        return root.customer_note

    @staticmethod
    def resolve_lines(root: CheckoutModel, info: Any) -> list[LinePrice]:
        data = data_of(root)
        if not data.variants_prepared:
            prepare_variants(info, [line.variant for line in data.lines], root.channel)
            data.variants_prepared = True
        return data.prices.lines

    @staticmethod
    def resolve_quantity(root: CheckoutModel, info: Any) -> int:
        return sum(info_.line.quantity for info_ in data_of(root).lines)

    @staticmethod
    def resolve_subtotal_price(root: CheckoutModel, info: Any) -> Any:
        return data_of(root).prices.subtotal

    @staticmethod
    def resolve_shipping_price(root: CheckoutModel, info: Any) -> Any:
        return data_of(root).prices.shipping

    @staticmethod
    def resolve_total_price(root: CheckoutModel, info: Any) -> Any:
        return data_of(root).prices.total

    @staticmethod
    def resolve_total_balance(root: CheckoutModel, info: Any) -> PricesMoney:
        charged, _, _ = totals(_transactions(root))
        return money(charged, root.currency) - data_of(root).prices.total.gross

    @staticmethod
    def resolve_discount(root: CheckoutModel, info: Any) -> PricesMoney:
        return data_of(root).prices.discount

    @staticmethod
    def resolve_discount_name(root: CheckoutModel, info: Any) -> str | None:
        return root.voucher_code or None

    @staticmethod
    def resolve_voucher_code(root: CheckoutModel, info: Any) -> str | None:
        return root.voucher_code or None

    @staticmethod
    def resolve_gift_cards(root: CheckoutModel, info: Any) -> list:
        if not root.gift_card_codes:
            return []
        return get_manager().decision("checkout_gift_cards", channel=root.channel, checkout=root)

    @staticmethod
    def resolve_is_shipping_required(root: CheckoutModel, info: Any) -> bool:
        return any(line.is_shipping_required for line in data_of(root).lines)

    @staticmethod
    def resolve_shipping_address(root: CheckoutModel, info: Any) -> Any:
        return address(root.shipping_address, f"checkout-{root.token}-shipping")

    @staticmethod
    def resolve_billing_address(root: CheckoutModel, info: Any) -> Any:
        return address(root.billing_address, f"checkout-{root.token}-billing")

    @staticmethod
    def resolve_shipping_methods(root: CheckoutModel, info: Any) -> list:
        return _with_listing(data_of(root).options)

    @staticmethod
    def resolve_available_shipping_methods(root: CheckoutModel, info: Any) -> list:
        return _with_listing(data_of(root).options)

    @staticmethod
    def resolve_available_collection_points(root: CheckoutModel, info: Any) -> list:
        return collection_points(root.channel)

    @staticmethod
    def resolve_shipping_method(root: CheckoutModel, info: Any) -> Any:
        return _chosen_method(root)

    @staticmethod
    def resolve_delivery_method(root: CheckoutModel, info: Any) -> Any:
        if root.collection_point_id is not None:
            return root.collection_point
        return _chosen_method(root)

    @staticmethod
    def resolve_available_payment_gateways(root: CheckoutModel, info: Any) -> list:
        return gateways(root.channel, root.currency)

    @staticmethod
    def resolve_authorize_status(root: CheckoutModel, info: Any) -> str:
        charged, authorized, _ = totals(_transactions(root))
        return authorize_status(authorized, charged, data_of(root).prices.total.gross.amount).value

    @staticmethod
    def resolve_charge_status(root: CheckoutModel, info: Any) -> str:
        charged, _, _ = totals(_transactions(root))
        return charge_status(charged, data_of(root).prices.total.gross.amount).value

    @staticmethod
    def resolve_transactions(root: CheckoutModel, info: Any) -> list:
        return _transactions(root)

    @staticmethod
    def resolve_problems(root: CheckoutModel, info: Any) -> list[Error]:
        found = data_of(root).problems
        return [Error(field=p.field, code=p.code, message=p.message) for p in found]

    @staticmethod
    def resolve_stock_reservation_expires(root: CheckoutModel, info: Any) -> Any:
        held = Reservation.objects.filter(checkout_token=root.token, reserved_until__gt=now())
        return held.aggregate(until=Min("reserved_until"))["until"]


def _transactions(checkout: CheckoutModel) -> list:
    found = checkout.__dict__.get("_gql_transactions")
    if found is None:
        found = list(checkout.transactions.prefetch_related("events").order_by("created_at", "pk"))
        for transaction in found:
            transaction.checkout = checkout
        checkout.__dict__["_gql_transactions"] = found
    return found


def _chosen_method(checkout: CheckoutModel) -> Any:
    """The chosen shipping method, priced when it is among the current options."""
    if checkout.shipping_method_id is None:
        return None
    for method, listing in data_of(checkout).options:
        if method.pk == checkout.shipping_method_id:
            method._listing = listing
            return method
    return checkout.shipping_method


#: Fields the checkout domain adds to other domains' types (core.graphql.schema).
TYPE_FIELDS = {
    "ShippingMethod": {
        "price": graphene.Field(
            Money,
            resolver=resolve_shipping_method_price,
            description="Price in the checkout's channel (when offered for a checkout).",
        )
    }
}
