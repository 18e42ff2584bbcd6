"""Merchant-entered translations of catalog texts (English lives on the objects)."""

from __future__ import annotations

import re
from typing import Any

from django.db import models, transaction

from core.errors import DomainError
from product.models import (
    Attribute,
    AttributeTranslation,
    AttributeValue,
    AttributeValueTranslation,
    Category,
    CategoryTranslation,
    Collection,
    CollectionTranslation,
    Product,
    ProductTranslation,
    ProductVariant,
    ProductVariantTranslation,
)
from product.services._common import Actor, clean_rich_text, get_instance

LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")

# object model -> (translation model, owner field, translatable fields)
TRANSLATABLE: dict[type[models.Model], tuple[type[models.Model], str, tuple[str, ...]]] = {
    Product: (ProductTranslation, "product", ("name", "description")),
    ProductVariant: (ProductVariantTranslation, "variant", ("name",)),
    Category: (CategoryTranslation, "category", ("name", "description")),
    Collection: (CollectionTranslation, "collection", ("name", "description")),
    Attribute: (AttributeTranslation, "attribute", ("name",)),
    AttributeValue: (AttributeValueTranslation, "attribute_value", ("name",)),
}


def normalise_language(code: str) -> str:
    """``pt_BR`` / ``PT-br`` -> ``pt-BR``; refuse anything that is not a language tag."""
    code = (code or "").strip().replace("_", "-")
    head, _, tail = code.partition("-")
    code = head.lower() + (f"-{tail.upper()}" if tail else "")
    if not LANGUAGE_CODE.match(code):
        raise DomainError(f"{code!r} is not a language code.", code="INVALID", field="languageCode")
    return code


@transaction.atomic
def translate(
    *,
    actor: Actor,
    obj: models.Model,
    model: type | None = None,
    language_code: str,
    fields: dict[str, Any],
) -> models.Model:
    """Create or update ``obj``'s translation; fields not given keep their value."""
    model = model or type(obj)
    translation_model, owner, allowed = TRANSLATABLE[model]
    obj = get_instance(model, obj, "id")
    language = normalise_language(language_code)
    unknown = set(fields) - set(allowed)
    if unknown:
        raise DomainError(
            f"Cannot translate {', '.join(sorted(unknown))}.", code="INVALID", field="input"
        )
    values = {k: (clean_rich_text(v) if k == "description" else v) for k, v in fields.items()}
    translation, _ = translation_model.objects.update_or_create(
        **{owner: obj, "language_code": language}, defaults=values
    )
    return translation
