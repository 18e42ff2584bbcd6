"""Staff mutations of the catalog: permission-checked, typed errors, writes in services."""

import graphene

from product.schema.mutations.attributes import (
    AttributeCreate,
    AttributeDelete,
    AttributeUpdate,
    ProductTypeCreate,
    ProductTypeDelete,
    ProductTypeUpdate,
)
from product.schema.mutations.catalog import (
    CategoryCreate,
    CategoryDelete,
    CategoryUpdate,
    CollectionAddProducts,
    CollectionChannelListingUpdate,
    CollectionCreate,
    CollectionDelete,
    CollectionRemoveProducts,
    CollectionUpdate,
)
from product.schema.mutations.media import (
    ProductMediaCreate,
    ProductMediaDelete,
    ProductMediaReorder,
    ProductMediaUpdate,
)
from product.schema.mutations.products import (
    ProductChannelListingUpdate,
    ProductCreate,
    ProductDelete,
    ProductUpdate,
    ProductVariantChannelListingUpdate,
    ProductVariantCreate,
    ProductVariantDelete,
    ProductVariantUpdate,
)
from product.schema.mutations.translations import TRANSLATE


class Mutation(graphene.ObjectType):
    attribute_create = AttributeCreate.Field()
    attribute_update = AttributeUpdate.Field()
    attribute_delete = AttributeDelete.Field()
    product_type_create = ProductTypeCreate.Field()
    product_type_update = ProductTypeUpdate.Field()
    product_type_delete = ProductTypeDelete.Field()
    category_create = CategoryCreate.Field()
    category_update = CategoryUpdate.Field()
    category_delete = CategoryDelete.Field()
    collection_create = CollectionCreate.Field()
    collection_update = CollectionUpdate.Field()
    collection_delete = CollectionDelete.Field()
    collection_add_products = CollectionAddProducts.Field()
    collection_remove_products = CollectionRemoveProducts.Field()
    collection_channel_listing_update = CollectionChannelListingUpdate.Field()
    product_create = ProductCreate.Field()
    product_update = ProductUpdate.Field()
    product_delete = ProductDelete.Field()
    product_channel_listing_update = ProductChannelListingUpdate.Field()
    product_variant_create = ProductVariantCreate.Field()
    product_variant_update = ProductVariantUpdate.Field()
    product_variant_delete = ProductVariantDelete.Field()
    product_variant_channel_listing_update = ProductVariantChannelListingUpdate.Field()
    product_media_create = ProductMediaCreate.Field()
    product_media_update = ProductMediaUpdate.Field()
    product_media_delete = ProductMediaDelete.Field()
    product_media_reorder = ProductMediaReorder.Field()
    product_translate = TRANSLATE["ProductTranslate"].Field()
    product_variant_translate = TRANSLATE["ProductVariantTranslate"].Field()
    category_translate = TRANSLATE["CategoryTranslate"].Field()
    collection_translate = TRANSLATE["CollectionTranslate"].Field()
    attribute_translate = TRANSLATE["AttributeTranslate"].Field()
    attribute_value_translate = TRANSLATE["AttributeValueTranslate"].Field()


__all__ = ["Mutation"]
