"""The JSON a webhook receives: a versioned envelope around the event's committed payload.

Built in the worker (never in the request that caused the event). The object
part is the payload the domain service recorded in the outbox inside its
transaction, so it is the committed state; fields that could carry secrets are
removed here (see ``scrub``). ``docs/webhooks.md`` documents every event with the
examples of ``SAMPLES``.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

VERSION = 1

#: Keys dropped anywhere in a payload: provider dumps and credentials.
DROPPED_KEYS = frozenset({"raw", "password", "secret", "secrets", "api_key", "private_key"})
#: In ``notification_requested`` contexts: links and codes that let someone act as the person.
_SENSITIVE_CONTEXT = re.compile(r"token|code|password|secret|url|link|otp", re.IGNORECASE)


def scrub(event_type: str, data: Any) -> Any:
    """A copy of ``data`` without secrets; notification contexts lose links and codes."""
    cleaned = _drop(data)
    if event_type == "notification_requested" and isinstance(cleaned.get("context"), dict):
        cleaned["context"] = {
            key: value
            for key, value in cleaned["context"].items()
            if not _SENSITIVE_CONTEXT.search(key)
        }
    return cleaned


def _drop(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop(v) for k, v in value.items() if str(k).lower() not in DROPPED_KEYS}
    if isinstance(value, list):
        return [_drop(v) for v in value]
    return value


def envelope(
    *,
    event_id: uuid.UUID | str,
    event_type: str,
    occurred_at: datetime | str,
    channel: str | None,
    data: dict[str, Any],
    sequence: int,
) -> dict[str, Any]:
    return {
        "version": VERSION,
        "id": str(event_id),
        "type": event_type,
        "occurred_at": occurred_at if isinstance(occurred_at, str) else occurred_at.isoformat(),
        "channel": channel,
        "sequence": sequence,
        "data": scrub(event_type, data),
    }


def render(body: dict[str, Any]) -> str:
    """The exact bytes (as text) that are signed and sent."""
    return json.dumps(body, cls=DjangoJSONEncoder, separators=(",", ":"), ensure_ascii=False)


_PRODUCT = {
    "id": 42,
    "slug": "ankara-wrap-dress",
    "name": "Ankara Wrap Dress",
    "product_type": "dress",
    "category": "dresses",
}
_VARIANT = {"id": 314, "sku": "AWD-RED-M", "product_id": 42, "name": "Red / M"}
_WAREHOUSE = {"id": 3, "slug": "lagos-main"}
_CHECKOUT = {
    "token": "6f1c2a4e-3b7d-4a8e-9f10-2c3d4e5f6a7b",
    "email": "ada@example.com",
    "channel": "default-channel",
    "currency": "NGN",
}
_ORDER = {
    "id": "0b6c9a52-1d2e-4f3a-8b4c-5d6e7f8a9b0c",
    "number": "1042",
    "status": "unfulfilled",
    "channel": "default-channel",
    "currency": "NGN",
    "user_email": "ada@example.com",
    "user_id": 17,
    "total_gross_amount": "52500.00",
    "total_net_amount": "48837.21",
    "shipping_gross_amount": "2500.00",
    "charge_status": "full",
    "lines": [
        {
            "id": 901,
            "variant_id": 314,
            "product_id": 42,
            "sku": "AWD-RED-M",
            "product_name": "Ankara Wrap Dress",
            "variant_name": "Red / M",
            "quantity": 2,
            "unit_price_gross_amount": "25000.00",
            "total_price_gross_amount": "50000.00",
        }
    ],
}
_FULFILLMENT = {"id": 77, "tracking_number": "GIG-558120", "warehouse": "lagos-main"}
_USER = {"id": 17, "email": "ada@example.com", "phone": "+2348031234567"}
_REVIEW = {
    "id": 88,
    "product_id": 42,
    "user_id": 17,
    "rating": 4,
    "title": "Lovely print, runs a little small",
    "fit": "runs_small",
    "status": "pending",
    "verified_purchase": True,
    "order_line_id": 901,
    "variant": {"id": 314, "sku": "AWD-RED-M", "name": "Red / M"},
}

#: One example ``data`` per event hook (documentation and dry runs without a past event).
SAMPLES: dict[str, dict[str, Any]] = {
    "product_created": {"product": _PRODUCT},
    "product_updated": {"product": _PRODUCT},
    "product_deleted": {"product": {k: _PRODUCT[k] for k in ("id", "slug", "name")}},
    "product_variant_created": {"variant": _VARIANT},
    "product_variant_updated": {
        "variant": _VARIANT,
        "price_changes": [
            {
                "channel": "default-channel",
                "currency": "NGN",
                "old_price": "25000.000",
                "new_price": "19999.50",
            }
        ],
    },
    "product_variant_deleted": {"variant": _VARIANT},
    "product_variant_out_of_stock": {"variant": _VARIANT, "warehouse": _WAREHOUSE},
    "product_variant_back_in_stock": {"variant": _VARIANT, "warehouse": _WAREHOUSE},
    "stock_changed": {"variant": _VARIANT, "warehouse": _WAREHOUSE, "quantity": 12, "allocated": 2},
    "checkout_created": {"checkout": _CHECKOUT},
    "checkout_updated": {"checkout": _CHECKOUT},
    "checkout_completed": {
        "checkout_id": _CHECKOUT["token"],
        "order": {"id": _ORDER["id"], "number": "1042"},
    },
    "order_created": {"order": _ORDER},
    "order_confirmed": {"order": _ORDER},
    "order_updated": {"order": _ORDER},
    "order_paid": {"order": _ORDER},
    "order_fulfilled": {"order": _ORDER, "fulfillment": _FULFILLMENT},
    "fulfillment_created": {"order": _ORDER, "fulfillment": _FULFILLMENT},
    "order_cancelled": {"order": _ORDER},
    "order_refunded": {"order": _ORDER, "amount": "25000.00", "currency": "NGN"},
    "order_returned": {
        "order": _ORDER,
        "lines": [{"id": 901, "quantity": 1}],
        "restocked": True,
    },
    "invoice_requested": {"order": _ORDER, "invoice_id": 12},
    "customer_created": {"user": _USER},
    "customer_updated": {"user": _USER},
    "customer_deleted": {"user": {"id": 17}},
    "notification_requested": {
        "template": "order_confirmation",
        "channel_type": "email",
        "recipient": "ada@example.com",
        "context": {"order_number": "1042", "first_name": "Ada"},
    },
    "review_created": {"review": _REVIEW},
    "review_approved": {"review": {**_REVIEW, "status": "published"}},
    "payment_transfer_updated": {
        "transfer": {
            "gateway": "fashionistar.payments.paystack",
            "status": "success",
            "reference": "payout-2026-11-0042",
            "psp_reference": "TRF_1ptvuv321ahaa7q",
            "amount": "150000.00",
            "currency": "NGN",
            "reason": "Vendor payout",
            "recipient": "RCP_gx2wn530m0i3w3m",
            "provider_event": "transfer.success",
            "occurred_at": "2026-11-21T09:15:02+00:00",
        }
    },
}
