"""Payments: create transactions, ask gateway plugins, record what they report.

Provider calls happen outside database transactions (a slow gateway must not
hold row locks); recording an outcome is a short transaction that locks the
transaction row, appends an event unless the same (type, PSP reference) was
recorded before, and recomputes the amounts from all events. A webhook replayed
five times therefore records one event and moves money once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from core.errors import DomainError, NotFound
from core.models import Channel
from core.money import validate_amount_precision
from core.plugins.manager import get_manager
from payment.amounts import derive
from payment.gateway import (
    PaymentGateway,
    TransactionAction,
    TransactionEventType,
    TransactionResult,
)
from payment.models import Transaction, TransactionEvent

logger = logging.getLogger(__name__)

T = TransactionEventType

#: Called with the order after a transaction attached to it changed (order.services).
order_payment_listeners: list[Callable[[Any], None]] = []


class PaymentError(DomainError):
    default_code = "PAYMENT_ERROR"


def gateways(channel: Channel, currency: str) -> list[PaymentGateway]:
    found = get_manager().decision("payment_gateways", channel=channel, currency=currency)
    return [g for g in found if currency in g.currencies]


def _gateway(channel: Channel, currency: str, gateway_id: str) -> PaymentGateway:
    for gateway in gateways(channel, currency):
        if gateway.id == gateway_id:
            return gateway
    raise PaymentError(
        f"The payment gateway '{gateway_id}' is not available for {currency} in this channel.",
        code="NOT_SUPPORTED_GATEWAY",
        field="gateway",
    )


def _clean_amount(amount: Any, currency: str) -> Decimal:
    value = validate_amount_precision(amount, currency, field="amount")
    if value <= 0:
        raise PaymentError("The amount must be positive.", code="INVALID", field="amount")
    return value


def start_transaction(
    *,
    channel: Channel,
    currency: str,
    gateway_id: str,
    amount: Any,
    action: TransactionAction,
    data: dict | None,
    checkout: Any = None,
    order: Any = None,
    user: Any = None,
    idempotency_key: str = "",
    default_amount: Any = None,
) -> tuple[Transaction, TransactionResult]:
    """``transactionInitialize``: create the record, then ask the gateway to start.

    With an ``idempotency_key``, a retry for the same checkout or order (a double click,
    a client retrying after a timeout) returns the transaction the first call created,
    with what the gateway answered then, and does not ask the gateway again. The replay
    is looked up before ``default_amount`` (what is still due, which the first call may
    already have covered) stands in for a missing ``amount``.
    """
    gateway = _gateway(channel, currency, gateway_id)
    key = _clean_idempotency_key(idempotency_key)
    requested = None if amount is None else _clean_amount(amount, currency)
    if key:
        replay = _idempotent_replay(key, gateway.id, requested, checkout=checkout, order=order)
        if replay is not None:
            return replay
    value = requested if requested is not None else _clean_amount(default_amount, currency)
    try:
        with transaction.atomic():
            record = Transaction.objects.create(
                gateway_id=gateway.id,
                name=gateway.name,
                currency=currency,
                channel=channel,
                checkout=checkout,
                order=order,
                idempotency_key=key,
                initial_amount=value,
            )
    except IntegrityError:
        # A concurrent call with the same key won the insert.
        replay = _idempotent_replay(key, gateway.id, requested, checkout=checkout, order=order)
        if replay is None:
            raise
        return replay
    failure = T.CHARGE_FAILURE if action == TransactionAction.CHARGE else T.AUTHORIZATION_FAILURE
    try:
        result = get_manager().decision(
            "transaction_initialize",
            channel=channel,
            gateway_id=gateway.id,
            transaction=record,
            amount=value,
            action=action,
            data=data or {},
        )
    except DomainError as error:
        # The attempt stays visible to staff as a failed transaction, not an empty one.
        record_event(record, failure, value, message=error.errors[0].message, user=user)
        raise
    if result is None:
        record_event(record, failure, value, message="The gateway did not answer.", user=user)
        raise PaymentError("The gateway did not answer.", code="GATEWAY_ERROR", field="gateway")
    if result.data:
        Transaction.objects.filter(pk=record.pk).update(client_data=result.data)
        record.client_data = result.data
    record_result(record, result, user=user)
    return record, result


def _clean_idempotency_key(key: str | None) -> str:
    key = (key or "").strip()
    if len(key) > 255:
        raise PaymentError(
            "The idempotency key is longer than 255 characters.",
            code="INVALID",
            field="idempotencyKey",
        )
    return key


def _idempotent_replay(
    key: str, gateway_id: str, amount: Decimal | None, *, checkout: Any, order: Any
) -> tuple[Transaction, TransactionResult] | None:
    source = {"checkout": checkout} if checkout is not None else {"order": order}
    record = Transaction.objects.filter(idempotency_key=key, **source).first()
    if record is None:
        return None
    if record.gateway_id != gateway_id or amount not in (None, record.initial_amount):
        raise PaymentError(
            "This idempotency key was used for a different payment (gateway or amount).",
            code="UNIQUE",
            field="idempotencyKey",
        )
    last = record.events.order_by("-created_at", "-pk").first()
    result = TransactionResult(
        result=TransactionEventType(last.type) if last else T.CHARGE_REQUEST,
        amount=last.amount if last else record.initial_amount,
        psp_reference=last.psp_reference if last else "",
        message=last.message if last else "",
        data=dict(record.client_data or {}),
    )
    return record, result


def initialize_gateway(
    *, channel: Channel, currency: str, gateway_id: str, amount: Any, data: dict | None
) -> Any:
    """``paymentGatewayInitialize``: what a client needs before paying (e.g. a public key).

    Asks the ``payment_gateway_initialize`` decision; None when the gateway needs nothing.
    Writes nothing.
    """
    gateway = _gateway(channel, currency, gateway_id)
    value = None if amount is None else _clean_amount(amount, currency)
    return get_manager().decision(
        "payment_gateway_initialize",
        channel=channel,
        gateway_id=gateway.id,
        amount=value,
        data=data or {},
    )


def create_legacy_payment(
    *,
    checkout: Any,
    gateway_id: str,
    total: Decimal,
    amount: Any = None,
    data: dict | None = None,
    user: Any = None,
) -> Transaction:
    """``checkoutPaymentCreate``: one-step payment for gateways that settle synchronously.

    The payment must cover what the checkout still owes (``total`` minus what its
    transactions already cover), as Saleor refuses partial payments here. The gateway
    answers through the ``authorize_payment`` decision and its result becomes the
    transaction's first event. A decline (a veto) is recorded as a CHARGE_FAILURE event,
    so the attempt stays visible to staff, and re-raised for the client.
    """
    channel, currency = checkout.channel, checkout.currency
    gateway = _gateway(channel, currency, gateway_id)
    charged, authorized, _ = totals(list(Transaction.objects.filter(checkout=checkout)))
    due = max(total - charged - authorized, Decimal(0))
    if due <= 0:
        raise PaymentError(
            "The checkout is already paid.", code="CHECKOUT_FULLY_PAID", field="amount"
        )
    value = due if amount is None else _clean_amount(amount, currency)
    if value != due:
        raise PaymentError(
            f"Partial payments are not allowed: the amount must be {due} {currency}.",
            code="PARTIAL_PAYMENT_NOT_ALLOWED",
            field="amount",
        )
    record = Transaction.objects.create(
        gateway_id=gateway.id,
        name=gateway.name,
        currency=currency,
        channel=channel,
        checkout=checkout,
    )
    try:
        result = get_manager().decision(
            "authorize_payment",
            channel=channel,
            gateway_id=gateway.id,
            payment=record,
            amount=value,
            data=data or {},
        )
    except DomainError as error:
        record_event(record, T.CHARGE_FAILURE, value, message=error.errors[0].message, user=user)
        raise
    if result is None:
        record_event(record, T.CHARGE_FAILURE, value, message="Not supported.", user=user)
        raise PaymentError(
            "This gateway does not take one-step payments.",
            code="NOT_SUPPORTED_GATEWAY",
            field="gateway",
        )
    return record_result(record, result, user=user)


def process_transaction(
    record: Transaction, data: dict | None, user: Any = None
) -> TransactionResult:
    """``transactionProcess``: let the gateway settle a session after the customer acted."""
    result = get_manager().decision(
        "transaction_process",
        channel=record.channel,
        gateway_id=record.gateway_id,
        transaction=record,
        data=data or {},
    )
    if result is None:
        raise PaymentError("The gateway did not answer.", code="GATEWAY_ERROR")
    record_result(record, result, user=user)
    return result


def request_action(
    record: Transaction, action: str, amount: Any = None, user: Any = None
) -> Transaction:
    """Staff ``transactionRequestAction``: CHARGE, REFUND or CANCEL through the gateway."""
    record.refresh_from_db()
    hook, request_type, limit = {
        "CHARGE": ("capture_payment", T.CHARGE_REQUEST, record.authorized_value),
        "REFUND": ("refund_payment", T.REFUND_REQUEST, record.charged_value),
        "CANCEL": ("cancel_payment", T.CANCEL_REQUEST, record.authorized_value),
    }.get(action, (None, None, None))
    if hook is None:
        raise PaymentError(f"Unknown action {action!r}.", code="INVALID", field="actionType")
    value = limit if amount is None else _clean_amount(amount, record.currency)
    if value <= 0 or value > limit:
        raise PaymentError(
            f"{action.title()} amount must be between 0 and {limit} {record.currency}.",
            code="INVALID_AMOUNT",
            field="amount",
        )
    kwargs: dict[str, Any] = {"gateway_id": record.gateway_id, "transaction": record}
    if action != "CANCEL":
        kwargs["amount"] = value
    result = get_manager().decision(hook, channel=record.channel, **kwargs)
    if result is None:
        raise PaymentError("The gateway does not support this action.", code="NOT_SUPPORTED")
    record_event(record, request_type, value, result.psp_reference, user=user)
    return record_result(record, result, user=user)


def record_result(record: Transaction, result: TransactionResult, user: Any = None) -> Transaction:
    return record_event(
        record,
        result.result,
        result.amount,
        result.psp_reference,
        message=result.message,
        raw_response=result.raw_response,
        external_url=result.external_url,
        user=user,
    )


def record_event(
    record: Transaction,
    kind: TransactionEventType,
    amount: Any,
    psp_reference: str = "",
    *,
    message: str = "",
    raw_response: dict | None = None,
    external_url: str = "",
    user: Any = None,
) -> Transaction:
    """Append an event (once per type and PSP reference) and recompute the amounts."""
    value = validate_amount_precision(amount, record.currency, field="amount")
    with transaction.atomic():
        locked = Transaction.objects.select_for_update().get(pk=record.pk)
        if psp_reference and locked.events.filter(type=kind, psp_reference=psp_reference).exists():
            return locked
        try:
            with transaction.atomic():
                TransactionEvent.objects.create(
                    transaction=locked,
                    type=kind,
                    amount=value,
                    currency=locked.currency,
                    psp_reference=psp_reference,
                    message=message[:512],
                    raw_response=raw_response or {},
                    external_url=external_url,
                    created_by=user if getattr(user, "is_authenticated", False) else None,
                )
        except IntegrityError:
            return locked
        if psp_reference and not locked.psp_reference:
            locked.psp_reference = psp_reference
        _apply_amounts(locked)
        if locked.order_id is not None:
            for listener in order_payment_listeners:
                listener(locked.order)
    record.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return locked


def _apply_amounts(record: Transaction) -> None:
    amounts = derive(
        record.events.order_by("created_at", "pk").values_list("type", "amount", "psp_reference")
    )
    record.authorized_value = amounts.authorized
    record.charged_value = amounts.charged
    record.refunded_value = amounts.refunded
    record.canceled_value = amounts.canceled
    record.authorize_pending_value = amounts.authorize_pending
    record.charge_pending_value = amounts.charge_pending
    record.refund_pending_value = amounts.refund_pending
    record.cancel_pending_value = amounts.cancel_pending
    record.save()


def find_transaction(token: Any) -> Transaction:
    record = Transaction.objects.select_related("channel").filter(token=token).first()
    if record is None:
        raise NotFound("No such transaction.", field="id")
    return record


def totals(records: list[Transaction]) -> tuple[Decimal, Decimal, Decimal]:
    """(charged, authorized, refunded) over a checkout's or an order's transactions."""
    charged = sum((r.charged_value for r in records), Decimal(0))
    authorized = sum((r.authorized_value for r in records), Decimal(0))
    refunded = sum((r.refunded_value for r in records), Decimal(0))
    return charged, authorized, refunded
