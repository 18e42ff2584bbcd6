"""Staff mutations: translations."""

from __future__ import annotations

from typing import Any

import graphene

from core.graphql.types import BaseMutation
from core.permissions import Perm
from product import models as m
from product import services
from product.schema.common import LanguageCodeEnum, decode_id
from product.schema.common import language_code as to_language_code
from product.schema.mutations._base import actor
from product.schema.scalars import RichTextInput

# -- translations -------------------------------------------------------------------------------


class NameTranslationInput(graphene.InputObjectType):
    name = graphene.String()


class RichTranslationInput(graphene.InputObjectType):
    name = graphene.String()
    description = RichTextInput()


def _translate_mutation(
    name: str, model: type, type_name: str, input_type: type, result: type
) -> type:
    """``<name>(id, languageCode, input)`` saving a translation of one catalog type."""

    def perform(cls: type, info: Any, id: str, language_code: Any, input: dict) -> dict:  # noqa: A002
        obj = services.translate(
            actor=actor(info),
            obj=decode_id(id, type_name, "id"),
            model=model,
            language_code=to_language_code(language_code),
            fields={k: v for k, v in input.items() if v is not None},
        )
        return {"translation": obj}

    arguments = type(
        "Arguments",
        (),
        {
            "id": graphene.ID(required=True),
            "language_code": graphene.Argument(LanguageCodeEnum, required=True),
            "input": input_type(required=True),
        },
    )
    return type(
        name,
        (BaseMutation,),
        {
            "permission": Perm.MANAGE_TRANSLATIONS,
            "translation": graphene.Field(result),
            "Arguments": arguments,
            "perform": classmethod(perform),
            "__doc__": f"Translate a {type_name} into a language (staff).",
        },
    )


def _translation_types() -> dict[str, type]:
    from product.schema import translations as t

    specs = (
        ("ProductTranslate", m.Product, "Product", RichTranslationInput, t.ProductTranslation),
        (
            "ProductVariantTranslate",
            m.ProductVariant,
            "ProductVariant",
            NameTranslationInput,
            t.ProductVariantTranslation,
        ),
        ("CategoryTranslate", m.Category, "Category", RichTranslationInput, t.CategoryTranslation),
        (
            "CollectionTranslate",
            m.Collection,
            "Collection",
            RichTranslationInput,
            t.CollectionTranslation,
        ),
        (
            "AttributeTranslate",
            m.Attribute,
            "Attribute",
            NameTranslationInput,
            t.AttributeTranslation,
        ),
        (
            "AttributeValueTranslate",
            m.AttributeValue,
            "AttributeValue",
            NameTranslationInput,
            t.AttributeValueTranslation,
        ),
    )
    return {spec[0]: _translate_mutation(*spec) for spec in specs}


TRANSLATE = _translation_types()
