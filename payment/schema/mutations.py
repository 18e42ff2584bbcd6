"""Payment mutations at Saleor's shape; every write goes through payment.services.

Who may pay: the customer who may use the checkout (``checkout.access``), or who
may pay the order (``order.access``: its owner, staff, or anybody holding the id
of an order placed without an account). Staff actions on transactions need
MANAGE_PAYMENTS or MANAGE_ORDERS.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import graphene

from checkout.access import checkout_for, find_checkout, may_access
from checkout.fetch import fetch_lines
from checkout.pricing import calculate
from checkout.problems import problems
from core.errors import DomainError, NotFound, PermissionDenied
from core.graphql.schema import registered_type
from core.graphql.types import BaseMutation, Error
from core.permissions import Perm, has_perm
from order.access import may_pay, order_for
from payment import services
from payment.gateway import TransactionAction
from payment.models import Transaction

from .common import decode_token
from .types import (
    JSON,
    Payment,
    PaymentGatewayConfig,
    PositiveDecimal,
    TransactionActionEnum,
    TransactionEvent,
    TransactionFlowStrategyEnum,
    TransactionItem,
)


@dataclass
class Source:
    """What a payment is for: a checkout or an order, with what it still owes."""

    channel: Any
    currency: str
    due: Decimal
    checkout: Any = None
    order: Any = None


def _covered(records: list[Transaction]) -> Decimal:
    return sum(
        (
            r.charged_value
            + r.authorized_value
            + r.charge_pending_value
            + r.authorize_pending_value
            for r in records
        ),
        Decimal(0),
    )


def payment_source(info: Any, value: Any) -> Source:
    """A checkout or an order id (global, or the bare UUID) the requester may pay for."""
    user = info.context.user
    kind, token = decode_token(value, ("Checkout", "Order"))
    if kind in ("", "Checkout"):
        checkout = find_checkout(token, user)
        if checkout is not None:
            total = calculate(checkout, fetch_lines(checkout)).total.gross.amount
            due = total - _covered(list(checkout.transactions.all()))
            return Source(checkout.channel, checkout.currency, max(due, Decimal(0)), checkout)
        if kind == "Checkout":
            raise NotFound("No such checkout.", field="id")
    order = order_for(token, user, to_pay=True)
    due = order.total_gross - _covered(list(order.transactions.all()))
    return Source(order.channel, order.currency, max(due, Decimal(0)), order=order)


def _transaction(info: Any, value: Any) -> Transaction:
    """A transaction the requester may act on as a payer (its checkout's or order's)."""
    _, token = decode_token(value, ("TransactionItem",))
    record = services.find_transaction(token)
    user = info.context.user
    if record.checkout_id is not None:
        allowed = may_access(record.checkout, user)
    elif record.order_id is not None:
        allowed = may_pay(record.order, user)
    else:
        allowed = False
    if not allowed:
        raise NotFound("No such transaction.", field="id")
    return record


def _last_event(record: Transaction) -> Any:
    return record.events.order_by("-created_at", "-pk").first()


class PaymentGatewayToInitialize(graphene.InputObjectType):
    id = graphene.String(required=True, description="The gateway's id.")
    data = graphene.InputField(JSON)


class PaymentGatewayInitialize(BaseMutation):
    """What each gateway's client-side code needs before paying (e.g. a public key)."""

    gateway_configs = graphene.List(graphene.NonNull(PaymentGatewayConfig))

    class Arguments:
        id = graphene.ID(required=True, description="A checkout or an order id.")
        amount = graphene.Argument(PositiveDecimal)
        payment_gateways = graphene.List(graphene.NonNull(PaymentGatewayToInitialize))

    @classmethod
    def perform(cls, info: Any, **data: Any) -> dict:
        source = payment_source(info, data["id"])
        wanted = data.get("payment_gateways")
        if wanted is None:
            wanted = [{"id": g.id} for g in services.gateways(source.channel, source.currency)]
        amount = data.get("amount") if data.get("amount") is not None else source.due
        configs = []
        for item in wanted:
            try:
                answer = services.initialize_gateway(
                    channel=source.channel,
                    currency=source.currency,
                    gateway_id=item["id"],
                    amount=amount or None,
                    data=item.get("data"),
                )
            except DomainError as error:
                errors = [
                    Error(field=d.field, code=d.code, message=d.message) for d in error.errors
                ]
                configs.append(PaymentGatewayConfig(id=item["id"], data=None, errors=errors))
                continue
            configs.append(PaymentGatewayConfig(id=item["id"], data=answer, errors=[]))
        return {"gateway_configs": configs}


class TransactionInitialize(BaseMutation):
    """Start a payment with a gateway for a checkout or an order."""

    transaction = graphene.Field(TransactionItem)
    transaction_event = graphene.Field(TransactionEvent)
    data = graphene.Field(JSON, description="What the gateway returns to the client.")

    class Arguments:
        id = graphene.ID(required=True, description="A checkout or an order id.")
        payment_gateway = PaymentGatewayToInitialize(required=True)
        amount = graphene.Argument(PositiveDecimal, description="Defaults to what is still due.")
        action = graphene.Argument(TransactionFlowStrategyEnum, description="Default CHARGE.")
        idempotency_key = graphene.String(
            description=(
                "Retrying with the same key for the same checkout or order returns the "
                "transaction the first call created instead of starting another payment."
            )
        )
        customer_ip_address = graphene.String(description="Accepted; not used yet.")

    @classmethod
    def perform(cls, info: Any, **data: Any) -> dict:
        source = payment_source(info, data["id"])
        gateway = data["payment_gateway"]
        action = data.get("action")
        record, result = services.start_transaction(
            channel=source.channel,
            currency=source.currency,
            gateway_id=gateway["id"],
            amount=data.get("amount"),
            default_amount=source.due,
            action=TransactionAction(getattr(action, "value", action) or "CHARGE"),
            data=gateway.get("data"),
            checkout=source.checkout,
            order=source.order,
            user=info.context.user,
            idempotency_key=data.get("idempotency_key") or "",
        )
        return {
            "transaction": record,
            "transaction_event": _last_event(record),
            "data": result.data or None,
        }


class TransactionProcess(BaseMutation):
    """Let the gateway settle a payment after the customer acted (3-D Secure, redirect)."""

    transaction = graphene.Field(TransactionItem)
    transaction_event = graphene.Field(TransactionEvent)
    data = graphene.Field(JSON)

    class Arguments:
        id = graphene.ID(required=True, description="The transaction's id (or its token).")
        data = graphene.Argument(JSON)

    @classmethod
    def perform(cls, info: Any, **data: Any) -> dict:
        record = _transaction(info, data["id"])
        result = services.process_transaction(record, data.get("data"), user=info.context.user)
        return {
            "transaction": record,
            "transaction_event": _last_event(record),
            "data": result.data or None,
        }


def require_payment_staff(user: Any) -> None:
    if not (has_perm(user, Perm.MANAGE_PAYMENTS) or has_perm(user, Perm.MANAGE_ORDERS)):
        raise PermissionDenied(
            "You need the 'MANAGE_PAYMENTS' or 'MANAGE_ORDERS' permission to do this.",
            code="PERMISSION_DENIED",
        )


class TransactionRequestAction(BaseMutation):
    """Staff: charge, refund or cancel (part of) a transaction through its gateway."""

    transaction = graphene.Field(TransactionItem)

    class Arguments:
        id = graphene.ID(required=True)
        action_type = graphene.Argument(TransactionActionEnum, required=True)
        amount = graphene.Argument(PositiveDecimal, description="Default: all that is possible.")

    @classmethod
    def perform(cls, info: Any, **data: Any) -> dict:
        user = info.context.user
        require_payment_staff(user)
        _, token = decode_token(data["id"], ("TransactionItem",))
        record = services.find_transaction(token)
        action = data["action_type"]
        record = services.request_action(
            record, getattr(action, "value", action), data.get("amount"), user=user
        )
        return {"transaction": record}


class PaymentInput(graphene.InputObjectType):
    gateway = graphene.String(required=True, description="The gateway's id.")
    token = graphene.String(description="The card or payment token the gateway's SDK gave.")
    amount = graphene.InputField(PositiveDecimal, description="Must equal what is due.")
    return_url = graphene.String()
    store_payment_method = graphene.String(description="Accepted; not used.")


class CheckoutPaymentCreate(BaseMutation):
    """One-step payment for gateways that settle synchronously (Saleor's legacy flow)."""

    checkout = graphene.Field(registered_type("Checkout"))
    payment = graphene.Field(Payment)

    class Arguments:
        id = graphene.ID(description="The checkout's id (or its token).")
        token = graphene.UUID(deprecation_reason="Use id.")
        input = PaymentInput(required=True)

    @classmethod
    def perform(cls, info: Any, **data: Any) -> dict:
        value = data.get("id") or data.get("token")
        if not value:
            raise DomainError("Give the checkout's id.", code="REQUIRED", field="id")
        _, token = decode_token(value, ("Checkout",))
        checkout = checkout_for(token, info.context.user)
        lines = fetch_lines(checkout)
        prices = calculate(checkout, lines)
        found = problems(checkout, lines, prices)
        if found:
            raise DomainError(errors=found)
        payment = data["input"]
        record = services.create_legacy_payment(
            checkout=checkout,
            gateway_id=payment["gateway"],
            total=prices.total.gross.amount,
            amount=payment.get("amount"),
            data={"token": payment["token"]} if payment.get("token") else {},
            user=info.context.user,
        )
        return {"checkout": checkout, "payment": record}


class Mutation(graphene.ObjectType):
    payment_gateway_initialize = PaymentGatewayInitialize.Field()
    transaction_initialize = TransactionInitialize.Field()
    transaction_process = TransactionProcess.Field()
    transaction_request_action = TransactionRequestAction.Field()
    checkout_payment_create = CheckoutPaymentCreate.Field()
