"""``translation(languageCode)`` on catalog types: the merchant's text, or null."""

from __future__ import annotations

from typing import Any

import graphene

from product import models as m
from product.schema.common import LanguageCodeEnum, LanguageDisplay, gid, language_code
from product.schema.loaders import loaders


class _Translation(graphene.ObjectType):
    id = graphene.ID(required=True)
    language = graphene.Field(LanguageDisplay, required=True)
    name = graphene.String()

    @staticmethod
    def resolve_id(root: Any, info: Any) -> str:
        return gid(type(root).__name__, root.pk)

    @staticmethod
    def resolve_language(root: Any, info: Any) -> LanguageDisplay:
        return LanguageDisplay.for_code(root.language_code)


class ProductTranslation(_Translation):
    description = graphene.JSONString()


class ProductVariantTranslation(_Translation):
    pass


class CategoryTranslation(_Translation):
    description = graphene.JSONString()


class CollectionTranslation(_Translation):
    description = graphene.JSONString()


class AttributeTranslation(_Translation):
    pass


class AttributeValueTranslation(_Translation):
    pass


def translation_field(type_: type) -> graphene.Field:
    return graphene.Field(
        type_,
        language_code=graphene.Argument(
            LanguageCodeEnum,
            required=True,
            description="A language code to return the translation for.",
        ),
        description="Returns translated object fields for the given language code.",
    )


def resolve_translation(info: Any, obj: Any, model: type, code: Any) -> Any:
    return loaders(info).translations(model, language_code(code)).get(obj.pk)


__all__ = [
    "AttributeTranslation",
    "AttributeValueTranslation",
    "CategoryTranslation",
    "CollectionTranslation",
    "ProductTranslation",
    "ProductVariantTranslation",
    "m",
    "resolve_translation",
    "translation_field",
]
