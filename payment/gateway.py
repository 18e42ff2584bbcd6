"""What gateway plugins return to the core: plain data, no Django models.

These are the types named in core/hookspecs.py's payment hooks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any


class TransactionAction(StrEnum):
    CHARGE = "CHARGE"
    AUTHORIZATION = "AUTHORIZATION"


class TransactionEventType(StrEnum):
    """Saleor's transaction event types; amounts are derived from these events."""

    AUTHORIZATION_SUCCESS = "AUTHORIZATION_SUCCESS"
    AUTHORIZATION_FAILURE = "AUTHORIZATION_FAILURE"
    AUTHORIZATION_REQUEST = "AUTHORIZATION_REQUEST"
    AUTHORIZATION_ACTION_REQUIRED = "AUTHORIZATION_ACTION_REQUIRED"
    CHARGE_SUCCESS = "CHARGE_SUCCESS"
    CHARGE_FAILURE = "CHARGE_FAILURE"
    CHARGE_REQUEST = "CHARGE_REQUEST"
    CHARGE_ACTION_REQUIRED = "CHARGE_ACTION_REQUIRED"
    CHARGE_BACK = "CHARGE_BACK"
    REFUND_SUCCESS = "REFUND_SUCCESS"
    REFUND_FAILURE = "REFUND_FAILURE"
    REFUND_REQUEST = "REFUND_REQUEST"
    REFUND_REVERSE = "REFUND_REVERSE"
    CANCEL_SUCCESS = "CANCEL_SUCCESS"
    CANCEL_FAILURE = "CANCEL_FAILURE"
    CANCEL_REQUEST = "CANCEL_REQUEST"
    INFO = "INFO"


@dataclass(frozen=True)
class PaymentGateway:
    """A gateway a plugin offers: ``config`` holds only public values (never secrets)."""

    id: str
    name: str
    currencies: tuple[str, ...]
    config: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class TransactionResult:
    """A gateway's answer. ``result`` is the event it reports (e.g. CHARGE_SUCCESS).

    ``psp_reference`` is the provider's id for this operation: recording the
    same (result, psp_reference) twice changes nothing, which makes webhook
    replays harmless. ``data`` goes back to the client (redirect URL, client
    secret); ``raw_response`` is kept for support and never shown to customers.
    """

    result: TransactionEventType
    amount: Decimal
    psp_reference: str = ""
    message: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    raw_response: dict[str, Any] = field(default_factory=dict)
    external_url: str = ""
