"""Staff mutations: permission checks, typed errors that write nothing, events, translations."""

from __future__ import annotations

import base64
import io

import pytest
from graphene.relay import Node
from PIL import Image

from core.permissions import Perm
from product.models import (
    Category,
    Product,
    ProductTranslation,
    ProductVariant,
    ProductVariantChannelListing,
)
from tests.product.plugins import install

MANAGE = Perm.MANAGE_PRODUCTS.value


def gid(type_name, pk):
    return Node.to_global_id(type_name, pk)


CATEGORY_CREATE = """
mutation ($input: CategoryInput!, $parent: ID) {
  categoryCreate(input: $input, parent: $parent) {
    category { id name slug level parent { slug } }
    errors { field code message }
  }
}
"""

PRODUCT_CREATE = """
mutation ($input: ProductCreateInput!) {
  productCreate(input: $input) {
    product { id name slug category { slug } attributes { attribute { slug } values { name } } }
    errors { field code message }
  }
}
"""

VARIANT_CREATE = """
mutation ($input: ProductVariantCreateInput!) {
  productVariantCreate(input: $input) {
    productVariant { id sku name attributes { attribute { slug } values { name } } }
    errors { field code message }
  }
}
"""

PRICES = """
mutation ($id: ID!, $input: [ProductVariantChannelListingAddInput!]!) {
  productVariantChannelListingUpdate(id: $id, input: $input) {
    variant { sku }
    errors { field code message }
  }
}
"""


@pytest.mark.embedded
def test_without_permission_the_mutation_is_refused_and_writes_nothing(gql, staff_gql, catalog):
    for client in (gql, staff_gql()):
        result = client(CATEGORY_CREATE, {"input": {"name": "Shoes"}})
        payload = result["data"]["categoryCreate"]
        assert payload["category"] is None
        assert [e["code"] for e in payload["errors"]] == ["PERMISSION_DENIED"]
    assert not Category.objects.filter(name="Shoes").exists()


@pytest.mark.embedded
def test_staff_build_a_product_end_to_end(staff_gql, gql, catalog, channel):
    staff = staff_gql(MANAGE)
    shoes = staff(
        CATEGORY_CREATE, {"input": {"name": "Shoes"}, "parent": gid("Category", catalog.women.pk)}
    )
    category = shoes["data"]["categoryCreate"]
    assert category["errors"] == []
    assert category["category"]["level"] == 1
    assert category["category"]["parent"] == {"slug": "women"}
    created = staff(
        PRODUCT_CREATE,
        {
            "input": {
                "productType": gid("ProductType", catalog.dress.pk),
                "category": category["category"]["id"],
                "name": "Aso Oke Sandal",
                "description": {"blocks": [{"type": "paragraph", "data": {"text": "Handwoven"}}]},
                "attributes": [
                    {"id": gid("Attribute", catalog.attrs["material"].pk), "values": ["Silk"]}
                ],
            }
        },
    )["data"]["productCreate"]
    assert created["errors"] == []
    product = created["product"]
    assert product["slug"] == "aso-oke-sandal"
    assert product["attributes"] == [
        {"attribute": {"slug": "material"}, "values": [{"name": "Silk"}]}
    ]
    listing = staff(
        """mutation ($id: ID!, $input: ProductChannelListingUpdateInput!) {
          productChannelListingUpdate(id: $id, input: $input) { errors { field code } }
        }""",
        {
            "id": product["id"],
            "input": {
                "updateChannels": [
                    {
                        "channelId": gid("Channel", channel.pk),
                        "isPublished": True,
                        "isAvailableForPurchase": True,
                    }
                ]
            },
        },
    )
    assert listing["data"]["productChannelListingUpdate"]["errors"] == []
    variant = staff(
        VARIANT_CREATE,
        {
            "input": {
                "product": product["id"],
                "sku": "AOS-42",
                "name": "42",
                "attributes": [{"id": gid("Attribute", catalog.attrs["size"].pk), "values": ["L"]}],
            }
        },
    )["data"]["productVariantCreate"]
    assert variant["errors"] == []
    priced = staff(
        PRICES,
        {
            "id": variant["productVariant"]["id"],
            "input": [{"channel": "default-channel", "price": "18500.50"}],
        },
    )
    assert priced["data"]["productVariantChannelListingUpdate"]["errors"] == []
    shopper = gql(
        """{ product(slug: "aso-oke-sandal", channel: "default-channel") {
             category { slug } pricing { priceRange { start { gross { amount } } } } } }"""
    )
    assert shopper["data"]["product"] == {
        "category": {"slug": "shoes"},
        "pricing": {"priceRange": {"start": {"gross": {"amount": 18500.5}}}},
    }


def _prices():
    return sorted(
        ProductVariantChannelListing.objects.values_list("variant_id", "channel_id", "price_amount")
    )


@pytest.mark.embedded
@pytest.mark.parametrize(
    ("listing", "code", "field"),
    [
        ({"channel": "nowhere", "price": "10"}, "NOT_FOUND", "channel"),
        ({"channel": "default-channel", "price": "-10"}, "NEGATIVE_AMOUNT", "price"),
        ({"channel": "default-channel", "price": "10.005"}, "INVALID_AMOUNT", "price"),
        ({"channel": "channel-usd", "price": 10.999}, "INVALID_AMOUNT", "price"),
        (
            {"channel": "default-channel", "price": "10", "costPrice": "-1"},
            "NEGATIVE_AMOUNT",
            "costPrice",
        ),
    ],
)
def test_bad_prices_are_typed_errors_and_nothing_is_written(
    staff_gql, catalog, listing, code, field
):
    staff = staff_gql(MANAGE)
    before = _prices()
    variant = gid("ProductVariant", catalog.variants["RD-S"].pk)
    ok = {"channel": "channel-usd", "price": "1.00"}
    result = staff(PRICES, {"id": variant, "input": [ok, listing]})
    payload = result["data"]["productVariantChannelListingUpdate"]
    assert payload["variant"] is None
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [(code, field)]
    assert _prices() == before


@pytest.mark.embedded
def test_existing_sku_is_a_typed_error(staff_gql, catalog):
    staff = staff_gql(MANAGE)
    count = ProductVariant.objects.count()
    result = staff(
        VARIANT_CREATE, {"input": {"product": gid("Product", catalog.silk_top.pk), "sku": "RD-S"}}
    )
    payload = result["data"]["productVariantCreate"]
    assert payload["productVariant"] is None
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [("UNIQUE", "sku")]
    assert ProductVariant.objects.count() == count


@pytest.mark.embedded
def test_attribute_outside_the_product_type_is_a_typed_error(staff_gql, catalog):
    from product import services

    staff = staff_gql(MANAGE)
    fit = services.create_attribute(actor=None, name="Fit")
    count = ProductVariant.objects.count()
    result = staff(
        VARIANT_CREATE,
        {
            "input": {
                "product": gid("Product", catalog.silk_top.pk),
                "sku": "ST-XL",
                "attributes": [{"id": gid("Attribute", fit.pk), "values": ["Slim"]}],
            }
        },
    )
    payload = result["data"]["productVariantCreate"]
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [
        ("ATTRIBUTE_CANNOT_BE_ASSIGNED", "attributes")
    ]
    assert ProductVariant.objects.count() == count
    assert not fit.values.exists()


@pytest.mark.embedded
def test_malformed_id_is_a_typed_error(staff_gql, catalog):
    staff = staff_gql(MANAGE)
    result = staff(
        PRICES, {"id": "not-an-id", "input": [{"channel": "default-channel", "price": 1}]}
    )
    errors = result["data"]["productVariantChannelListingUpdate"]["errors"]
    assert errors[0]["field"] == "id"


def test_mutations_emit_product_events(plugin_kit, staff_gql, catalog):
    recorder = install(plugin_kit)
    staff = staff_gql(MANAGE)
    created = staff(
        PRODUCT_CREATE,
        {"input": {"productType": gid("ProductType", catalog.dress.pk), "name": "Boubou"}},
    )["data"]["productCreate"]["product"]
    staff(
        """mutation ($id: ID!) { productDelete(id: $id) { errors { code } } }""",
        {"id": created["id"]},
    )
    plugin_kit.deliver()
    pk = Product.objects.filter(slug="boubou").first()
    assert pk is None
    payload = {
        "slug": "boubou",
        "name": "Boubou",
        "product_type": catalog.dress.slug,
        "category": None,
    }
    [event] = recorder.payloads("product_created")
    assert {k: v for k, v in event["product"].items() if k != "id"} == payload
    [deleted] = recorder.payloads("product_deleted")
    assert deleted == event


@pytest.mark.embedded
def test_translations_reach_the_storefront(staff_gql, gql, catalog):
    staff = staff_gql(Perm.MANAGE_TRANSLATIONS.value)
    result = staff(
        """mutation ($id: ID!, $input: RichTranslationInput!) {
          productTranslate(id: $id, languageCode: FR, input: $input) {
            translation { name language { code } } errors { code }
          }
        }""",
        {"id": gid("Product", catalog.red_dress.pk), "input": {"name": "Robe Ankara rouge"}},
    )
    assert result["data"]["productTranslate"] == {
        "translation": {"name": "Robe Ankara rouge", "language": {"code": "FR"}},
        "errors": [],
    }
    staff(
        """mutation ($id: ID!) { attributeValueTranslate(id: $id, languageCode: FR,
             input: {name: "Coton"}) { errors { code } } }""",
        {"id": gid("AttributeValue", catalog.attrs["material"].values.get(slug="cotton").pk)},
    )
    shown = gql(
        """{ product(slug: "red-ankara-dress", channel: "default-channel") {
             name translation(languageCode: FR) { name }
             attributes { values { name translation(languageCode: FR) { name } } }
             variants { translation(languageCode: FR) { name } } } }"""
    )["data"]["product"]
    assert shown["name"] == "Red Ankara Dress"
    assert shown["translation"] == {"name": "Robe Ankara rouge"}
    assert shown["attributes"][0]["values"][0]["translation"] == {"name": "Coton"}
    assert shown["variants"][0]["translation"] is None
    assert ProductTranslation.objects.get().language_code == "fr"


def _png(size=(40, 30)) -> str:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 60)).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


@pytest.mark.embedded
def test_media_upload_and_refusal_of_non_images(staff_gql, catalog, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    staff = staff_gql(MANAGE)
    create = """mutation ($product: ID!, $image: String!) {
      productMediaCreate(product: $product, image: $image, alt: "Front") {
        media { id alt url } errors { field code } } }"""
    product = gid("Product", catalog.red_dress.pk)
    ok = staff(create, {"product": product, "image": _png()})["data"]["productMediaCreate"]
    assert ok["errors"] == [] and ok["media"]["alt"] == "Front"
    assert ok["media"]["url"].startswith("http://testserver/media/products/")
    bad = staff(create, {"product": product, "image": base64.b64encode(b"hello").decode()})
    assert bad["data"]["productMediaCreate"]["errors"] == [{"field": "image", "code": "INVALID"}]
    assert catalog.red_dress.media.count() == 1


@pytest.mark.embedded
def test_category_and_collection_translations_with_regional_codes(staff_gql, gql, catalog, channel):
    from product import services

    collection = services.create_collection(actor=None, name="Owambe", products=[catalog.red_dress])
    services.update_collection_channel_listings(
        actor=None, collection=collection, add=[{"channel": channel, "is_published": True}]
    )
    staff = staff_gql(Perm.MANAGE_TRANSLATIONS.value)
    for mutation, type_name, pk, name in (
        ("categoryTranslate", "Category", catalog.dresses.pk, "Vestidos"),
        ("collectionTranslate", "Collection", collection.pk, "Festa"),
    ):
        result = staff(
            f"""mutation ($id: ID!) {{ {mutation}(id: $id, languageCode: PT_BR,
                 input: {{name: "{name}"}}) {{ errors {{ code }} }} }}""",
            {"id": gid(type_name, pk)},
        )
        assert result["data"][mutation]["errors"] == []
    shown = gql(
        """{ category(slug: "dresses") { translation(languageCode: PT_BR) { name language { code } } }
             collection(slug: "owambe", channel: "default-channel") {
               translation(languageCode: PT_BR) { name } fr: translation(languageCode: FR) { name } } }"""
    )["data"]
    assert shown["category"]["translation"] == {"name": "Vestidos", "language": {"code": "PT_BR"}}
    assert shown["collection"] == {"translation": {"name": "Festa"}, "fr": None}


@pytest.mark.embedded
def test_translating_needs_the_translation_permission(staff_gql, catalog):
    staff = staff_gql(MANAGE)
    result = staff(
        """mutation ($id: ID!) { productTranslate(id: $id, languageCode: FR,
             input: {name: "Robe"}) { errors { code } } }""",
        {"id": gid("Product", catalog.red_dress.pk)},
    )
    assert result["data"]["productTranslate"]["errors"] == [{"code": "PERMISSION_DENIED"}]
    assert not ProductTranslation.objects.exists()


@pytest.mark.embedded
def test_variant_delete_returns_the_deleted_variant(staff_gql, catalog):
    staff = staff_gql(MANAGE)
    result = staff(
        """mutation ($id: ID!) { productVariantDelete(id: $id) {
             productVariant { sku product { slug } } errors { code } } }""",
        {"id": gid("ProductVariant", catalog.variants["RD-M"].pk)},
    )["data"]["productVariantDelete"]
    assert result == {
        "productVariant": {"sku": "RD-M", "product": {"slug": "red-ankara-dress"}},
        "errors": [],
    }
    missing = staff(
        """mutation ($id: ID!) { productVariantDelete(id: $id) { errors { code field } } }""",
        {"id": gid("ProductVariant", 999999)},
    )["data"]["productVariantDelete"]
    assert missing["errors"] == [{"code": "NOT_FOUND", "field": "id"}]
