"""Wishlists (docs/reviews.md): customers keep products or variants they want, and hear
when a wished variant comes back in stock or its price drops.

Events consumed (after commit, at least once; one message per customer per event):
``product_variant_back_in_stock`` and ``product_variant_updated`` (its
``price_changes``). Messages go out as ``notification_requested`` events.
``customer_deleted`` empties the erased customer's wishlist.
"""

from __future__ import annotations

from typing import Any

from core.events import Event
from core.hookspecs import hookimpl
from core.plugins import BasePlugin, PluginConfig

PLUGIN_ID = "fashionistar.wishlists"


class WishlistsPlugin(BasePlugin):
    id = PLUGIN_ID
    name = "Wishlists"
    description = "Customers' wishlists, with back-in-stock and price-drop notifications."
    version = "1.0.0"
    per_channel = False
    default_active = True

    @hookimpl
    def product_variant_back_in_stock(self, event: Event, config: PluginConfig) -> None:
        from plugins.wishlists.services import notify_back_in_stock

        notify_back_in_stock(event)

    @hookimpl
    def product_variant_updated(self, event: Event, config: PluginConfig) -> None:
        from plugins.wishlists.services import notify_price_drop

        notify_price_drop(event)

    @hookimpl
    def customer_deleted(self, event: Event, config: PluginConfig) -> None:
        from plugins.wishlists.models import WishlistItem

        WishlistItem.objects.filter(user_id=int(event.payload["user"]["id"])).delete()

    @hookimpl
    def graphql_mutation_fields(self) -> dict[str, Any]:
        from plugins.wishlists.schema import mutation_fields

        return mutation_fields()

    @hookimpl
    def graphql_type_fields(self) -> dict[str, Any]:
        from plugins.wishlists.schema import type_fields

        return type_fields()
