"""A tiny plugin recording the catalog events it receives."""

from __future__ import annotations

from typing import Any, ClassVar

from core.hookspecs import hookimpl
from core.plugins import BasePlugin

CATALOG_EVENTS = (
    "product_created",
    "product_updated",
    "product_deleted",
    "product_variant_created",
    "product_variant_updated",
    "product_variant_deleted",
    "product_variant_out_of_stock",
    "product_variant_back_in_stock",
    "stock_changed",
)


class CatalogRecorder(BasePlugin):
    id = "tests.catalog_recorder"
    name = "Catalog event recorder"
    received: ClassVar[list[tuple[str, dict[str, Any]]]]

    def __init__(self) -> None:
        self.received = []

    def payloads(self, event_type: str) -> list[dict[str, Any]]:
        return [payload for name, payload in self.received if name == event_type]


def _recorder(name: str):  # noqa: ANN202
    def handle(self: CatalogRecorder, event: Any, config: Any) -> None:
        self.received.append((name, event.payload))

    handle.__name__ = name
    return hookimpl(handle)


for _name in CATALOG_EVENTS:
    setattr(CatalogRecorder, _name, _recorder(_name))


def install(plugin_kit: Any) -> CatalogRecorder:
    recorder = plugin_kit.register(CatalogRecorder())
    plugin_kit.activate(CatalogRecorder.id)
    return recorder
