"""Catalog writes. Every change to product data goes through these functions.

Each takes the acting user as ``actor`` (None for the system), runs in one
transaction and records its events in the outbox inside that transaction.
"""

from product.services.assignments import AttributeAssignment
from product.services.attributes import (
    ProductTypeInput,
    ValueInput,
    create_attribute,
    create_product_type,
    delete_attribute,
    delete_product_type,
    update_attribute,
    update_product_type,
)
from product.services.catalog import (
    add_collection_products,
    create_category,
    create_collection,
    delete_category,
    delete_collection,
    descendant_ids,
    remove_collection_products,
    update_category,
    update_collection,
    update_collection_channel_listings,
)
from product.services.products import (
    ProductInput,
    ProductListingInput,
    add_product_media,
    create_product,
    delete_product,
    delete_product_media,
    refresh_min_prices,
    refresh_search_document,
    reorder_product_media,
    set_product_rating,
    update_product,
    update_product_channel_listings,
    update_product_media,
)
from product.services.thumbnails import get_or_create_thumbnail
from product.services.translations import translate
from product.services.variants import (
    PriceInput,
    VariantInput,
    create_variant,
    create_variants,
    delete_variant,
    update_variant,
    update_variant_channel_listings,
)

__all__ = [
    "AttributeAssignment",
    "PriceInput",
    "ProductInput",
    "ProductListingInput",
    "ProductTypeInput",
    "ValueInput",
    "VariantInput",
    "add_collection_products",
    "add_product_media",
    "create_attribute",
    "create_category",
    "create_collection",
    "create_product",
    "create_product_type",
    "create_variant",
    "create_variants",
    "delete_attribute",
    "delete_category",
    "delete_collection",
    "delete_product",
    "delete_product_media",
    "delete_product_type",
    "delete_variant",
    "descendant_ids",
    "get_or_create_thumbnail",
    "refresh_min_prices",
    "refresh_search_document",
    "remove_collection_products",
    "reorder_product_media",
    "set_product_rating",
    "translate",
    "update_attribute",
    "update_category",
    "update_collection",
    "update_collection_channel_listings",
    "update_product",
    "update_product_channel_listings",
    "update_product_media",
    "update_product_type",
    "update_variant",
    "update_variant_channel_listings",
]
