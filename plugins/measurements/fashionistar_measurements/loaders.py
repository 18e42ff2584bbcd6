"""Per-request batching of size recommendations: a page of N products costs the same
SQL queries as one.

The first ``sizeRecommendation`` resolved in a request loads, for every product the
catalog has handed out so far (the catalog's own per-request product pool), in one
go: product types, charts and their sizes, variant sizes, stock in the channel,
the profile and its fit outcomes. Later products read from memory. The loader
lives on ``info.context`` and dies with the request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fashionistar_measurements import charts, recommend, services
from fashionistar_measurements.models import DIMENSIONS, FitOutcome, MeasurementProfile, SizeChart


@dataclass
class ProductSizes:
    chart: SizeChart | None
    sizes: list[recommend.ChartSize]
    variants_by_size: dict[str, list[int]]  # chart label -> variant ids


class RecommendationLoader:
    def __init__(self, request: Any) -> None:
        self.request = request
        self.products: dict[int, ProductSizes] = {}
        self.stock: dict[int, dict[int, int]] = {}  # channel pk -> variant id -> quantity
        self.profiles: dict[int, MeasurementProfile | None] = {}
        self.steps: dict[int, dict[int, int]] = {}  # profile pk -> product type -> steps

    # -- products ---------------------------------------------------------------------------

    def product(self, product: Any, pool: list[int]) -> ProductSizes:
        found = self.products.get(product.pk)
        if found is None:
            self._load([pk for pk in dict.fromkeys([*pool, product.pk]) if pk not in self.products])
            found = self.products[product.pk]
        return found

    def _load(self, ids: list[int]) -> None:
        from product.models import Product, VariantAttributeValue

        pairs = list(Product.objects.filter(pk__in=ids).values_list("pk", "product_type_id"))
        found = charts.charts_for(pairs)
        rows = (
            VariantAttributeValue.objects.filter(variant__product_id__in=list(found))
            .values_list("variant__product_id", "variant_id", "value__name")
            .order_by("variant__sort_order", "variant_id")
        )
        labels = {
            pid: {s.label.upper(): s.label for s in chart.sizes.all()}
            for pid, chart in found.items()
        }
        variants: dict[int, dict[str, list[int]]] = {}
        for product_id, variant_id, value in rows:
            label = labels[product_id].get(str(value).strip().upper())
            if label is not None:
                variants.setdefault(product_id, {}).setdefault(label, []).append(variant_id)
        for pk in ids:
            chart = found.get(pk)
            self.products[pk] = ProductSizes(
                chart,
                charts.chart_sizes(chart) if chart else [],
                variants.get(pk, {}),
            )

    def available(self, channel: Any) -> dict[int, int]:
        """Units in stock per variant, for every variant of every loaded chart product.

        Reloaded only when products were added since the last call (a second page)."""
        from warehouse.services import available_quantities

        wanted = {
            v for p in self.products.values() for ids in p.variants_by_size.values() for v in ids
        }
        known = self.stock.setdefault(channel.pk, {})
        missing = wanted - known.keys()
        if missing:
            known.update(available_quantities(missing, channel))
        return known

    # -- the shopper -------------------------------------------------------------------------

    def profile(self, user: Any, profile_id: int) -> MeasurementProfile:
        if profile_id not in self.profiles:
            try:
                self.profiles[profile_id] = services.owned_profile(user, profile_id)
            except services.NotFound:
                self.profiles[profile_id] = None
        profile = self.profiles[profile_id]
        if profile is None:
            raise services.NotFound("No such measurement profile.", field="profileId")
        return profile

    def feedback_steps(self, profile: MeasurementProfile, product_type_id: int) -> int:
        per_type = self.steps.get(profile.pk)
        if per_type is None:
            outcomes: dict[int, list[str]] = {}
            for type_id, outcome in FitOutcome.objects.filter(profile=profile).values_list(
                "product_type_id", "outcome"
            ):  # newest first (model ordering)
                outcomes.setdefault(type_id, []).append(outcome)
            per_type = self.steps[profile.pk] = {
                t: services.feedback_steps(o) for t, o in outcomes.items()
            }
        return per_type.get(product_type_id, 0)


def body_of(profile: MeasurementProfile) -> dict[str, float]:
    return {d: float(v) for d in DIMENSIONS if (v := getattr(profile, d)) is not None}


def loader(info: Any) -> RecommendationLoader:
    request = info.context
    found = getattr(request, "_measurement_loader", None)
    if found is None:
        found = request._measurement_loader = RecommendationLoader(request)
    return found
