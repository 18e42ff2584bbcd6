"""How a PaymentIntent (or a refund) becomes one transaction event.

Shared by ``transactionProcess`` (a retrieved intent), the hooks that act on an intent
(capture, cancel) and the webhook (the intent in the event). The core records each
(event type, PaymentIntent id) once, so whichever arrives first wins and the others
change nothing.

Amounts are checked against what we asked Stripe for: a different currency, or more
than requested (or, with automatic capture, not exactly what was requested), is not
recorded as paid but flagged for review (INFO event, and a note on the order).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from core.money import from_minor_units, money, to_minor_units
from payment.gateway import TransactionEventType, TransactionResult
from payment.models import Transaction

logger = logging.getLogger(__name__)

T = TransactionEventType
ZERO = Decimal(0)
REVIEW_SUFFIX = ":review"
#: What the client got when the payment started: the first event recorded under the
#: intent's id holds the amount we asked Stripe for.
ASKED = (
    T.CHARGE_ACTION_REQUIRED,
    T.AUTHORIZATION_ACTION_REQUIRED,
    T.CHARGE_REQUEST,
    T.AUTHORIZATION_REQUEST,
)
#: Progress of a PaymentIntent: an event showing less progress than what is recorded
#: arrived late (webhooks are not delivered in order) and changes nothing.
RANK = {
    T.AUTHORIZATION_SUCCESS: 1,
    T.CHARGE_SUCCESS: 2,
    T.CANCEL_SUCCESS: 2,
}
_SECRET_KEYS = frozenset({"client_secret"})


@dataclass(frozen=True)
class Asked:
    amount: Decimal
    manual: bool


def asked(record: Transaction, intent_id: str) -> Asked | None:
    event = (
        record.events.filter(type__in=ASKED, psp_reference=intent_id)
        .order_by("created_at", "pk")
        .first()
    )
    if event is None:
        return None
    manual = event.type in (T.AUTHORIZATION_ACTION_REQUIRED, T.AUTHORIZATION_REQUEST)
    return Asked(event.amount, manual)


def sanitize(value: Any) -> Any:
    """A copy without the client secret (it lets anyone confirm the payment)."""
    if isinstance(value, dict):
        return {k: sanitize(v) for k, v in value.items() if k not in _SECRET_KEYS}
    if isinstance(value, list):
        return [sanitize(v) for v in value]
    return value


def amount(units: Any, currency: str) -> Decimal:
    return from_minor_units(int(units or 0), currency).amount


def review(record: Transaction, intent_id: str, why: str, raw: dict) -> TransactionResult:
    logger.warning(
        "stripe payment %s flagged for review: %s (transaction %s)", intent_id, why, record.token
    )
    return TransactionResult(
        T.INFO,
        ZERO,
        intent_id + REVIEW_SUFFIX,
        message=f"Flagged for review, not marked paid: {why} (PaymentIntent {intent_id}).",
        raw_response=sanitize(raw),
    )


def is_review(result: TransactionResult) -> bool:
    return result.result is T.INFO and result.psp_reference.endswith(REVIEW_SUFFIX)


def flag_order(record: Transaction, result: TransactionResult) -> None:
    """Put the review message on the order's timeline, once (before recording ``result``)."""
    if record.order_id is None:
        return
    if record.events.filter(type=T.INFO, psp_reference=result.psp_reference).exists():
        return
    from order.services import add_note

    add_note(record.order, result.message)


def _check(
    record: Transaction, intent: dict, units: Any, expected: Asked | None, *, exact: bool
) -> str:
    currency = str(intent.get("currency") or "").upper()
    if expected is None:
        return "no payment was started here with this PaymentIntent"
    if currency != record.currency:
        return f"Stripe reports {currency or 'no currency'}, {record.currency} was requested"
    wanted = to_minor_units(money(expected.amount, record.currency))
    if not isinstance(units, int) or units <= 0 or units > wanted or (exact and units != wanted):
        got = amount(units, record.currency) if isinstance(units, int) else units
        return f"Stripe reports {got} {currency}, {expected.amount} {record.currency} was requested"
    return ""


def stale(record: Transaction, result: TransactionResult) -> bool:
    """True when ``result`` shows less progress than what is recorded for its intent."""
    recorded = max(
        (
            RANK.get(T(kind), 0)
            for kind in record.events.filter(psp_reference=result.psp_reference).values_list(
                "type", flat=True
            )
        ),
        default=0,
    )
    return RANK.get(result.result, 0) < recorded


def from_intent(
    record: Transaction, intent: dict[str, Any], message: str = ""
) -> TransactionResult:
    """The event a PaymentIntent in its current status stands for."""
    intent_id = str(intent.get("id") or "")
    status = str(intent.get("status") or "")
    expected = asked(record, intent_id)
    manual = (
        expected.manual if expected else str(intent.get("capture_method", "")).startswith("manual")
    )
    requested = expected.amount if expected else ZERO
    raw = sanitize(intent)
    error = intent.get("last_payment_error") or {}
    message = message or str(error.get("message") or "")[:255]
    if status == "succeeded":
        units = intent.get("amount_received")
        why = _check(record, intent, units, expected, exact=not manual)
        if why:
            return review(record, intent_id, why, intent)
        return TransactionResult(
            T.CHARGE_SUCCESS, amount(units, record.currency), intent_id, message, raw_response=raw
        )
    if status == "requires_capture":
        units = intent.get("amount_capturable")
        why = _check(record, intent, units, expected, exact=False)
        if why:
            return review(record, intent_id, why, intent)
        return TransactionResult(
            T.AUTHORIZATION_SUCCESS,
            amount(units, record.currency),
            intent_id,
            message,
            raw_response=raw,
        )
    if status == "processing":
        kind = T.AUTHORIZATION_REQUEST if manual else T.CHARGE_REQUEST
        return TransactionResult(kind, requested, intent_id, "Stripe is processing the payment.")
    if status == "canceled":
        if record.authorized_value > 0:
            return TransactionResult(
                T.CANCEL_SUCCESS,
                record.authorized_value,
                intent_id,
                message or "The authorization was cancelled.",
                raw_response=raw,
            )
        kind = T.AUTHORIZATION_FAILURE if manual else T.CHARGE_FAILURE
        reason = str(intent.get("cancellation_reason") or "canceled")
        return TransactionResult(
            kind, requested, intent_id, f"Payment cancelled ({reason}).", raw_response=raw
        )
    # requires_payment_method / requires_confirmation / requires_action: the customer acts.
    kind = T.AUTHORIZATION_ACTION_REQUIRED if manual else T.CHARGE_ACTION_REQUIRED
    return TransactionResult(
        kind,
        requested,
        intent_id,
        message or f"Waiting for the customer ({status}).",
        raw_response=raw,
    )


def failure(record: Transaction, intent: dict[str, Any]) -> TransactionResult:
    """``payment_intent.payment_failed``: the attempt failed (the customer may try again)."""
    intent_id = str(intent.get("id") or "")
    expected = asked(record, intent_id)
    manual = expected.manual if expected else False
    error = intent.get("last_payment_error") or {}
    return TransactionResult(
        T.AUTHORIZATION_FAILURE if manual else T.CHARGE_FAILURE,
        expected.amount if expected else ZERO,
        intent_id,
        str(error.get("message") or "The payment failed.")[:255],
        raw_response=sanitize(intent),
    )


def from_refund(record: Transaction, refund: dict[str, Any]) -> TransactionResult | None:
    """A Stripe refund object as an event, or None while it is pending or not ours."""
    status = str(refund.get("status") or "")
    currency = str(refund.get("currency") or "").upper()
    if currency != record.currency:
        return None
    kind = {
        "succeeded": T.REFUND_SUCCESS,
        "failed": T.REFUND_FAILURE,
        "canceled": T.REFUND_FAILURE,
        "pending": T.REFUND_REQUEST,
        "requires_action": T.REFUND_REQUEST,
    }.get(status)
    if kind is None:
        return None
    return TransactionResult(
        kind,
        amount(refund.get("amount"), record.currency),
        str(refund.get("id") or ""),
        f"Stripe refund {refund.get('id')}: {status}.",
        raw_response=sanitize(refund),
    )
