"""Order events → fit outcomes (the feedback loop's automatic half)."""

from __future__ import annotations

from typing import Any

from core.events import Event
from fashionistar_measurements import charts, services
from fashionistar_measurements.models import MeasurementProfile


def primary_profile(user_id: int, body_category: str) -> MeasurementProfile | None:
    """The customer's oldest profile of the chart's body category, else their oldest."""
    profiles = list(MeasurementProfile.objects.filter(user_id=user_id))
    if not profiles:
        return None
    matching = [p for p in profiles if body_category in ("unisex", p.body_category)]
    return (matching or profiles)[0]


def record_order_lines(event: Event, lines: list[dict[str, Any]], *, outcome: str) -> int:
    """One outcome per line whose variant is in a size of the product's chart."""
    return _record_lines(event, event.payload["order"].get("user_id"), lines, outcome=outcome)


#: A review's size-fit feedback (plugins/reviews) as a fit outcome of the size bought.
REVIEW_FIT = {
    "runs_small": "too_small",
    "true_to_size": "good",
    "runs_large": "too_large",
}


def record_review(event: Event) -> int:
    """``review_created`` with ``fit``: the reviewed variant's size becomes a verdict
    (too small, good, too large) for the reviewer's primary profile."""
    review = event.payload["review"]
    outcome = REVIEW_FIT.get(review.get("fit") or "")
    variant = review.get("variant") or {}
    if outcome is None or not variant.get("id") or not review.get("order_line_id"):
        return 0
    line = {
        "id": review["order_line_id"],
        "product_id": review["product_id"],
        "variant_id": variant["id"],
    }
    return _record_lines(event, review.get("user_id"), [line], outcome=outcome)


def _record_lines(event: Event, user_id: Any, lines: list[dict[str, Any]], *, outcome: str) -> int:
    from product.models import Product, VariantAttributeValue

    if not user_id or not lines:
        return 0
    product_ids = {int(line["product_id"]) for line in lines if line.get("product_id")}
    types = dict(Product.objects.filter(pk__in=product_ids).values_list("pk", "product_type_id"))
    found = charts.charts_for(types.items())
    variant_ids = [int(line["variant_id"]) for line in lines if line.get("variant_id")]
    values: dict[int, list[str]] = {}
    for variant_id, name in VariantAttributeValue.objects.filter(
        variant_id__in=variant_ids
    ).values_list("variant_id", "value__name"):
        values.setdefault(variant_id, []).append(str(name).strip().upper())
    recorded = 0
    for line in lines:
        product_id = line.get("product_id")
        chart = found.get(product_id)
        if chart is None or not line.get("variant_id"):
            continue
        labels = {s.label.upper(): s.label for s in chart.sizes.all()}
        size = next((labels[v] for v in values.get(line["variant_id"], []) if v in labels), None)
        profile = primary_profile(int(user_id), chart.body_category)
        if size is None or profile is None:
            continue
        if services.record_outcome(
            profile=profile,
            product_type_id=types[product_id],
            product_id=product_id,
            size_label=size,
            outcome=outcome,
            order_line_id=int(line["id"]),
            event_id=event.id,
        ):
            recorded += 1
    return recorded
