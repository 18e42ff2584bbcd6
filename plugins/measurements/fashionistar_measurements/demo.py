"""Demo size charts for the demo catalog's product types (product/demo.py: ``apparel``
with sizes XS-XL, ``shoes`` with EU sizes 38-44; ``accessory`` is one-size)."""

from __future__ import annotations

APPAREL_CSV = """size,chest_min,chest_max,waist_min,waist_max,hips_min,hips_max
XS,78,84,62,68,84,90
S,84,90,68,74,90,96
M,90,98,74,82,96,104
L,98,106,82,90,104,112
XL,106,116,90,100,112,122
"""

SHOES_CSV = """size,foot_length_min,foot_length_max
38,23.5,24.1
39,24.2,24.8
40,24.9,25.5
41,25.6,26.2
42,26.3,26.9
43,27.0,27.6
44,27.7,28.3
"""

CHARTS = {
    "apparel": ("Apparel (unisex, body cm)", APPAREL_CSV, "some"),
    "shoes": ("Shoes (EU, foot length cm)", SHOES_CSV, "none"),
}


def populate() -> None:
    """Idempotent: an existing chart of the same product type is replaced by the same data."""
    from fashionistar_measurements.charts import ChartScope, check_product, import_chart
    from product.models import Product, ProductType

    for slug, (name, text, stretch) in CHARTS.items():
        product_type = ProductType.objects.filter(slug=slug).first()
        if product_type is None:
            continue
        import_chart(
            scope=ChartScope(product_type_id=product_type.pk),
            name=name,
            csv_text=text,
            stretch=stretch,
        )
    for product_id in Product.objects.values_list("pk", flat=True):
        check_product(product_id)
