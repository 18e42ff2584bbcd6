"""How Paystack's view of a payment becomes one transaction event.

The same mapping serves ``transactionProcess``, the ``charge.success`` webhook and the
reconciliation task, so all three settle a payment the same way, and the core records
each (event type, reference) once whichever arrives first.

A success whose amount or currency differs from what we asked Paystack for is not
recorded as paid: it becomes an INFO event "flagged for review" (plus a note on the
order, when there is one) and staff decide.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from core.money import from_minor_units, money, to_minor_units
from payment.gateway import TransactionEventType, TransactionResult
from payment.models import Transaction, TransactionEvent

logger = logging.getLogger(__name__)

T = TransactionEventType
ZERO = Decimal(0)
REQUESTS = (T.CHARGE_REQUEST, T.AUTHORIZATION_REQUEST)
ANSWERS = {
    T.CHARGE_REQUEST: (T.CHARGE_SUCCESS, T.CHARGE_FAILURE),
    T.AUTHORIZATION_REQUEST: (T.AUTHORIZATION_SUCCESS, T.AUTHORIZATION_FAILURE),
    T.REFUND_REQUEST: (T.REFUND_SUCCESS, T.REFUND_FAILURE),
    T.CANCEL_REQUEST: (T.CANCEL_SUCCESS, T.CANCEL_FAILURE),
}
REVIEW_SUFFIX = ":review"
#: Values in Paystack's answers we do not keep: a reusable authorization code lets
#: anyone holding our secret key charge the card again.
_DROPPED_KEYS = frozenset({"authorization_code"})


@dataclass(frozen=True)
class Requested:
    kind: TransactionEventType
    amount: Decimal
    reference: str


def requested(record: Transaction, reference: str) -> Requested | None:
    """The charge or hold we asked Paystack for under ``reference``."""
    event = (
        record.events.filter(type__in=REQUESTS, psp_reference=reference)
        .order_by("created_at", "pk")
        .first()
    )
    if event is None:
        return None
    return Requested(T(event.type), event.amount, reference)


def unanswered(record: Transaction, kind: TransactionEventType) -> list[TransactionEvent]:
    """Request events of ``kind`` (e.g. REFUND_REQUEST) no outcome answered yet, oldest first."""
    events = list(record.events.order_by("created_at", "pk"))
    answered = {e.psp_reference for e in events if e.type in ANSWERS[kind]}
    return [e for e in events if e.type == kind and e.psp_reference not in answered]


def sanitize(value: Any) -> Any:
    """A copy of a Paystack answer without reusable card credentials, for raw_response."""
    if isinstance(value, dict):
        return {k: sanitize(v) for k, v in value.items() if k not in _DROPPED_KEYS}
    if isinstance(value, list):
        return [sanitize(v) for v in value]
    return value


def minor_units(value: Any) -> int | None:
    """Paystack sends amounts as integers, sometimes as numeric strings."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def reported(data: dict[str, Any], currency: str) -> tuple[int | None, str]:
    """(amount in minor units, currency) Paystack reports; currency defaults to ours."""
    return minor_units(data.get("amount")), str(data.get("currency") or currency).upper()


def describe(units: int | None, currency: str) -> str:
    if units is None:
        return f"an unreadable amount in {currency}"
    try:
        return f"{from_minor_units(units, currency).amount} {currency}"
    except (TypeError, ValueError):
        return f"{units} minor units of {currency}"


def mismatch(
    record: Transaction, data: dict[str, Any], expected: Decimal | None, *, partial: bool = False
) -> str:
    """Why Paystack's amount/currency cannot be accepted for ``record``, or ''.

    ``partial``: a capture of a hold may take less than was held, never more.
    """
    units, currency = reported(data, record.currency)
    if expected is None:
        return "no payment was requested from Paystack under this reference"
    wanted = to_minor_units(money(expected, record.currency))
    too_much = units is None or units > wanted or units <= 0
    if currency != record.currency or too_much or (not partial and units != wanted):
        return (
            f"Paystack reports {describe(units, currency)} but {expected} {record.currency} "
            "was requested"
        )
    return ""


def review_result(record: Transaction, reference: str, why: str, data: dict) -> TransactionResult:
    message = f"Flagged for review, not marked paid: {why} (reference {reference})."
    logger.warning(
        "paystack payment %s flagged for review: %s (transaction %s)",
        reference,
        why,
        record.token,
    )
    return TransactionResult(
        T.INFO,
        ZERO,
        reference + REVIEW_SUFFIX,
        message=message,
        raw_response=sanitize(data),
    )


def is_review(result: TransactionResult) -> bool:
    return result.result is T.INFO and result.psp_reference.endswith(REVIEW_SUFFIX)


def flag_order(record: Transaction, result: TransactionResult) -> None:
    """Put the review message on the order's timeline, once (before recording ``result``)."""
    if record.order_id is None:
        return
    seen = record.events.filter(type=T.INFO, psp_reference=result.psp_reference).exists()
    if seen:
        return
    from order.services import add_note

    add_note(record.order, result.message)


def waiting(status: str) -> TransactionResult:
    return TransactionResult(
        T.INFO, ZERO, message=f"Paystack status '{status}': nothing to settle."
    )


def outcome(
    record: Transaction, data: dict[str, Any], *, give_up: bool = False
) -> TransactionResult:
    """Map a Paystack transaction or preauthorization (verify answer, webhook data).

    ``give_up``: an ``abandoned`` payment (the customer never paid) counts as failed;
    the reconciliation sets it once the payment is old enough.
    """
    status = str(data.get("status") or "").lower()
    reference = str(data.get("reference") or record.psp_reference)
    asked = requested(record, reference)
    hold = asked is not None and asked.kind is T.AUTHORIZATION_REQUEST
    expected = asked.amount if asked else None
    message = str(data.get("gateway_response") or data.get("message") or "")[:255]
    raw = sanitize(data)
    if status in {"success", "authorized", "captured"}:
        why = mismatch(record, data, expected, partial=status == "captured")
        if why:
            return review_result(record, reference, why, data)
        units, _ = reported(data, record.currency)
        amount = from_minor_units(units or 0, record.currency).amount
        kind = T.AUTHORIZATION_SUCCESS if hold and status != "captured" else T.CHARGE_SUCCESS
        return TransactionResult(kind, amount, reference, message=message, raw_response=raw)
    failed = status in {"failed", "reversed"} or (give_up and status == "abandoned")
    if status == "released" and hold:
        if record.authorized_value > 0:
            return TransactionResult(
                T.CANCEL_SUCCESS,
                record.authorized_value,
                reference,
                message="Paystack released the hold.",
                raw_response=raw,
            )
        failed = True
    if failed:
        if status == "abandoned":
            message = "The customer did not complete the payment on Paystack."
        return TransactionResult(
            T.AUTHORIZATION_FAILURE if hold else T.CHARGE_FAILURE,
            expected if expected is not None else ZERO,
            reference,
            message=message or f"Paystack status '{status}'.",
            raw_response=raw,
        )
    return waiting(status or "unknown")
