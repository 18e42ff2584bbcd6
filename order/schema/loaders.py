"""Per-request prefetching: a page of N orders costs the same queries as one.

Every order the API hands out in a request is registered (``saw``). The first
time a resolver needs a relation of one order (its lines, events...), the
relation is prefetched for every registered order that lacks it, in one query
per relation. The loader lives on the request (``info.context``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, prefetch_related_objects

from core.graphql.snapshots import prepare_variants
from order.models import Fulfillment, FulfillmentLine, Order, OrderEvent, OrderLine
from payment.models import Transaction

LOOKUPS: dict[str, Any] = {
    "lines": Prefetch(
        "lines", queryset=OrderLine.objects.select_related("variant__product").order_by("pk")
    ),
    "events": Prefetch("events", queryset=OrderEvent.objects.select_related("user")),
    "fulfillments": Prefetch(
        "fulfillments",
        queryset=Fulfillment.objects.select_related("warehouse").prefetch_related(
            Prefetch(
                "lines",
                queryset=FulfillmentLine.objects.select_related("order_line__variant__product"),
            )
        ),
    ),
    "transactions": Prefetch(
        "transactions", queryset=Transaction.objects.prefetch_related("events")
    ),
    "invoices": "invoices",
}

_DONE = "_gql_prefetched"


class OrderLoader:
    def __init__(self) -> None:
        self.orders: list[Order] = []

    def saw(self, orders: Iterable[Order]) -> list[Order]:
        orders = list(orders)
        self.orders.extend(orders)
        return orders

    def related(self, info: Any, order: Order, name: str) -> list[Any]:
        """``order.<name>.all()``, prefetched together for every order seen so far."""
        done = order.__dict__.setdefault(_DONE, set())
        if name not in done:
            group = [o for o in self.orders if name not in o.__dict__.get(_DONE, ())]
            if not any(o is order for o in group):
                group.append(order)
            prefetch_related_objects(group, LOOKUPS[name])
            for member in group:
                member.__dict__.setdefault(_DONE, set()).add(name)
            if name == "lines":
                _prepare_lines(info, group)
        return list(getattr(order, name).all())


def _prepare_lines(info: Any, orders: list[Order]) -> None:
    """Lines know their order; their variants go to the catalog's type in one batch per
    channel (``ProductVariant.prepare``), so a page of orders costs what one order does."""
    by_channel: dict[int, tuple[Any, list[Any]]] = {}
    for order in orders:
        variants = by_channel.setdefault(order.channel_id, (order.channel, []))[1]
        for line in order.lines.all():
            line.order = order
            if line.variant_id is not None:
                variants.append(line.variant)
    for channel, variants in by_channel.values():
        prepare_variants(info, variants, channel)


def order_loader(info: Any) -> OrderLoader:
    request = info.context
    found = getattr(request, "_order_loader", None)
    if found is None:
        found = request._order_loader = OrderLoader()
    return found
