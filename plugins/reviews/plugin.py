"""Product reviews and ratings (docs/reviews.md).

Customers who received a product review it once (editable): rating, title, text,
photos, size-fit feedback. Per channel, new reviews wait for a moderator or are
published at once (``auto_publish``). Staff approve, reject or hide them
(``productReviewModerate`` or the dashboard; audited). The plugin emits
``review_created`` and ``review_approved``; it adds ``Product.reviews`` and
``Product.ratingSummary`` to the catalog and keeps ``Product.rating`` current.
An erased customer's reviews are deleted (``customer_deleted``).
"""

from __future__ import annotations

from typing import Any

from core.events import Event
from core.hookspecs import hookimpl
from core.plugins import BasePlugin, ConfigField, FieldType
from plugins.reviews.services import PLUGIN_ID


class ReviewsPlugin(BasePlugin):
    id = PLUGIN_ID
    name = "Product reviews"
    description = "Verified-purchase reviews with ratings, photos, fit feedback and moderation."
    version = "1.0.0"
    per_channel = True
    default_active = True
    config_fields = (
        ConfigField(
            "auto_publish",
            FieldType.BOOLEAN,
            default=False,
            label="Publish new reviews at once",
            help_text="Off: new and edited reviews wait for a moderator's approval.",
        ),
    )

    @hookimpl
    def customer_deleted(self, event: Event) -> None:
        from plugins.reviews.services import erase_customer_reviews

        erase_customer_reviews(int(event.payload["user"]["id"]))

    @hookimpl
    def graphql_query_fields(self) -> dict[str, Any]:
        from plugins.reviews.schema import query_fields

        return query_fields()

    @hookimpl
    def graphql_mutation_fields(self) -> dict[str, Any]:
        from plugins.reviews.schema import mutation_fields

        return mutation_fields()

    @hookimpl
    def graphql_type_fields(self) -> dict[str, Any]:
        from plugins.reviews.schema import type_fields

        return type_fields()
