"""Fixtures of the measurements plugin's tests: channels, users, a small sized catalog
with stock, GraphQL clients. ``plugin_kit`` comes from the host (pytest11 entry point).
Everything runs against the real database and cache of the run."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from fashionistar_measurements.demo import APPAREL_CSV


@pytest.fixture(autouse=True, scope="session")
def _tasks_run_in_process() -> None:
    from core.celery import app

    app.conf.task_always_eager = True


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def channel(db: Any) -> Any:
    from core.models import Channel

    return Channel.objects.create(
        name="Nigeria", slug="default-channel", currency_code="NGN", default_country="NG"
    )


class GraphQL:
    def __init__(self, user: Any = None) -> None:
        self.client = Client()
        if user is not None:
            self.client.force_login(user)

    def __call__(self, query: str, variables: dict | None = None) -> dict:
        response = self.client.post(
            "/graphql/",
            json.dumps({"query": query, "variables": variables or {}}),
            content_type="application/json",
        )
        return response.json()


@pytest.fixture
def make_user(db: Any) -> Any:
    def make(email: str, *perms: str, is_staff: bool = False) -> Any:
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Permission

        user = get_user_model().objects.create_user(email=email, password=None, is_staff=is_staff)
        for perm in perms:
            app_label, codename = perm.split(".")
            user.user_permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        return get_user_model().objects.get(pk=user.pk)

    return make


@pytest.fixture
def ada(make_user: Any) -> Any:
    return make_user("ada@example.com")


@pytest.fixture
def ada_gql(ada: Any) -> GraphQL:
    return GraphQL(ada)


@pytest.fixture
def anon_gql(db: Any) -> GraphQL:
    return GraphQL()


@pytest.fixture
def as_user() -> Any:
    return GraphQL


@dataclass
class Shop:
    dress: Any  # product type, sized
    bag: Any  # product type, one size
    products: list[Any]
    variants: dict[str, Any]  # "<product slug>:<size>" -> variant
    warehouse: Any
    channel: Any

    def stock(self, product: Any, size: str, quantity: int) -> None:
        from warehouse import services

        services.set_stocks(
            actor=None,
            items=[
                services.StockInput(
                    self.variants[f"{product.slug}:{size}"], self.warehouse, quantity
                )
            ],
        )


SIZES = ("XS", "S", "M", "L", "XL")


def _product(
    ptype: Any, name: str, channel: Any, sizes: tuple[str, ...], size_attr: Any
) -> tuple[Any, dict]:
    from product import services
    from product.services import (
        AttributeAssignment,
        PriceInput,
        ProductInput,
        ProductListingInput,
        VariantInput,
    )

    product = services.create_product(actor=None, product_type=ptype, data=ProductInput(name=name))
    services.update_product_channel_listings(
        actor=None,
        product=product,
        update=[ProductListingInput(channel, is_published=True, is_available_for_purchase=True)],
    )
    variants = {}
    for size in sizes:
        attributes = [AttributeAssignment(size_attr.pk, (size,))] if size_attr else []
        variant = services.create_variant(
            actor=None,
            product=product,
            data=VariantInput(sku=f"{product.slug}-{size}", name=size, attributes=attributes),
        )
        services.update_variant_channel_listings(
            actor=None, variant=variant, update=[PriceInput(channel, Decimal("10000"))]
        )
        variants[f"{product.slug}:{size}"] = variant
    return product, variants


def build_shop(channel: Any, *, dresses: int = 3, stocked: int = 5) -> Shop:
    from product import services
    from product.services import ProductTypeInput, ValueInput
    from warehouse import services as stock

    size = services.create_attribute(actor=None, name="Size", values=[ValueInput(s) for s in SIZES])
    dress = services.create_product_type(
        actor=None, data=ProductTypeInput(name="Dress", variant_attributes=[size.pk])
    )
    bag = services.create_product_type(actor=None, data=ProductTypeInput(name="Bag"))
    warehouse = stock.create_warehouse(
        actor=None,
        data={
            "name": "Lagos Hub",
            "street_address_1": "1 Marina",
            "city": "Lagos",
            "country": "NG",
        },
    )
    stock.create_shipping_zone(
        actor=None, name="Nigeria", countries=["NG"], warehouses=[warehouse], channels=[channel]
    )
    products, variants = [], {}
    for i in range(dresses):
        product, found = _product(dress, f"Ankara Dress {i:02d}", channel, SIZES, size)
        products.append(product)
        variants.update(found)
    shop = Shop(dress, bag, products, variants, warehouse, channel)
    for product in products:
        for s in SIZES:
            shop.stock(product, s, stocked)
    return shop


@pytest.fixture
def shop_factory(db: Any) -> Any:
    return build_shop


@pytest.fixture
def shop(channel: Any) -> Shop:
    return build_shop(channel)


@pytest.fixture
def dress_chart(shop: Shop) -> Any:
    from fashionistar_measurements.charts import ChartScope, import_chart

    return import_chart(
        scope=ChartScope(product_type_id=shop.dress.pk), name="Dresses", csv_text=APPAREL_CSV
    )


PROFILE_CREATE = """
mutation($input: MeasurementProfileInput!) {
  measurementProfileCreate(input: $input) {
    profile { id name bodyCategory unit chest waist hips height weight
      values { dimension value unit source estimated confidence margin } }
    errors { field code message }
  }
}
"""


@pytest.fixture
def create_profile() -> Any:
    def create(client: GraphQL, **fields: Any) -> dict:
        data = {"name": "Me", "bodyCategory": "WOMEN", **fields}
        body = client(PROFILE_CREATE, {"input": data})
        return body["data"]["measurementProfileCreate"]

    return create
