"""Size charts: CSV import (GraphQL and dashboard), missing-chart flags, demo data."""

from __future__ import annotations

from typing import Any

import graphene
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from fashionistar_measurements.demo import APPAREL_CSV
from fashionistar_measurements.models import MissingSizeChart, SizeChart

IMPORT = """
mutation($name: String!, $csv: String!, $type: ID, $unit: MeasurementUnit) {
  sizeChartImport(name: $name, csv: $csv, productTypeId: $type, unit: $unit) {
    chart { name scope sizes } errors { field code message }
  }
}
"""
MISSING = "{ productsWithoutSizeChart { name productType } }"


def gid(kind: str, pk: int) -> str:
    return graphene.relay.Node.to_global_id(kind, pk)


def test_staff_import_a_chart_from_csv(shop: Any, make_user: Any, as_user: Any) -> None:
    staff = as_user(make_user("s@example.com", "product.manage_products", is_staff=True))

    body = staff(
        IMPORT, {"name": "Dresses", "csv": APPAREL_CSV, "type": gid("ProductType", shop.dress.pk)}
    )

    result = body["data"]["sizeChartImport"]
    assert result["errors"] == []
    assert result["chart"] == {
        "name": "Dresses",
        "scope": "product_type",
        "sizes": ["XS", "S", "M", "L", "XL"],
    }
    assert SizeChart.objects.get().sizes.get(label="M").ranges["chest"] == [90.0, 98.0]


def test_chart_imports_by_staff_are_audited(shop: Any, make_user: Any, as_user: Any) -> None:
    from account.models import AuditEvent

    staff_user = make_user("s@example.com", "product.manage_products", is_staff=True)
    as_user(staff_user)(
        IMPORT, {"name": "Dresses", "csv": APPAREL_CSV, "type": gid("ProductType", shop.dress.pk)}
    )

    audited = AuditEvent.objects.filter(content_type__app_label="fashionistar_measurements")
    assert {e.content_type.model for e in audited} == {"sizechart", "sizechartsize"}
    assert {e.actor_id for e in audited} == {staff_user.pk}


def test_a_chart_in_inches_is_stored_in_centimetres(
    shop: Any, make_user: Any, as_user: Any
) -> None:
    staff = as_user(make_user("s@example.com", "product.manage_products", is_staff=True))

    staff(
        IMPORT,
        {
            "name": "US",
            "csv": "size,chest_min,chest_max\nM,36,38\n",
            "type": gid("ProductType", shop.dress.pk),
            "unit": "IN",
        },
    )

    assert SizeChart.objects.get().sizes.get().ranges == {"chest": [91.4, 96.5]}


def test_a_bad_csv_is_refused_with_its_line_and_nothing_is_written(
    shop: Any, make_user: Any, as_user: Any
) -> None:
    staff = as_user(make_user("s@example.com", "product.manage_products", is_staff=True))
    bad = "size,chest_min,chest_max\nS,84,90\nM,98,90\n"

    body = staff(IMPORT, {"name": "Dresses", "csv": bad, "type": gid("ProductType", shop.dress.pk)})

    errors = body["data"]["sizeChartImport"]["errors"]
    assert errors[0]["field"] == "csv" and "Line 3" in errors[0]["message"]
    assert not SizeChart.objects.exists()


def test_customers_cannot_import_charts(shop: Any, ada_gql: Any) -> None:
    body = ada_gql(
        IMPORT, {"name": "X", "csv": APPAREL_CSV, "type": gid("ProductType", shop.dress.pk)}
    )

    assert body["data"]["sizeChartImport"]["errors"][0]["code"] == "PERMISSION_DENIED"
    assert not SizeChart.objects.exists()


def test_sized_products_without_a_chart_are_flagged_until_one_exists(
    plugin_kit: Any, shop: Any, make_user: Any, as_user: Any, channel: Any
) -> None:
    from product import services
    from product.services import ProductInput

    services.create_product(actor=None, product_type=shop.bag, data=ProductInput(name="Raffia Bag"))
    plugin_kit.deliver(rounds=3)
    staff = as_user(make_user("s@example.com", "product.manage_products", is_staff=True))

    flagged = staff(MISSING)["data"]["productsWithoutSizeChart"]
    assert sorted(p["name"] for p in flagged) == [p.name for p in shop.products]
    assert {p["productType"] for p in flagged} == {shop.dress.slug}

    staff(
        IMPORT, {"name": "Dresses", "csv": APPAREL_CSV, "type": gid("ProductType", shop.dress.pk)}
    )
    assert staff(MISSING)["data"]["productsWithoutSizeChart"] == []

    services.update_product(actor=None, product=shop.products[0], data=ProductInput(name="Renamed"))
    plugin_kit.deliver()
    assert not MissingSizeChart.objects.exists()


def test_customers_cannot_list_products_without_charts(ada_gql: Any) -> None:
    body = ada_gql(MISSING)

    assert body["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"


def test_staff_import_a_chart_in_the_dashboard(shop: Any, make_user: Any) -> None:
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser(email="admin@example.com", password=None)
    client = Client()
    client.force_login(admin)
    upload = SimpleUploadedFile("chart.csv", APPAREL_CSV.encode(), content_type="text/csv")

    page = client.get("/dashboard/fashionistar_measurements/sizechart/import-csv/")
    response = client.post(
        "/dashboard/fashionistar_measurements/sizechart/import-csv/",
        {
            "name": "Dresses",
            "product_type_id": shop.dress.pk,
            "body_category": "unisex",
            "stretch": "some",
            "unit": "cm",
            "csv_file": upload,
        },
    )

    assert page.status_code == 200
    assert response.status_code == 302
    chart = SizeChart.objects.get()
    assert (chart.stretch, chart.sizes.count()) == ("some", 5)


def test_demo_data_gives_the_demo_product_types_charts(db: Any) -> None:
    from fashionistar_measurements.demo import populate

    from product import services
    from product.services import ProductTypeInput

    for name, slug in (("Apparel", "apparel"), ("Shoes", "shoes"), ("Accessory", "accessory")):
        services.create_product_type(actor=None, data=ProductTypeInput(name=name, slug=slug))
    populate()
    populate()

    charts = {c.name: c.sizes.count() for c in SizeChart.objects.all()}
    assert charts == {"Apparel (unisex, body cm)": 5, "Shoes (EU, foot length cm)": 7}
