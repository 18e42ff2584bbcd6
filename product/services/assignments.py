"""Turning attribute input into the attribute values of a product or variant.

Validation is done for the whole input before anything is written, so a bad
attribute leaves the product untouched.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db.models import Max
from django.utils.text import slugify

from core.errors import DomainError
from product.models import Attribute, AttributeValue, ProductType


@dataclass(frozen=True)
class AttributeAssignment:
    """Values for one attribute: ``values`` are value slugs or names; BOOLEAN uses ``boolean``."""

    attribute: int
    values: tuple[str, ...] = ()
    boolean: bool | None = None


def allowed_attributes(product_type: ProductType, *, variant: bool) -> dict[int, Attribute]:
    relation = product_type.variant_attributes if variant else product_type.product_attributes
    return {a.pk: a for a in relation.all()}


def _numeric_slug(number: Decimal) -> str:
    return slugify(format(number.normalize(), "f").replace(".", "-")) or "0"


def resolve_values(
    product_type: ProductType,
    assignments: Sequence[AttributeAssignment],
    *,
    variant: bool,
    field: str = "attributes",
) -> dict[int, list[AttributeValue]]:
    """Map attribute id -> values to assign, creating new DROPDOWN/MULTISELECT/NUMERIC values.

    Raises ATTRIBUTE_CANNOT_BE_ASSIGNED for an attribute the product type lacks.
    """
    allowed = allowed_attributes(product_type, variant=variant)
    seen: set[int] = set()
    for assignment in assignments:
        if assignment.attribute not in allowed:
            kind = "variant" if variant else "product"
            raise DomainError(
                f"The product type {product_type.name!r} has no {kind} attribute "
                f"{assignment.attribute}.",
                code="ATTRIBUTE_CANNOT_BE_ASSIGNED",
                field=field,
            )
        if assignment.attribute in seen:
            raise DomainError(
                "An attribute is listed twice.", code="DUPLICATED_INPUT_ITEM", field=field
            )
        seen.add(assignment.attribute)
    existing: dict[int, list[AttributeValue]] = {}
    for value in AttributeValue.objects.filter(attribute_id__in=seen):
        existing.setdefault(value.attribute_id, []).append(value)
    resolved: dict[int, list[AttributeValue]] = {}
    for assignment in assignments:
        attribute = allowed[assignment.attribute]
        resolved[attribute.pk] = _values_for(
            attribute, assignment, existing.get(attribute.pk, []), field
        )
    return resolved


def _values_for(
    attribute: Attribute,
    assignment: AttributeAssignment,
    existing: list[AttributeValue],
    field: str,
) -> list[AttributeValue]:
    kind = Attribute.InputType
    if attribute.input_type == kind.BOOLEAN:
        if assignment.boolean is None:
            return []
        match = [v for v in existing if v.boolean is assignment.boolean]
        if match:
            return match[:1]
        label = "Yes" if assignment.boolean else "No"
        return [_new_value(attribute, label, str(assignment.boolean).lower(), boolean=True)]
    names = [n.strip() for n in assignment.values if n and n.strip()]
    if len(names) > 1 and attribute.input_type != kind.MULTISELECT:
        raise DomainError(f"{attribute.name} takes one value.", code="INVALID", field=field)
    by_key = {v.slug: v for v in existing} | {v.name.lower(): v for v in existing}
    values = []
    for name in names:
        if attribute.input_type == kind.NUMERIC:
            try:
                number = Decimal(name)
            except InvalidOperation as exc:
                raise DomainError(
                    f"{attribute.name} takes a number.", code="INVALID", field=field
                ) from exc
            slug = _numeric_slug(number)
            value = by_key.get(slug) or _new_value(attribute, name, slug)
        else:
            value = by_key.get(name) or by_key.get(name.lower()) or by_key.get(slugify(name))
            if value is None:
                if attribute.input_type == kind.SWATCH:
                    raise DomainError(
                        f"{attribute.name} has no value {name!r}.", code="INVALID", field=field
                    )
                value = _new_value(attribute, name, slugify(name) or "value")
        by_key[value.slug] = value
        values.append(value)
    return list(dict.fromkeys(values))


def _new_value(
    attribute: Attribute, name: str, slug: str, *, boolean: bool = False
) -> AttributeValue:
    """A value created on first use (DROPDOWN, MULTISELECT, NUMERIC, BOOLEAN)."""
    order = (attribute.values.aggregate(m=Max("sort_order"))["m"] or 0) + 1
    return AttributeValue.objects.create(
        attribute=attribute,
        name=name,
        slug=slug,
        boolean=(slug == "true") if boolean else None,
        sort_order=order,
    )


def replace_assignments(
    through: type, owner_field: str, owner_id: int, resolved: dict[int, list[AttributeValue]]
) -> None:
    """Replace the owner's values of the given attributes (other attributes keep theirs)."""
    through.objects.filter(
        **{owner_field: owner_id, "value__attribute_id__in": list(resolved)}
    ).delete()
    through.objects.bulk_create(
        through(**{owner_field: owner_id, "value": value, "sort_order": i})
        for i, value in enumerate(v for values in resolved.values() for v in values)
    )


def flatten(values: Iterable[list[AttributeValue]]) -> list[AttributeValue]:
    return [v for group in values for v in group]
