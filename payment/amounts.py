"""Derive a transaction's amounts from its events, and payment status from amounts.

Rules (Saleor's): a charge consumes authorisation first; a refund moves money
from charged to refunded; a chargeback reduces charged; a cancel releases
authorisation. A REQUEST is pending until an event with the same PSP reference
and a SUCCESS or FAILURE outcome answers it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from payment.gateway import TransactionEventType as T

ZERO = Decimal(0)

_PENDING = {
    T.AUTHORIZATION_REQUEST: ("authorize", (T.AUTHORIZATION_SUCCESS, T.AUTHORIZATION_FAILURE)),
    T.CHARGE_REQUEST: ("charge", (T.CHARGE_SUCCESS, T.CHARGE_FAILURE)),
    T.REFUND_REQUEST: ("refund", (T.REFUND_SUCCESS, T.REFUND_FAILURE)),
    T.CANCEL_REQUEST: ("cancel", (T.CANCEL_SUCCESS, T.CANCEL_FAILURE)),
}


@dataclass(frozen=True)
class Amounts:
    authorized: Decimal = ZERO
    charged: Decimal = ZERO
    refunded: Decimal = ZERO
    canceled: Decimal = ZERO
    authorize_pending: Decimal = ZERO
    charge_pending: Decimal = ZERO
    refund_pending: Decimal = ZERO
    cancel_pending: Decimal = ZERO


def derive(events: Iterable[tuple[str, Decimal, str]]) -> Amounts:
    """``events``: (type, amount, psp_reference) in the order they happened."""
    authorized = charged = refunded = canceled = ZERO
    answered: set[tuple[str, str]] = set()
    requests: list[tuple[str, Decimal, str]] = []
    for kind, amount, reference in events:
        kind = T(kind)
        if kind is T.AUTHORIZATION_SUCCESS:
            authorized += amount
        elif kind is T.CHARGE_SUCCESS:
            from_authorization = min(authorized, amount)
            authorized -= from_authorization
            charged += amount
        elif kind is T.CHARGE_BACK:
            charged -= amount
        elif kind is T.REFUND_SUCCESS:
            charged -= amount
            refunded += amount
        elif kind is T.REFUND_REVERSE:
            charged += amount
            refunded -= amount
        elif kind is T.CANCEL_SUCCESS:
            released = min(authorized, amount)
            authorized -= released
            canceled += released
        if kind in _PENDING:
            requests.append((kind, amount, reference))
        for request_kind, (_, outcomes) in _PENDING.items():
            if kind in outcomes:
                answered.add((request_kind, reference))
    pending = {"authorize": ZERO, "charge": ZERO, "refund": ZERO, "cancel": ZERO}
    for kind, amount, reference in requests:
        if (kind, reference) not in answered:
            pending[_PENDING[T(kind)][0]] += amount
    return Amounts(
        authorized=max(authorized, ZERO),
        charged=charged,
        refunded=refunded,
        canceled=canceled,
        authorize_pending=pending["authorize"],
        charge_pending=pending["charge"],
        refund_pending=pending["refund"],
        cancel_pending=pending["cancel"],
    )


class ChargeStatus(StrEnum):
    NONE = "NONE"
    PARTIAL = "PARTIAL"
    FULL = "FULL"
    OVERCHARGED = "OVERCHARGED"


class AuthorizeStatus(StrEnum):
    NONE = "NONE"
    PARTIAL = "PARTIAL"
    FULL = "FULL"


def charge_status(charged: Decimal, total: Decimal) -> ChargeStatus:
    if charged <= ZERO:
        return ChargeStatus.FULL if total <= ZERO else ChargeStatus.NONE
    if charged < total:
        return ChargeStatus.PARTIAL
    return ChargeStatus.FULL if charged == total else ChargeStatus.OVERCHARGED


def authorize_status(authorized: Decimal, charged: Decimal, total: Decimal) -> AuthorizeStatus:
    covered = authorized + charged
    if total <= ZERO or covered >= total:
        return AuthorizeStatus.FULL
    return AuthorizeStatus.PARTIAL if covered > ZERO else AuthorizeStatus.NONE
