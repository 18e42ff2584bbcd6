"""GraphQL of the reviews plugin.

* ``Product.reviews(first, after, last, before, sort)``: published reviews, a Relay
  connection; ``Product.ratingSummary``: average, count and histogram per star. Both
  batched per request (loaders.py).
* Customer mutations ``productReviewCreate/Update/Delete``, ``productReviewReport``;
  staff ``productReviewModerate`` and query ``productReviews`` (MANAGE_REVIEWS).

Review text is returned as data, exactly as stored: clients escape it when they
render it (the dashboard does).
"""

from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from core.graphql.pagination import CountableConnection, Ordering, encode_cursor, paginate
from core.graphql.schema import registered_type
from core.graphql.types import BaseMutation
from core.permissions import Perm, has_perm, require_perm
from plugins.reviews import services
from plugins.reviews.loaders import published, review_loader
from plugins.reviews.models import Review, ReviewStatus

REVIEW_TYPE = "ProductReview"

FitEnum = graphene.Enum(
    "ProductReviewFit",
    [("RUNS_SMALL", "runs_small"), ("TRUE_TO_SIZE", "true_to_size"), ("RUNS_LARGE", "runs_large")],
)
StatusEnum = graphene.Enum(
    "ProductReviewStatus",
    [(s.upper(), s) for s in ReviewStatus.values],
)
ActionEnum = graphene.Enum(
    "ProductReviewModerationAction",
    [("APPROVE", "approve"), ("REJECT", "reject"), ("HIDE", "hide")],
)


class ProductReviewSortField(graphene.Enum):
    CREATED_AT = "created_at"
    RATING = "rating"


class ProductReviewSortDirection(graphene.Enum):
    ASC = "ASC"
    DESC = "DESC"


class ProductReviewSort(graphene.InputObjectType):
    field = graphene.Field(ProductReviewSortField, required=True)
    direction = graphene.Field(ProductReviewSortDirection, default_value="DESC")


def gid(type_name: str, pk: Any) -> str:
    return graphene.relay.Node.to_global_id(type_name, pk)


def decode(value: Any, type_name: str, field: str) -> int:
    from product.schema.common import decode_id

    return decode_id(str(value), type_name, field)


def _can_moderate(info: GraphQLResolveInfo) -> bool:
    return has_perm(info.context.user, Perm.MANAGE_REVIEWS)


class ProductReviewPhoto(graphene.ObjectType):
    url = graphene.String(required=True)
    width = graphene.Int(required=True)
    height = graphene.Int(required=True)

    @staticmethod
    def resolve_url(root: Any, info: GraphQLResolveInfo) -> str:
        return info.context.build_absolute_uri(root.image.url)


class ProductReviewType(graphene.ObjectType):
    class Meta:
        name = REVIEW_TYPE

    id = graphene.ID(required=True)
    product_id = graphene.ID(required=True)
    rating = graphene.Int(required=True)
    title = graphene.String(required=True, description="As typed by the customer (not HTML).")
    text = graphene.String(required=True, description="As typed by the customer (not HTML).")
    fit = graphene.Field(FitEnum, description="Size-fit feedback, if the customer gave it.")
    variant_name = graphene.String(description="The variant bought (e.g. its size).")
    author = graphene.String(required=True, description="First name and last initial.")
    verified_purchase = graphene.Boolean(required=True)
    status = graphene.Field(StatusEnum, required=True)
    photos = graphene.List(graphene.NonNull(ProductReviewPhoto), required=True)
    created_at = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)
    report_count = graphene.Int(description="Staff (MANAGE_REVIEWS) only.")
    moderation_note = graphene.String(description="Staff (MANAGE_REVIEWS) only.")

    @staticmethod
    def resolve_id(root: Review, info: GraphQLResolveInfo) -> str:
        return gid(REVIEW_TYPE, root.pk)

    @staticmethod
    def resolve_product_id(root: Review, info: GraphQLResolveInfo) -> str:
        return gid("Product", root.product_id)

    @staticmethod
    def resolve_fit(root: Review, info: GraphQLResolveInfo) -> str | None:
        return str(root.fit) if root.fit else None

    @staticmethod
    def resolve_status(root: Review, info: GraphQLResolveInfo) -> str:
        return str(root.status)

    @staticmethod
    def resolve_variant_name(root: Review, info: GraphQLResolveInfo) -> str | None:
        return root.variant.name if root.variant_id and root.variant else None

    @staticmethod
    def resolve_author(root: Review, info: GraphQLResolveInfo) -> str:
        user = root.user
        first, last = (user.first_name or "").strip(), (user.last_name or "").strip()
        if not first:
            return "A customer"
        return f"{first} {last[0]}." if last else first

    @staticmethod
    def resolve_photos(root: Review, info: GraphQLResolveInfo) -> list:
        return review_loader(info).photos.get(root.pk)

    @staticmethod
    def resolve_report_count(root: Review, info: GraphQLResolveInfo) -> int | None:
        return root.report_count if _can_moderate(info) else None

    @staticmethod
    def resolve_moderation_note(root: Review, info: GraphQLResolveInfo) -> str | None:
        return root.moderation_note if _can_moderate(info) else None


class ProductReviewCountableConnection(CountableConnection):
    class Meta:
        node = ProductReviewType


class ProductRatingCount(graphene.ObjectType):
    rating = graphene.Int(required=True)
    count = graphene.Int(required=True)


class ProductRatingSummary(graphene.ObjectType):
    average = graphene.Float(description="Null before the first published review.")
    count = graphene.Int(required=True, description="Published reviews.")
    histogram = graphene.List(
        graphene.NonNull(ProductRatingCount), required=True, description="Stars 5 down to 1."
    )


# -- Product fields ----------------------------------------------------------------------------


def _ordering(sort_by: dict | None) -> Ordering:
    sort_by = sort_by or {}
    field = getattr(sort_by.get("field"), "value", sort_by.get("field")) or "created_at"
    direction = getattr(sort_by.get("direction"), "value", sort_by.get("direction")) or "DESC"
    fields = ("rating", "created_at") if field == "rating" else ("created_at",)
    if direction == "DESC":
        fields = tuple(f"-{f}" for f in fields)
    return Ordering((*fields, "-pk" if direction == "DESC" else "pk"))


def _cursor(review: Review, ordering: Ordering) -> str:
    values = []
    for field in ordering.full:
        name = field.lstrip("-")
        values.append(review.pk if name in ("pk", "id") else getattr(review, name))
    return encode_cursor(values)


def resolve_product_reviews(
    root: Any,
    info: GraphQLResolveInfo,
    sort: dict | None = None,
    first: int | None = None,
    last: int | None = None,
    after: str | None = None,
    before: str | None = None,
) -> Any:
    from django.conf import settings

    loader = review_loader(info)
    ordering = _ordering(sort)
    summary = loader.summary.get(root.pk)
    total = summary.total if summary else 0
    cap = settings.GRAPHQL_PAGE_MAX
    batched = last is None and after is None and before is None
    if batched and first is None:
        first = cap
    if not batched or first is None or not 0 <= first <= cap:
        # A page from a cursor (or an invalid size: paginate says why): this product alone.
        page = paginate(
            published().filter(product_id=root.pk),
            ProductReviewCountableConnection,
            ordering,
            first=first,
            last=last,
            after=after,
            before=before,
        )
        loader.saw([edge.node for edge in page.edges])
        page.count_all = lambda: total
        return page
    rows = loader.first_page(root.pk, ordering, first)
    has_next, rows = len(rows) > first, rows[:first]
    cursors = [_cursor(r, ordering) for r in rows]
    page = ProductReviewCountableConnection(
        edges=[
            ProductReviewCountableConnection.Edge(node=r, cursor=c)
            for r, c in zip(rows, cursors, strict=True)
        ],
        page_info=graphene.relay.PageInfo(
            has_next_page=has_next,
            has_previous_page=False,
            start_cursor=cursors[0] if cursors else None,
            end_cursor=cursors[-1] if cursors else None,
        ),
    )
    page.count_all = lambda: total
    return page


def resolve_rating_summary(root: Any, info: GraphQLResolveInfo) -> dict:
    summary = review_loader(info).summary.get(root.pk)
    counts = summary.counts() if summary else dict.fromkeys(range(1, 6), 0)
    return {
        "average": summary.average if summary else None,
        "count": sum(counts.values()),
        "histogram": [{"rating": star, "count": counts[star]} for star in range(5, 0, -1)],
    }


# -- mutations -----------------------------------------------------------------------------------


class ProductReviewCreateInput(graphene.InputObjectType):
    product = graphene.ID(required=True)
    variant = graphene.ID(description="The variant you bought (default: from your order).")
    rating = graphene.Int(required=True, description="1 to 5.")
    title = graphene.String(required=True)
    text = graphene.String()
    fit = FitEnum()
    photos = graphene.List(
        graphene.NonNull(graphene.String),
        description=(
            "Up to 5 JPEG, PNG or WebP images (64 to 6000 px a side, 1 MB each), "
            "base64 or data: URLs."
        ),
    )


class ProductReviewUpdateInput(graphene.InputObjectType):
    variant = graphene.ID()
    rating = graphene.Int()
    title = graphene.String()
    text = graphene.String()
    fit = FitEnum()
    photos = graphene.List(
        graphene.NonNull(graphene.String), description="Replaces every photo when given."
    )


def _review_input(data: dict[str, Any], product_id: int | None) -> services.ReviewInput:
    given = dict(data)
    values: dict[str, Any] = {}
    for key in ("rating", "title", "text", "photos"):
        if key in given:
            values[key] = given[key]
    if "fit" in given:
        values["fit"] = getattr(given["fit"], "value", given["fit"])
    if given.get("variant"):
        values["variant_id"] = decode(given["variant"], "ProductVariant", "variant")
    return services.ReviewInput(**values)


class ProductReviewCreate(BaseMutation):
    """Review a product you received (one review per product; edit it afterwards)."""

    review = graphene.Field(ProductReviewType)
    product = graphene.Field(registered_type("Product"))

    class Arguments:
        input = ProductReviewCreateInput(required=True)
        channel = graphene.String(description="Default: the only active channel.")

    @classmethod
    def perform(cls, info: GraphQLResolveInfo, **data: Any) -> dict:
        from product.models import Product

        services.require_signed_in(info.context.user)
        given = data["input"]
        product_id = decode(given["product"], "Product", "product")
        review = services.create_review(
            user=info.context.user,
            product_id=product_id,
            data=_review_input(given, product_id),
            channel=data.get("channel"),
        )
        return {"review": review, "product": Product.objects.get(pk=product_id)}


class ProductReviewUpdate(BaseMutation):
    review = graphene.Field(ProductReviewType)
    product = graphene.Field(registered_type("Product"))

    class Arguments:
        id = graphene.ID(required=True)
        input = ProductReviewUpdateInput(required=True)

    @classmethod
    def perform(cls, info: GraphQLResolveInfo, **data: Any) -> dict:
        from product.models import Product

        services.require_signed_in(info.context.user)
        review = services.update_review(
            user=info.context.user,
            review_id=decode(data["id"], REVIEW_TYPE, "id"),
            data=_review_input(data["input"], None),
        )
        return {"review": review, "product": Product.objects.get(pk=review.product_id)}


class ProductReviewDelete(BaseMutation):
    id = graphene.ID()
    product = graphene.Field(registered_type("Product"))

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, info: GraphQLResolveInfo, **data: Any) -> dict:
        from product.models import Product

        services.require_signed_in(info.context.user)
        review = services.delete_review(
            user=info.context.user, review_id=decode(data["id"], REVIEW_TYPE, "id")
        )
        return {
            "id": gid(REVIEW_TYPE, review.pk),
            "product": Product.objects.get(pk=review.product_id),
        }


class ProductReviewReport(BaseMutation):
    """Flag another customer's published review for the moderators."""

    reported = graphene.Boolean()

    class Arguments:
        id = graphene.ID(required=True)
        reason = graphene.String()

    @classmethod
    def perform(cls, info: GraphQLResolveInfo, **data: Any) -> dict:
        services.require_signed_in(info.context.user)
        services.report_review(
            user=info.context.user,
            review_id=decode(data["id"], REVIEW_TYPE, "id"),
            reason=data.get("reason") or "",
        )
        return {"reported": True}


class ProductReviewModerate(BaseMutation):
    """Approve (publish), reject or hide a review. Staff with MANAGE_REVIEWS; audited."""

    permission = Perm.MANAGE_REVIEWS
    review = graphene.Field(ProductReviewType)

    class Arguments:
        id = graphene.ID(required=True)
        action = ActionEnum(required=True)
        note = graphene.String()

    @classmethod
    def perform(cls, info: GraphQLResolveInfo, **data: Any) -> dict:
        review = services.moderate_review(
            actor=info.context.user,
            review_id=decode(data["id"], REVIEW_TYPE, "id"),
            action=getattr(data["action"], "value", data["action"]),
            note=data.get("note") or "",
        )
        return {"review": review}


def resolve_product_reviews_for_staff(
    root: Any,
    info: GraphQLResolveInfo,
    status: Any = None,
    reported: bool | None = None,
    **page: Any,
) -> Any:
    require_perm(info.context.user, Perm.MANAGE_REVIEWS)
    qs = Review.objects.select_related("user", "variant")
    if status is not None:
        qs = qs.filter(status=getattr(status, "value", status))
    if reported is not None:
        qs = qs.filter(report_count__gt=0) if reported else qs.filter(report_count=0)
    result = paginate(qs, ProductReviewCountableConnection, Ordering(("-created_at",)), **page)
    review_loader(info).saw([edge.node for edge in result.edges])
    return result


def _connection_args() -> dict[str, Any]:
    from core.graphql.pagination import connection_args

    return connection_args()


def query_fields() -> dict[str, Any]:
    return {
        "product_reviews": graphene.Field(
            ProductReviewCountableConnection,
            status=StatusEnum(),
            reported=graphene.Boolean(description="Only reviews customers reported (or not)."),
            resolver=resolve_product_reviews_for_staff,
            description="Every review, newest first, for moderation (MANAGE_REVIEWS).",
            **_connection_args(),
        )
    }


def mutation_fields() -> dict[str, Any]:
    return {
        "product_review_create": ProductReviewCreate.Field(),
        "product_review_update": ProductReviewUpdate.Field(),
        "product_review_delete": ProductReviewDelete.Field(),
        "product_review_report": ProductReviewReport.Field(),
        "product_review_moderate": ProductReviewModerate.Field(),
    }


def type_fields() -> dict[str, dict[str, Any]]:
    return {
        "Product": {
            "reviews": graphene.Field(
                ProductReviewCountableConnection,
                sort=graphene.Argument(ProductReviewSort),
                resolver=resolve_product_reviews,
                description="Published reviews, newest first unless sorted.",
                **_connection_args(),
            ),
            "rating_summary": graphene.Field(
                ProductRatingSummary,
                required=True,
                resolver=resolve_rating_summary,
                description="Average and count per star of the published reviews.",
            ),
        }
    }


__all__ = ["mutation_fields", "query_fields", "type_fields"]
