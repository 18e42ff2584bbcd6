"""GraphQL of the measurements plugin.

* ``User.measurementProfiles`` (``me { measurementProfiles }``): the owner, or staff
  with ``view_body_measurements``.
* ``Product.sizeRecommendation(profileId)``: batched per request (loaders.py).
* Mutations ``measurementProfileCreate/Update/Delete``, ``measurementEstimate``,
  ``measurementFitFeedback``; staff ``sizeChartImport`` and query
  ``productsWithoutSizeChart``.

Type names carry the ``Measurement``/``SizeChart`` prefix: one schema for all plugins.
"""

from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from core.errors import DomainError, PermissionDenied
from core.graphql.types import BaseMutation
from core.permissions import Perm, require_perm
from fashionistar_measurements import charts, recommend, services
from fashionistar_measurements.loaders import body_of, loader
from fashionistar_measurements.models import (
    DIMENSIONS,
    MeasurementProfile,
    MissingSizeChart,
    SizeChart,
)

PROFILE_TYPE = "MeasurementProfile"


def gid(type_name: str, pk: Any) -> str:
    return graphene.relay.Node.to_global_id(type_name, pk)


def decode(value: Any, type_name: str, field: str) -> int:
    from product.schema.common import decode_id

    return decode_id(str(value), type_name, field)


BodyCategoryEnum = graphene.Enum(
    "MeasurementBodyCategory", [(v.upper(), v) for v in ("women", "men", "girls", "boys", "unisex")]
)
UnitEnum = graphene.Enum("MeasurementUnit", [("CM", "cm"), ("IN", "in")])
FitEnum = graphene.Enum(
    "MeasurementFitPreference", [("SLIM", "slim"), ("REGULAR", "regular"), ("RELAXED", "relaxed")]
)
LengthEnum = graphene.Enum(
    "MeasurementLengthPreference", [("SHORT", "short"), ("REGULAR", "regular"), ("LONG", "long")]
)
FeedbackEnum = graphene.Enum(
    "MeasurementFitFeedbackValue",
    [("TOO_SMALL", "too_small"), ("TOO_LARGE", "too_large"), ("GOOD", "good")],
)
StretchEnum = graphene.Enum(
    "SizeChartStretch", [("NONE", "none"), ("SOME", "some"), ("HIGH", "high")]
)


class MeasurementValue(graphene.ObjectType):
    dimension = graphene.String(required=True)
    value = graphene.Float(required=True, description="In the profile's unit.")
    unit = graphene.String(required=True)
    source = graphene.String(required=True, description="user, estimated or provider:<name>")
    estimated = graphene.Boolean(required=True)
    confidence = graphene.Float(required=True, description="0 to 1.")
    margin = graphene.Float(description="Typical error (one SD) in the profile's unit.")


def _value(profile: MeasurementProfile, field: str) -> float | None:
    return services.from_metric(field, getattr(profile, field), profile.unit)


class MeasurementProfileType(graphene.ObjectType):
    class Meta:
        name = "MeasurementProfile"

    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    body_category = graphene.String(required=True)
    unit = graphene.String(required=True)
    age = graphene.Int()
    fit_preference = graphene.String(required=True)
    length_preference = graphene.String(required=True)
    notes = graphene.String(required=True)
    values = graphene.List(
        graphene.NonNull(MeasurementValue),
        required=True,
        description="Every known value with its source and confidence.",
    )
    created_at = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)

    @staticmethod
    def resolve_id(root: MeasurementProfile, info: GraphQLResolveInfo) -> str:
        return gid(PROFILE_TYPE, root.pk)

    @staticmethod
    def resolve_values(root: MeasurementProfile, info: GraphQLResolveInfo) -> list[dict]:
        out = []
        length_unit = "in" if root.unit == "in" else "cm"
        for field in services.MEASURED:
            value = _value(root, field)
            if value is None:
                continue
            meta = (root.sources or {}).get(field, {})
            source = meta.get("source", "user")
            margin = meta.get("margin_cm")
            out.append(
                {
                    "dimension": field,
                    "value": value,
                    "unit": ("lb" if root.unit == "in" else "kg")
                    if field == "weight"
                    else length_unit,
                    "source": source,
                    "estimated": source != "user",
                    "confidence": meta.get("confidence", 1.0),
                    "margin": None
                    if margin is None
                    else round(margin / (2.54 if root.unit == "in" else 1), 1),
                }
            )
        return out


for _field in services.MEASURED:
    MeasurementProfileType._meta.fields[_field] = graphene.Field(
        graphene.Float,
        resolver=(lambda f: lambda root, info: _value(root, f))(_field),
        description=f"{_field.replace('_', ' ')} in the profile's unit (in, lb or cm, kg).",
    )


def resolve_user_profiles(root: Any, info: GraphQLResolveInfo) -> list[MeasurementProfile]:
    if not services.can_read(info.context.user, root.pk):
        return []
    return list(MeasurementProfile.objects.filter(user_id=root.pk))


# -- size recommendation ------------------------------------------------------------------------


class SizeChartInfo(graphene.ObjectType):
    class Meta:
        name = "SizeChart"

    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    scope = graphene.String(required=True, description="product, vendor or product_type")
    body_category = graphene.String(required=True)
    stretch = graphene.String(required=True)
    sizes = graphene.List(graphene.NonNull(graphene.String), required=True)

    @staticmethod
    def resolve_id(root: SizeChart, info: GraphQLResolveInfo) -> str:
        return gid("SizeChart", root.pk)

    @staticmethod
    def resolve_sizes(root: SizeChart, info: GraphQLResolveInfo) -> list[str]:
        return [s.label for s in root.sizes.all()]


class SizeFit(graphene.ObjectType):
    size = graphene.String(required=True)
    score = graphene.Float(required=True, description="0 (does not fit) to 1 (fits).")
    in_stock = graphene.Boolean(required=True)
    variant_ids = graphene.List(graphene.NonNull(graphene.ID), required=True)


class SizeRecommendation(graphene.ObjectType):
    status = graphene.String(
        required=True,
        description="RECOMMENDED, NO_SIZE_CHART, NO_MATCHING_MEASUREMENTS or NOT_IN_STOCK.",
    )
    size = graphene.String()
    variant_ids = graphene.List(graphene.NonNull(graphene.ID), required=True)
    fits = graphene.List(graphene.NonNull(SizeFit), required=True)
    explanation = graphene.String(required=True)
    uses_estimates = graphene.Boolean(required=True)
    chart = graphene.Field(SizeChartInfo)


def resolve_size_recommendation(root: Any, info: GraphQLResolveInfo, profile_id: str) -> dict:
    from product.schema.common import channel_of
    from product.schema.loaders import loaders

    batch = loader(info)
    profile = batch.profile(info.context.user, decode(profile_id, PROFILE_TYPE, "profileId"))
    product = batch.product(root, list(loaders(info).products.ids))
    if product.chart is None:
        return {
            "status": "NO_SIZE_CHART",
            "variant_ids": [],
            "fits": [],
            "explanation": "This product has no size chart yet, so we cannot recommend a size.",
            "uses_estimates": False,
        }
    channel = channel_of(root)
    stock = batch.available(channel) if channel is not None else None
    in_stock = {
        label
        for label, ids in product.variants_by_size.items()
        if stock is None or any(stock.get(v, 0) > 0 for v in ids)
    }
    body = body_of(profile)
    result = recommend.recommend(
        product.sizes,
        body,
        in_stock=in_stock,
        stretch=product.chart.stretch,
        fit_preference=profile.fit_preference,
        feedback_steps=batch.feedback_steps(profile, root.product_type_id),
    )
    used = {d for s in product.sizes for d in s.ranges} & set(body)
    estimated = any(
        (profile.sources or {}).get(d, {}).get("source", "user") != "user" for d in used
    )
    if result.size is None:
        status = "NOT_IN_STOCK" if result.scores else "NO_MATCHING_MEASUREMENTS"
    else:
        status = "RECOMMENDED"
    fits = [
        {
            "size": s.label,
            "score": result.scores.get(s.label, 0.0),
            "in_stock": s.label in in_stock,
            "variant_ids": [
                gid("ProductVariant", v) for v in product.variants_by_size.get(s.label, [])
            ],
        }
        for s in product.sizes
    ]
    return {
        "status": status,
        "size": result.size,
        "variant_ids": [
            gid("ProductVariant", v) for v in product.variants_by_size.get(result.size or "", [])
        ],
        "fits": fits,
        "explanation": result.explanation,
        "uses_estimates": estimated,
        "chart": product.chart,
    }


# -- mutations -------------------------------------------------------------------------------------


def _profile_inputs() -> dict[str, Any]:
    fields: dict[str, Any] = {
        "name": graphene.String(),
        "body_category": BodyCategoryEnum(),
        "unit": UnitEnum(),
        "age": graphene.Int(),
        "fit_preference": FitEnum(),
        "length_preference": LengthEnum(),
        "notes": graphene.String(),
    }
    for field in services.MEASURED:
        fields[field] = graphene.Float(description="In the profile's unit (in/lb or cm/kg).")
    return fields


MeasurementProfileInput = type(
    "MeasurementProfileInput", (graphene.InputObjectType,), _profile_inputs()
)


def _signed_in(info: GraphQLResolveInfo) -> None:
    """Refuse signed-out callers before reading any id (same answer for every id)."""
    if not getattr(info.context.user, "is_authenticated", False):
        raise PermissionDenied("Sign in to use measurement profiles.", code="PERMISSION_DENIED")


def _data(input: Any) -> dict[str, Any]:  # noqa: A002
    """Only the keys the client sent (an explicit null clears a value)."""
    return {k: (v.value if hasattr(v, "value") else v) for k, v in dict(input).items()}


class MeasurementProfileCreate(BaseMutation):
    profile = graphene.Field(MeasurementProfileType)

    class Arguments:
        input = MeasurementProfileInput(required=True)

    @classmethod
    def perform(cls, info: GraphQLResolveInfo, **data: Any) -> dict:
        return {
            "profile": services.create_profile(user=info.context.user, data=_data(data["input"]))
        }


class MeasurementProfileUpdate(BaseMutation):
    profile = graphene.Field(MeasurementProfileType)

    class Arguments:
        id = graphene.ID(required=True)
        input = MeasurementProfileInput(required=True)

    @classmethod
    def perform(cls, info: GraphQLResolveInfo, **data: Any) -> dict:
        _signed_in(info)
        pk = decode(data["id"], PROFILE_TYPE, "id")
        profile = services.update_profile(
            user=info.context.user, profile_id=pk, data=_data(data["input"])
        )
        return {"profile": profile}


class MeasurementProfileDelete(BaseMutation):
    id = graphene.ID()

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, info: GraphQLResolveInfo, **data: Any) -> dict:
        _signed_in(info)
        pk = services.delete_profile(
            user=info.context.user, profile_id=decode(data["id"], PROFILE_TYPE, "id")
        )
        return {"id": gid(PROFILE_TYPE, pk)}


class MeasurementMediaInput(graphene.InputObjectType):
    url = graphene.String(required=True)
    kind = graphene.String(description="photo or video", default_value="photo")


class MeasurementEstimateInput(graphene.InputObjectType):
    profile_id = graphene.ID(description="Fill this profile's missing values (and save).")
    body_category = BodyCategoryEnum(description="Without a profile.")
    unit = UnitEnum(default_value="cm")
    height = graphene.Float()
    weight = graphene.Float()
    age = graphene.Int()
    media = graphene.List(
        graphene.NonNull(MeasurementMediaInput), description="For a body-scanning provider."
    )


class MeasurementEstimate(BaseMutation):
    """Estimate missing measurements; with ``profileId`` the profile is filled and saved."""

    profile = graphene.Field(MeasurementProfileType)
    values = graphene.List(graphene.NonNull(MeasurementValue))

    class Arguments:
        input = MeasurementEstimateInput(required=True)

    @classmethod
    def perform(cls, info: GraphQLResolveInfo, **data: Any) -> dict:
        given = _data(data["input"])
        media = [dict(m) for m in given.get("media") or []]
        for item in media:
            if not str(item.get("url", "")).startswith("https://"):
                raise DomainError("Media must be https URLs.", code="INVALID", field="media")
        if given.get("profile_id"):
            _signed_in(info)
            profile = services.estimate_into_profile(
                user=info.context.user,
                profile_id=decode(given["profile_id"], PROFILE_TYPE, "profileId"),
                media=media,
            )
            return {
                "profile": profile,
                "values": MeasurementProfileType.resolve_values(profile, info),
            }
        # No profile: validate through an unsaved one (same bounds), nothing is written.
        draft = MeasurementProfile(user_id=0, name="estimate")
        services._apply(
            draft, {k: given.get(k) for k in ("body_category", "unit", "age", "height", "weight")}
        )
        if not draft.body_category:
            raise DomainError("Choose a body category.", code="REQUIRED", field="bodyCategory")
        if draft.height is None or draft.weight is None:
            raise DomainError("Height and weight are needed.", code="REQUIRED", field="height")
        for dim, item in services.estimate_values(
            body_category=draft.body_category,
            height=draft.height,
            weight=draft.weight,
            age=draft.age,
            media=media,
        ).items():
            setattr(draft, dim, item["value"])
            draft.sources[dim] = {k: item[k] for k in ("source", "confidence", "margin_cm")}
        return {"profile": None, "values": MeasurementProfileType.resolve_values(draft, info)}


class MeasurementFitFeedback(BaseMutation):
    """How a size fitted: shifts this profile's future recommendations for the product type."""

    recorded = graphene.Boolean()

    class Arguments:
        profile_id = graphene.ID(required=True)
        product_id = graphene.ID(required=True)
        size = graphene.String(required=True)
        fit = FeedbackEnum(required=True)

    @classmethod
    def perform(cls, info: GraphQLResolveInfo, **data: Any) -> dict:
        _signed_in(info)
        fit = data["fit"]
        services.submit_feedback(
            user=info.context.user,
            profile_id=decode(data["profile_id"], PROFILE_TYPE, "profileId"),
            product_id=decode(data["product_id"], "Product", "productId"),
            size_label=data["size"],
            fit=getattr(fit, "value", fit),
        )
        return {"recorded": True}


class SizeChartImport(BaseMutation):
    """Create or replace the size chart of a product type, vendor or product from CSV."""

    chart = graphene.Field(SizeChartInfo)
    permission = Perm.MANAGE_PRODUCTS

    class Arguments:
        name = graphene.String(required=True)
        csv = graphene.String(required=True, description="size,chest_min,chest_max,...")
        product_type_id = graphene.ID()
        product_id = graphene.ID()
        vendor_ref = graphene.String(description="Reserved for the marketplace's vendors.")
        unit = UnitEnum(default_value="cm")
        body_category = BodyCategoryEnum(default_value="unisex")
        stretch = StretchEnum(default_value="none")

    @classmethod
    def perform(cls, info: GraphQLResolveInfo, **data: Any) -> dict:
        def value(key: str) -> Any:
            v = data.get(key)
            return getattr(v, "value", v)

        scope = charts.ChartScope(
            product_type_id=decode(data["product_type_id"], "ProductType", "productTypeId")
            if data.get("product_type_id")
            else None,
            product_id=decode(data["product_id"], "Product", "productId")
            if data.get("product_id")
            else None,
            vendor_ref=(data.get("vendor_ref") or "").strip() or None,
        )
        chart = charts.import_chart(
            scope=scope,
            name=data["name"],
            csv_text=data["csv"],
            unit=value("unit"),
            body_category=value("body_category"),
            stretch=value("stretch"),
        )
        return {"chart": chart}


class ProductWithoutSizeChart(graphene.ObjectType):
    product_id = graphene.ID(required=True)
    slug = graphene.String(required=True)
    name = graphene.String(required=True)
    product_type = graphene.String(required=True)
    flagged_at = graphene.DateTime(required=True)


def resolve_products_without_size_chart(root: Any, info: GraphQLResolveInfo) -> list[dict]:
    require_perm(info.context.user, Perm.MANAGE_PRODUCTS)
    return [
        {
            "product_id": gid("Product", m.product_id),
            "slug": m.product_slug,
            "name": m.product_name,
            "product_type": m.product_type_slug,
            "flagged_at": m.flagged_at,
        }
        for m in MissingSizeChart.objects.all()[:500]
    ]


def query_fields() -> dict[str, Any]:
    return {
        "products_without_size_chart": graphene.Field(
            graphene.List(graphene.NonNull(ProductWithoutSizeChart), required=True),
            resolver=resolve_products_without_size_chart,
            description=(
                "Sized products no size chart applies to (staff, MANAGE_PRODUCTS). Newest 500."
            ),
        )
    }


def mutation_fields() -> dict[str, Any]:
    return {
        "measurement_profile_create": MeasurementProfileCreate.Field(),
        "measurement_profile_update": MeasurementProfileUpdate.Field(),
        "measurement_profile_delete": MeasurementProfileDelete.Field(),
        "measurement_estimate": MeasurementEstimate.Field(),
        "measurement_fit_feedback": MeasurementFitFeedback.Field(),
        "size_chart_import": SizeChartImport.Field(),
    }


def type_fields() -> dict[str, dict[str, Any]]:
    return {
        "Product": {
            "size_recommendation": graphene.Field(
                SizeRecommendation,
                profile_id=graphene.ID(required=True),
                resolver=resolve_size_recommendation,
                description="Which size to buy for a measurement profile of the signed-in user.",
            )
        },
        "User": {
            "measurement_profiles": graphene.Field(
                graphene.List(graphene.NonNull(MeasurementProfileType), required=True),
                resolver=resolve_user_profiles,
                description=(
                    "Body measurement profiles (owner, or staff with view_body_measurements)."
                ),
            )
        },
    }


__all__ = ["DIMENSIONS", "mutation_fields", "query_fields", "type_fields"]
