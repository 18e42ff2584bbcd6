"""Size charts: which chart applies to a product, CSV import, missing-chart flags."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q

from core.errors import DomainError, NotFound
from fashionistar_measurements.models import (
    DIMENSIONS,
    BodyCategory,
    MissingSizeChart,
    SizeChart,
    SizeChartSize,
)
from fashionistar_measurements.recommend import ChartSize

MAX_CSV_BYTES = 64_000
MAX_SIZES = 40
INCH = Decimal("2.54")


def product_vendors(product_ids: list[int]) -> dict[int, str]:
    """Vendor of each product, from plugins implementing ``measurement_product_vendors``
    (none today: the marketplace will). A dict lookup when nobody implements it."""
    from core.plugins.manager import get_manager

    merged: dict[int, str] = {}
    for answer in get_manager().decision("measurement_product_vendors", product_ids=product_ids):
        merged.update({int(k): str(v) for k, v in dict(answer).items()})
    return merged


def charts_for(products: Iterable[tuple[int, int]]) -> dict[int, SizeChart]:
    """``{product_id: chart}`` for ``(product_id, product_type_id)`` pairs, most specific
    scope first (product, vendor, product type). Two queries whatever the count."""
    pairs = list(products)
    if not pairs:
        return {}
    product_ids = [p for p, _ in pairs]
    vendors = product_vendors(product_ids)
    charts = list(
        SizeChart.objects.filter(
            Q(product_id__in=product_ids)
            | Q(product_type_id__in={t for _, t in pairs})
            | Q(vendor_ref__in=set(vendors.values()))
        ).prefetch_related("sizes")
    )
    by_product = {c.product_id: c for c in charts if c.product_id is not None}
    by_vendor = {c.vendor_ref: c for c in charts if c.vendor_ref is not None}
    by_type = {c.product_type_id: c for c in charts if c.product_type_id is not None}
    found: dict[int, SizeChart] = {}
    for product_id, type_id in pairs:
        chart = (
            by_product.get(product_id)
            or by_vendor.get(vendors.get(product_id, ""))
            or by_type.get(type_id)
        )
        if chart is not None:
            found[product_id] = chart
    return found


def chart_sizes(chart: SizeChart) -> list[ChartSize]:
    return [
        ChartSize(s.label, {d: (float(lo), float(hi)) for d, (lo, hi) in s.ranges.items()})
        for s in chart.sizes.all()
    ]


# -- CSV import --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChartScope:
    product_type_id: int | None = None
    product_id: int | None = None
    vendor_ref: str | None = None


def parse_chart_csv(text: str, unit: str = "cm") -> list[tuple[str, dict[str, list[float]]]]:
    """``size,chest_min,chest_max,waist_min,...`` → [(label, {dim: [min, max]})] in cm.

    Every problem is reported with its line number; nothing is half-read.
    """
    if len(text.encode()) > MAX_CSV_BYTES:
        raise DomainError("The CSV file is larger than 64 kB.", code="INVALID", field="csv")
    rows = list(csv.reader(io.StringIO(text.strip())))
    if len(rows) < 2:
        raise DomainError(
            "The CSV needs a header line and one line per size.", code="INVALID", field="csv"
        )
    header = [h.strip().lower() for h in rows[0]]
    if not header or header[0] != "size":
        raise DomainError("The first column must be 'size'.", code="INVALID", field="csv")
    columns: list[tuple[str, int]] = []
    for name in header[1:]:
        dim, _, bound = name.rpartition("_")
        if dim not in DIMENSIONS or bound not in ("min", "max"):
            raise DomainError(
                f"Unknown column {name!r}: use <dimension>_min and <dimension>_max with "
                f"dimensions among {', '.join(DIMENSIONS)}.",
                code="INVALID",
                field="csv",
            )
        columns.append((dim, 0 if bound == "min" else 1))
    dims = {d for d, _ in columns}
    for dim in dims:
        if (dim, 0) not in columns or (dim, 1) not in columns:
            raise DomainError(
                f"Column {dim}_min or {dim}_max is missing.", code="INVALID", field="csv"
            )
    factor = INCH if unit == "in" else Decimal(1)
    sizes: list[tuple[str, dict[str, list[float]]]] = []
    seen: set[str] = set()
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise DomainError(
                f"Line {number}: expected {len(header)} values.", code="INVALID", field="csv"
            )
        label = row[0].strip()
        if not label or len(label) > 16 or label.upper() in seen:
            raise DomainError(
                f"Line {number}: the size label is empty, too long or repeated.",
                code="INVALID",
                field="csv",
            )
        seen.add(label.upper())
        ranges: dict[str, list[float]] = {}
        for (dim, index), cell in zip(columns, row[1:], strict=True):
            if not cell.strip():
                continue
            try:
                value = Decimal(cell.strip()) * factor
            except InvalidOperation:
                raise DomainError(
                    f"Line {number}: {dim} is not a number.", code="INVALID", field="csv"
                ) from None
            if not 0 < value < 300:
                raise DomainError(
                    f"Line {number}: {dim} is out of range.", code="INVALID", field="csv"
                )
            ranges.setdefault(dim, [0.0, 0.0])[index] = float(round(value, 1))
        for dim, (low, high) in ranges.items():
            if not low or not high or low > high:
                raise DomainError(
                    f"Line {number}: {dim} needs a minimum not above its maximum.",
                    code="INVALID",
                    field="csv",
                )
        if not ranges:
            raise DomainError(f"Line {number}: no measurement range.", code="INVALID", field="csv")
        sizes.append((label, ranges))
    if not sizes or len(sizes) > MAX_SIZES:
        raise DomainError(f"A chart has 1 to {MAX_SIZES} sizes.", code="INVALID", field="csv")
    return sizes


def _check_scope(scope: ChartScope) -> None:
    from product.models import Product, ProductType

    given = [v for v in (scope.product_type_id, scope.product_id, scope.vendor_ref) if v]
    if len(given) != 1:
        raise DomainError(
            "Give exactly one of product type, vendor or product.", code="INVALID", field="scope"
        )
    if scope.product_type_id and not ProductType.objects.filter(pk=scope.product_type_id).exists():
        raise NotFound("No such product type.", field="productType")
    if scope.product_id and not Product.objects.filter(pk=scope.product_id).exists():
        raise NotFound("No such product.", field="product")


@transaction.atomic
def import_chart(
    *,
    scope: ChartScope,
    name: str,
    csv_text: str,
    unit: str = "cm",
    body_category: str = BodyCategory.UNISEX,
    stretch: str = SizeChart.Stretch.NONE,
) -> SizeChart:
    """Create the scope's chart, or replace its sizes; clears missing-chart flags it fixes."""
    _check_scope(scope)
    if body_category not in BodyCategory.values:
        raise DomainError("Unknown body category.", code="INVALID", field="bodyCategory")
    if stretch not in SizeChart.Stretch.values:
        raise DomainError("Unknown stretch.", code="INVALID", field="stretch")
    name = (name or "").strip()
    if not name or len(name) > 128:
        raise DomainError("Name the chart (up to 128 characters).", code="REQUIRED", field="name")
    sizes = parse_chart_csv(csv_text, unit)
    lookup = {k: v for k, v in vars(scope).items() if v}
    chart = SizeChart.objects.select_for_update().filter(**lookup).first()
    if chart is None:
        chart = SizeChart(**lookup)
    chart.name, chart.body_category, chart.stretch = name, body_category, stretch
    chart.save()
    chart.sizes.all().delete()
    # One by one, not bulk_create: the audit log records staff writes through model
    # signals, and a chart has at most MAX_SIZES rows.
    for i, (label, ranges) in enumerate(sizes):
        SizeChartSize.objects.create(chart=chart, label=label, sort_order=i, ranges=ranges)
    unflag_covered(chart)
    return chart


def unflag_covered(chart: SizeChart) -> None:
    from product.models import Product

    if chart.product_id is not None:
        MissingSizeChart.objects.filter(product_id=chart.product_id).delete()
    elif chart.product_type_id is not None:
        ids = Product.objects.filter(product_type_id=chart.product_type_id).values("pk")
        MissingSizeChart.objects.filter(product_id__in=ids).delete()
    else:
        flagged = list(MissingSizeChart.objects.values_list("product_id", flat=True))
        vendors = product_vendors(flagged) if flagged else {}
        covered = [p for p, v in vendors.items() if v == chart.vendor_ref]
        MissingSizeChart.objects.filter(product_id__in=covered).delete()


def check_product(product_id: int) -> bool:
    """Flag a sized product (its type has a variant attribute whose slug contains "size")
    when no chart applies to it; unflag it otherwise. True when flagged."""
    from product.models import Product

    product = Product.objects.select_related("product_type").filter(pk=product_id).first()
    if product is None:
        MissingSizeChart.objects.filter(product_id=product_id).delete()
        return False
    sized = product.product_type.variant_attributes.filter(slug__icontains="size").exists()
    if not sized or charts_for([(product.pk, product.product_type_id)]):
        MissingSizeChart.objects.filter(product_id=product.pk).delete()
        return False
    MissingSizeChart.objects.update_or_create(
        product_id=product.pk,
        defaults={
            "product_slug": product.slug,
            "product_name": product.name,
            "product_type_slug": product.product_type.slug,
        },
    )
    return True
