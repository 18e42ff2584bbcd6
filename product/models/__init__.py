"""The catalog's data. Only ``product.services`` writes it."""

from product.models.attributes import Attribute, AttributeValue
from product.models.catalog import Category, Collection, CollectionChannelListing, CollectionProduct
from product.models.products import (
    AttributeProduct,
    AttributeVariant,
    Product,
    ProductAttributeValue,
    ProductChannelListing,
    ProductMedia,
    ProductType,
    ProductVariant,
    ProductVariantChannelListing,
    Thumbnail,
    VariantAttributeValue,
)
from product.models.translations import (
    AttributeTranslation,
    AttributeValueTranslation,
    CategoryTranslation,
    CollectionTranslation,
    ProductTranslation,
    ProductVariantTranslation,
)

__all__ = [
    "Attribute",
    "AttributeProduct",
    "AttributeTranslation",
    "AttributeValue",
    "AttributeValueTranslation",
    "AttributeVariant",
    "Category",
    "CategoryTranslation",
    "Collection",
    "CollectionChannelListing",
    "CollectionProduct",
    "CollectionTranslation",
    "Product",
    "ProductAttributeValue",
    "ProductChannelListing",
    "ProductMedia",
    "ProductTranslation",
    "ProductType",
    "ProductVariant",
    "ProductVariantChannelListing",
    "ProductVariantTranslation",
    "Thumbnail",
    "VariantAttributeValue",
]
