"""The plugin class: identity, configuration fields and hook implementations.

Hooks used, one of each kind a plugin author meets:

* ``order_paid`` (event): award points for the amount paid, once per event id.
* ``calculate_checkout_total`` (pipeline): a 5 % member discount, when configured.
* ``graphql_query_fields`` (startup): ``loyaltyBalance(email: String!)``.
* ``handle_webhook`` (decision): a loyalty partner grants bonus points, signed
  with HMAC-SHA256 over the raw body using the ``api_key`` secret.

Payload keys read from ``order_paid`` (the host's order payload, Saleor's names):
``order.number``, ``order.user_email``, ``order.total_gross_amount`` (a decimal
string) and ``order.currency``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest, HttpResponse, JsonResponse

from core.events import Event
from core.money import TaxedMoney, quantize
from core.plugins import BasePlugin, ConfigField, DomainError, FieldType, PluginConfig, hookimpl
from fashionistar_example_loyalty import services
from fashionistar_example_loyalty.models import PointsEntry

logger = logging.getLogger(__name__)

PLUGIN_ID = "example.loyalty"
SIGNATURE_HEADER = "X-Loyalty-Signature"
MEMBER_DISCOUNT = Decimal("0.05")
MAX_PARTNER_GRANT = 1_000_000


class LoyaltyPlugin(BasePlugin):
    id = PLUGIN_ID  # stable forever: it keys stored configuration and event deliveries
    name = "Loyalty points (example)"
    description = "Customers earn points on paid orders; partners grant bonus points by webhook."
    version = "0.1.0"
    per_channel = True
    default_active = False  # merchants switch it on per channel
    config_fields = (
        ConfigField(
            "points_per_unit",
            FieldType.DECIMAL,
            default="1",  # defaults are used as given: write them in the cleaned form
            label="Points per currency unit",
            help_text="Points earned per unit of the channel's currency paid (rounded down).",
        ),
        ConfigField(
            "api_key",
            FieldType.SECRET,
            label="Partner API key",
            help_text="Shared secret the loyalty partner signs its webhook calls with.",
        ),
        ConfigField(
            "member_discount",
            FieldType.BOOLEAN,
            default=False,
            label="Member discount",
            help_text="Take 5 % off the checkout total of customers who hold points.",
        ),
    )

    def validate_configuration(self, values: Mapping[str, Any], channel: str | None) -> None:
        rate = values.get("points_per_unit")
        if rate is not None and Decimal(rate) < 0:
            raise DomainError(
                "Points per currency unit cannot be negative.",
                code="INVALID",
                field="points_per_unit",
            )

    # -- event ----------------------------------------------------------------------------

    @hookimpl
    def order_paid(self, event: Event, config: PluginConfig) -> None:
        """Award points once per event: a retry or replay of ``event.id`` changes nothing.

        A payload without the fields we need raises, so the delivery is retried
        and then dead-lettered where staff can see it, rather than silently lost.
        """
        order = event.payload["order"]
        email = order.get("user_email")
        if not email:
            return  # nobody to credit
        amount = Decimal(str(order["total_gross_amount"]))
        points = services.points_for(amount, Decimal(config["points_per_unit"]))
        if points <= 0:
            return
        services.record_points(
            email=email,
            points=points,
            source=PointsEntry.Source.ORDER_PAID,
            event_id=event.id,
            channel_slug=event.channel or "",
            order_number=str(order.get("number", "")),
            note=f"{amount} {order.get('currency', '')} paid".strip(),
        )

    # -- pipeline -------------------------------------------------------------------------

    @hookimpl
    def calculate_checkout_total(
        self, checkout: Any, previous_value: TaxedMoney, config: PluginConfig
    ) -> TaxedMoney | None:
        """5 % off for members when ``member_discount`` is on; otherwise keep the value.

        Runs in the request on every price calculation: one indexed query, no writes.
        """
        if not config["member_discount"]:
            return None
        email = getattr(checkout, "email", None)
        if not email or not services.is_member(email):
            return None
        factor = 1 - MEMBER_DISCOUNT
        return quantize(TaxedMoney(previous_value.net * factor, previous_value.gross * factor))

    # -- startup --------------------------------------------------------------------------

    @hookimpl
    def graphql_query_fields(self) -> dict:
        from fashionistar_example_loyalty.schema import query_fields

        return query_fields()

    # -- webhook --------------------------------------------------------------------------

    @hookimpl
    def handle_webhook(
        self, request: HttpRequest, channel: str | None, config: PluginConfig
    ) -> HttpResponse:
        """``POST /plugins/example.loyalty/webhook/<channel>/`` from the loyalty partner.

        Body: ``{"id": "<partner's call id>", "email": "...", "points": 100,
        "note": "..."}``; header ``X-Loyalty-Signature``: hex HMAC-SHA256 of the
        raw body keyed with ``api_key``. A replay of the same ``id`` changes
        nothing and answers 200, so the partner can retry safely.
        """
        secret = config.get("api_key")
        if not secret:
            logger.warning("loyalty webhook called in %s but no api_key is configured", channel)
            return JsonResponse({"error": "NOT_CONFIGURED"}, status=503)
        expected = hmac.new(secret.encode(), request.body, hashlib.sha256).hexdigest()
        given = request.headers.get(SIGNATURE_HEADER, "").strip().lower()
        # Compare bytes: compare_digest refuses non-ASCII str, and headers are client input.
        if not hmac.compare_digest(expected.encode(), given.encode()):
            return JsonResponse({"error": "INVALID_SIGNATURE"}, status=401)
        try:
            grant = parse_grant(request.body)
        except ValueError as exc:
            return JsonResponse({"error": "INVALID_PAYLOAD", "message": str(exc)}, status=400)
        entry = services.record_points(
            email=grant["email"],
            points=grant["points"],
            source=PointsEntry.Source.PARTNER,
            partner_reference=grant["id"],
            channel_slug=channel or "",
            note=grant["note"],
        )
        return JsonResponse({"status": "applied" if entry is not None else "duplicate"})


def parse_grant(body: bytes) -> dict[str, Any]:
    """Validate a partner's grant; raise ValueError with a message for the partner."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError("The body is not JSON.") from exc
    if not isinstance(data, dict):
        raise ValueError("The body must be a JSON object.")
    reference, email, points = data.get("id"), data.get("email"), data.get("points")
    if not isinstance(reference, str) or not 0 < len(reference) <= 128:
        raise ValueError("'id' must be a string of 1 to 128 characters.")
    if not isinstance(email, str):
        raise ValueError("'email' must be an email address.")
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValueError("'email' must be an email address.") from exc
    if isinstance(points, bool) or not isinstance(points, int):
        raise ValueError("'points' must be a whole number.")
    if not 0 < points <= MAX_PARTNER_GRANT:
        raise ValueError(f"'points' must be between 1 and {MAX_PARTNER_GRANT}.")
    note = data.get("note") or ""
    if not isinstance(note, str):
        raise ValueError("'note' must be a string.")
    return {"id": reference, "email": email, "points": points, "note": note}
