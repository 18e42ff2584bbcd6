"""Payment types at Saleor's shape: TransactionItem, TransactionEvent, PaymentGateway, Payment.

Amounts are derived from a transaction's events (payment.amounts); the types only
read them. ``rawResponse`` of events is support data and never shown.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

import graphene
from graphql.language import ast
from prices import Money as PricesMoney

from core.graphql.schema import extendable, registered_type
from core.graphql.types import Error, Money
from core.money import money
from payment.gateway import TransactionEventType
from payment.models import Transaction
from payment.models import TransactionEvent as TransactionEventModel

from .common import gid


@extendable
class PositiveDecimal(graphene.Scalar):
    """A positive decimal amount: a JSON number or string, read exactly (``10.1`` stays 10.1)."""

    @staticmethod
    def serialize(value: Any) -> str:
        return str(value)

    @staticmethod
    def parse_value(value: Any) -> Decimal:
        if isinstance(value, bool):
            raise ValueError("Expected a number.")
        text = repr(value) if isinstance(value, float) else str(value)
        try:
            parsed = Decimal(text)
        except InvalidOperation as exc:
            raise ValueError(f"{value!r} is not a number.") from exc
        if not parsed.is_finite() or parsed < 0:
            raise ValueError(f"{value!r} is not a positive number.")
        return parsed

    @classmethod
    def parse_literal(cls, node: ast.ValueNode, _variables: Any = None) -> Decimal:
        if isinstance(node, ast.IntValueNode | ast.FloatValueNode | ast.StringValueNode):
            return cls.parse_value(node.value)
        raise ValueError("Expected a number.")


@extendable
class JSON(graphene.Scalar):
    """Any JSON value (an object for gateway data)."""

    @staticmethod
    def serialize(value: Any) -> Any:
        return value

    @staticmethod
    def parse_value(value: Any) -> Any:
        return value

    @classmethod
    def parse_literal(cls, node: ast.ValueNode, _variables: Any = None) -> Any:
        from graphql import value_from_ast_untyped

        return value_from_ast_untyped(node, _variables)


TransactionEventTypeEnum = graphene.Enum(
    "TransactionEventTypeEnum", [(t.value, t.value) for t in TransactionEventType]
)
TransactionActionEnum = graphene.Enum(
    "TransactionActionEnum", [(v, v) for v in ("CHARGE", "REFUND", "CANCEL")]
)
TransactionFlowStrategyEnum = graphene.Enum(
    "TransactionFlowStrategyEnum", [(v, v) for v in ("AUTHORIZATION", "CHARGE")]
)


class GatewayConfigLine(graphene.ObjectType):
    field = graphene.String(required=True)
    value = graphene.String()


@extendable
class PaymentGateway(graphene.ObjectType):
    """A gateway offered in a channel; ``config`` holds only its public settings."""

    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    currencies = graphene.List(graphene.NonNull(graphene.String), required=True)
    config = graphene.List(graphene.NonNull(GatewayConfigLine), required=True)

    @staticmethod
    def resolve_currencies(root: Any, info: Any) -> list[str]:
        return list(root.currencies)

    @staticmethod
    def resolve_config(root: Any, info: Any) -> list[GatewayConfigLine]:
        return [GatewayConfigLine(field=name, value=value) for name, value in root.config]


def _money(root: Transaction, value: Decimal) -> PricesMoney:
    return money(value, root.currency)


@extendable
class TransactionEvent(graphene.ObjectType):
    id = graphene.ID(required=True)
    type = graphene.Field(TransactionEventTypeEnum, required=True)
    amount = graphene.Field(Money, required=True)
    psp_reference = graphene.String(required=True)
    message = graphene.String(required=True)
    external_url = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)

    @staticmethod
    def resolve_id(root: TransactionEventModel, info: Any) -> str:
        return gid("TransactionEvent", root.pk)

    @staticmethod
    def resolve_type(root: TransactionEventModel, info: Any) -> str:
        return str(root.type)

    @staticmethod
    def resolve_amount(root: Any, info: Any) -> PricesMoney:
        return money(root.amount, root.currency)


@extendable
class TransactionItem(graphene.ObjectType):
    id = graphene.ID(required=True)
    token = graphene.UUID(required=True)
    name = graphene.String(required=True)
    psp_reference = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)
    modified_at = graphene.DateTime(required=True)
    actions = graphene.List(
        graphene.NonNull(TransactionActionEnum),
        required=True,
        description="Actions staff can request now (transactionRequestAction).",
    )
    authorized_amount = graphene.Field(Money, required=True)
    authorize_pending_amount = graphene.Field(Money, required=True)
    charged_amount = graphene.Field(Money, required=True)
    charge_pending_amount = graphene.Field(Money, required=True)
    refunded_amount = graphene.Field(Money, required=True)
    refund_pending_amount = graphene.Field(Money, required=True)
    canceled_amount = graphene.Field(Money, required=True)
    cancel_pending_amount = graphene.Field(Money, required=True)
    events = graphene.List(graphene.NonNull(TransactionEvent), required=True)
    checkout = graphene.Field(registered_type("Checkout"))
    order = graphene.Field(registered_type("Order"))

    @staticmethod
    def resolve_id(root: Transaction, info: Any) -> str:
        return gid("TransactionItem", root.token)

    @staticmethod
    def resolve_name(root: Transaction, info: Any) -> str:
        return root.name or root.gateway_id

    @staticmethod
    def resolve_modified_at(root: Transaction, info: Any) -> Any:
        return root.updated_at

    @staticmethod
    def resolve_actions(root: Transaction, info: Any) -> list[str]:
        actions = []
        if root.authorized_value > 0:
            actions += ["CHARGE", "CANCEL"]
        if root.charged_value > 0:
            actions.append("REFUND")
        return actions

    @staticmethod
    def resolve_authorized_amount(root: Transaction, info: Any) -> PricesMoney:
        return _money(root, root.authorized_value)

    @staticmethod
    def resolve_authorize_pending_amount(root: Transaction, info: Any) -> PricesMoney:
        return _money(root, root.authorize_pending_value)

    @staticmethod
    def resolve_charged_amount(root: Transaction, info: Any) -> PricesMoney:
        return _money(root, root.charged_value)

    @staticmethod
    def resolve_charge_pending_amount(root: Transaction, info: Any) -> PricesMoney:
        return _money(root, root.charge_pending_value)

    @staticmethod
    def resolve_refunded_amount(root: Transaction, info: Any) -> PricesMoney:
        return _money(root, root.refunded_value)

    @staticmethod
    def resolve_refund_pending_amount(root: Transaction, info: Any) -> PricesMoney:
        return _money(root, root.refund_pending_value)

    @staticmethod
    def resolve_canceled_amount(root: Transaction, info: Any) -> PricesMoney:
        return _money(root, root.canceled_value)

    @staticmethod
    def resolve_cancel_pending_amount(root: Transaction, info: Any) -> PricesMoney:
        return _money(root, root.cancel_pending_value)

    @staticmethod
    def resolve_events(root: Transaction, info: Any) -> Any:
        return root.events.all()

    @staticmethod
    def resolve_checkout(root: Transaction, info: Any) -> Any:
        return root.checkout if root.checkout_id else None

    @staticmethod
    def resolve_order(root: Transaction, info: Any) -> Any:
        return root.order if root.order_id else None


PaymentChargeStatusEnum = graphene.Enum(
    "PaymentChargeStatusEnum",
    [
        (v, v)
        for v in (
            "NOT_CHARGED",
            "PENDING",
            "PARTIALLY_CHARGED",
            "FULLY_CHARGED",
            "PARTIALLY_REFUNDED",
            "FULLY_REFUNDED",
            "REFUSED",
        )
    ],
)


def _requested(root: Transaction) -> Decimal:
    first = root.events.order_by("created_at", "pk").first()
    return first.amount if first is not None else Decimal(0)


@extendable
class Payment(graphene.ObjectType):
    """A one-step payment (``checkoutPaymentCreate``), kept as a transaction."""

    id = graphene.ID(required=True)
    gateway = graphene.String(required=True)
    is_active = graphene.Boolean(required=True)
    created = graphene.DateTime(required=True)
    modified = graphene.DateTime(required=True)
    psp_reference = graphene.String()
    charge_status = graphene.Field(PaymentChargeStatusEnum, required=True)
    total = graphene.Field(Money)
    captured_amount = graphene.Field(Money)
    transaction = graphene.Field(TransactionItem, required=True)

    @staticmethod
    def resolve_id(root: Transaction, info: Any) -> str:
        return gid("Payment", root.token)

    @staticmethod
    def resolve_gateway(root: Transaction, info: Any) -> str:
        return root.gateway_id

    @staticmethod
    def resolve_is_active(root: Transaction, info: Any) -> bool:
        return root.charged_value > 0 or root.authorized_value > 0

    @staticmethod
    def resolve_created(root: Transaction, info: Any) -> Any:
        return root.created_at

    @staticmethod
    def resolve_modified(root: Transaction, info: Any) -> Any:
        return root.updated_at

    @staticmethod
    def resolve_psp_reference(root: Transaction, info: Any) -> str | None:
        return root.psp_reference or None

    @staticmethod
    def resolve_charge_status(root: Transaction, info: Any) -> str:
        requested = _requested(root)
        if root.refunded_value > 0:
            return "FULLY_REFUNDED" if root.charged_value <= 0 else "PARTIALLY_REFUNDED"
        if root.charged_value > 0:
            return "FULLY_CHARGED" if root.charged_value >= requested else "PARTIALLY_CHARGED"
        if root.charge_pending_value > 0 or root.authorize_pending_value > 0:
            return "PENDING"
        if root.events.filter(type__endswith="_FAILURE").exists():
            return "REFUSED"
        return "NOT_CHARGED"

    @staticmethod
    def resolve_total(root: Transaction, info: Any) -> PricesMoney:
        return _money(root, _requested(root))

    @staticmethod
    def resolve_captured_amount(root: Transaction, info: Any) -> PricesMoney:
        return _money(root, root.charged_value)

    @staticmethod
    def resolve_transaction(root: Transaction, info: Any) -> Transaction:
        return root


class PaymentGatewayConfig(graphene.ObjectType):
    id = graphene.String(required=True)
    data = graphene.Field(JSON)
    errors = graphene.List(graphene.NonNull(Error), required=True)
