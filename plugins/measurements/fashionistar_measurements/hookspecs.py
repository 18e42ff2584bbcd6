"""The measurements plugin's own hooks, for other plugins to implement.

Registered by the plugin manager when this plugin loads (``hookspecs`` attribute
of the plugin object). Both are *decisions*: called in the request, only for
plugins active globally (no channel).
"""

from __future__ import annotations

from typing import Any

from core.hookspecs import decision, decision_first


@decision_first
def estimate_measurements(media, body_category, config) -> Any:
    """A body-scanning provider measures a body from ``media`` (a list of
    ``{"url": str, "kind": "photo" | "video"}``), for ``body_category``.

    Return None when you cannot, or ``{"provider": "<your name>", "measurements":
    {dimension: {"value": cm, "confidence": 0..1}}}`` with dimensions among
    ``fashionistar_measurements.models.DIMENSIONS``. First answer wins. Values you
    supply override the statistical estimate but never what the shopper typed; the
    plugin records ``provider:<your name>`` as each value's source. Called inside the
    request: time out your own HTTP calls.
    """


@decision
def measurement_product_vendors(product_ids, config) -> Any:
    """Return ``{product_id: vendor_ref}`` for the products you know the vendor of
    (a marketplace plugin), or None. Answers are merged; used to pick a vendor's size
    chart when the product has none of its own. Called once per request per page of
    products: answer with one query.
    """
