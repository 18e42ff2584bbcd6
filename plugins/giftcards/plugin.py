"""Gift cards: staff issue them, customers buy them and pay with them.

Hooks:

* ``validate_promo_code``: a gift card's code entered with ``checkoutAddPromoCode``
  is accepted as kind ``gift_card`` (the checkout keeps it in ``gift_card_codes``);
  failed attempts per checkout are limited.
* ``checkout_gift_cards``: the cards shown in ``checkout.giftCards``.
* ``calculate_checkout_total`` (last): the applied cards' balances lower the amount due.
* ``validate_checkout`` and ``redeem_promo_codes``: at completion, in its transaction,
  the cards are locked, re-checked and spent (plugins/giftcards/redeem.py).
* ``order_paid``: lines of a gift-card product type issue one card per unit.
* ``order_cancelled``: what the order took from cards goes back to them.
* Start-up: GraphQL (``giftCards``, ``giftCard``, ``giftCardCreate``/``Update``/
  ``Activate``/``Deactivate``, ``User.giftCards``, ``Order.giftCards``) and two demo
  cards (``populate_demo_data``).
"""

from __future__ import annotations

from decimal import Decimal

from core.events import Event
from core.hookspecs import hookimpl
from core.plugins import BasePlugin, ConfigField, FieldType, PluginConfig


class GiftCardsPlugin(BasePlugin):
    id = "fashionistar.giftcards"
    name = "Gift cards"
    description = "Gift cards: issued by staff or bought as products, redeemed at checkout."
    version = "1.0.0"
    default_active = True
    config_fields = (
        ConfigField(
            "product_types",
            FieldType.STRING_LIST,
            default=[],
            label="Gift-card product types",
            help_text=(
                "Slugs of product types whose products are gift cards: each unit paid for "
                "issues a card worth the line's unit price to the buyer."
            ),
        ),
        ConfigField(
            "expiry_days",
            FieldType.INTEGER,
            default=365,
            label="Bought cards expire after (days)",
            help_text="0: bought cards never expire.",
        ),
        ConfigField(
            "code_attempts_per_checkout",
            FieldType.INTEGER,
            default=10,
            label="Failed code attempts per checkout and hour",
            help_text="Past this, checkoutAddPromoCode refuses with RATE_LIMITED.",
        ),
    )

    def validate_configuration(self, values: dict, channel: str | None) -> None:
        from core.errors import DomainError

        if int(values.get("expiry_days") or 0) < 0:
            raise DomainError("Cannot be negative.", code="INVALID", field="expiry_days")
        if int(values.get("code_attempts_per_checkout") or 0) < 1:
            raise DomainError(
                "Allow at least one attempt.", code="INVALID", field="code_attempts_per_checkout"
            )

    # -- checkout ---------------------------------------------------------------------------

    @hookimpl
    def validate_promo_code(self, checkout, code, config):
        from plugins.giftcards.redeem import validate_code

        return validate_code(checkout, code, config)

    @hookimpl
    def checkout_gift_cards(self, checkout) -> list:
        from plugins.giftcards.redeem import applied_cards

        return applied_cards(checkout)

    @hookimpl(trylast=True)
    def calculate_checkout_total(self, checkout, previous_value):
        from plugins.giftcards.redeem import lower_total

        return lower_total(checkout, previous_value)

    @hookimpl
    def validate_checkout(self, checkout) -> None:
        from plugins.giftcards.redeem import check_applied

        check_applied(checkout)

    @hookimpl
    def redeem_promo_codes(self, checkout, order, channel) -> None:
        from plugins.giftcards.redeem import redeem

        redeem(checkout, order, channel)

    # -- order events -----------------------------------------------------------------------

    @hookimpl
    def order_paid(self, event: Event, config: PluginConfig) -> None:
        from plugins.giftcards.services import BoughtLine, issue_bought
        from product.models import Product

        slugs = set(config["product_types"] or [])
        order = event.payload["order"]
        if not slugs:
            return
        product_ids = {line["product_id"] for line in order["lines"] if line.get("product_id")}
        gift_products = set(
            Product.objects.filter(pk__in=product_ids, product_type__slug__in=slugs).values_list(
                "pk", flat=True
            )
        )
        lines = [
            BoughtLine(
                int(line["id"]), int(line["quantity"]), Decimal(line["unit_price_gross_amount"])
            )
            for line in order["lines"]
            if line.get("product_id") in gift_products
        ]
        if lines:
            issue_bought(
                order=order,
                lines=lines,
                event_id=event.id,
                channel=event.channel,
                expiry_days=int(config["expiry_days"] or 0),
            )

    @hookimpl
    def order_cancelled(self, event: Event) -> None:
        from plugins.giftcards.services import refund_order

        refund_order(int(event.payload["order"]["number"]), event.id)

    # -- start-up ---------------------------------------------------------------------------

    @hookimpl
    def graphql_query_fields(self) -> dict:
        from plugins.giftcards.schema import query_fields

        return query_fields()

    @hookimpl
    def graphql_mutation_fields(self) -> dict:
        from plugins.giftcards.schema import mutation_fields

        return mutation_fields()

    @hookimpl
    def graphql_type_fields(self) -> dict:
        from plugins.giftcards.schema import type_fields

        return type_fields()

    @hookimpl
    def populate_demo_data(self) -> None:
        from plugins.giftcards.demo import populate

        populate()
