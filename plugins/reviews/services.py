"""The only writers of reviews: create, edit, delete, report, moderate.

Each runs in one transaction. Every check happens before the first write, so a
refused request writes nothing. The rating summary of the product (count per star
of PUBLISHED reviews) is locked and adjusted by the difference a change makes,
then the average goes to ``Product.rating`` through the catalog service: reads
never aggregate over the reviews.

Events (outbox, same transaction): ``review_created`` for every new review,
``review_approved`` whenever a review becomes visible (published at creation
because the channel does not moderate first, or approved by staff).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from core.errors import DomainError, NotFound, PermissionDenied
from core.events.outbox import emit
from core.permissions import Perm, require_perm
from plugins.reviews.images import Photo, decode_photos
from plugins.reviews.models import Fit, RatingSummary, Review, ReviewPhoto, ReviewReport
from plugins.reviews.models import ReviewStatus as S

PLUGIN_ID = "fashionistar.reviews"
MAX_TITLE = 200
MAX_TEXT = 5000
MAX_REASON = 500
_UNSET: Any = object()


@dataclass
class ReviewInput:
    rating: Any = _UNSET
    title: Any = _UNSET
    text: Any = _UNSET
    fit: Any = _UNSET
    variant_id: Any = _UNSET
    photos: Any = _UNSET


class ModerationAction:
    APPROVE = "approve"
    REJECT = "reject"
    HIDE = "hide"
    STATUS = {APPROVE: S.PUBLISHED, REJECT: S.REJECTED, HIDE: S.HIDDEN}


# -- reading the configuration -----------------------------------------------------------------


def review_channel(slug: str | None) -> str:
    """The channel a review is written in: the given one, or the only active channel."""
    from core.models import Channel

    if slug:
        if not Channel.objects.filter(slug=slug, is_active=True).exists():
            raise NotFound(f"No active channel '{slug}'.", field="channel")
        return slug
    active = list(Channel.objects.filter(is_active=True).values_list("slug", flat=True)[:2])
    if len(active) != 1:
        raise DomainError("Say which channel the review is for.", code="REQUIRED", field="channel")
    return active[0]


def publishes_at_once(channel: str) -> bool:
    """Reviews skip moderation in ``channel`` (plugin setting ``auto_publish``)."""
    from core.plugins.manager import get_manager

    config = get_manager().config(PLUGIN_ID, channel)
    if not config.active:
        raise DomainError(
            "Reviews are not enabled in this channel.", code="NOT_ENABLED", field="channel"
        )
    return bool(config.values.get("auto_publish"))


# -- checks ------------------------------------------------------------------------------------


def _rating(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise DomainError("Give a rating from 1 to 5.", code="INVALID_RATING", field="rating")
    return value


def _text(value: Any, field: str, limit: int, *, required: bool = False) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise DomainError(f"The {field} is required.", code="REQUIRED", field=field)
    if len(text) > limit:
        raise DomainError(f"At most {limit} characters.", code="TOO_LONG", field=field)
    if "\x00" in text:
        raise DomainError("The text contains a NUL character.", code="INVALID", field=field)
    return text


def _fit(value: Any) -> str:
    value = getattr(value, "value", value) or ""
    if value and value not in Fit.values:
        raise DomainError(
            "Fit is runs_small, true_to_size or runs_large.", code="INVALID", field="fit"
        )
    return value


def fulfilled_line(user: Any, product_id: int, variant_id: int | None = None) -> Any:
    """The customer's latest order line of the product with units fulfilled, or None."""
    from order.models import OrderLine

    lines = OrderLine.objects.filter(
        order__user=user, variant__product_id=product_id, quantity_fulfilled__gt=0
    ).order_by("-order__created_at", "-pk")
    if variant_id is not None:
        return lines.filter(variant_id=variant_id).first() or lines.first()
    return lines.first()


def _variant(product_id: int, variant_id: Any) -> int | None:
    from product.models import ProductVariant

    if variant_id is None:
        return None
    if not ProductVariant.objects.filter(pk=variant_id, product_id=product_id).exists():
        raise NotFound("No such variant of this product.", field="variant")
    return int(variant_id)


# -- the rating summary ------------------------------------------------------------------------


def _adjust_summary(product_id: int, remove: int | None, add: int | None) -> None:
    """Move one review between stars (or in/out of the published set): a row lock, no scan."""
    from product.services import set_product_rating

    if remove == add:
        return
    summary, _ = RatingSummary.objects.select_for_update().get_or_create(product_id=product_id)
    if remove is not None:
        field = f"count_{remove}"
        setattr(summary, field, max(0, getattr(summary, field) - 1))
    if add is not None:
        field = f"count_{add}"
        setattr(summary, field, getattr(summary, field) + 1)
    summary.save()
    set_product_rating(
        actor=None, product=product_id, rating=summary.average, review_count=summary.total
    )


def _counted(status: str, rating: int) -> int | None:
    return rating if status == S.PUBLISHED else None


def recompute_summary(product_id: int) -> RatingSummary:
    """Rebuild a product's summary from its reviews (repair tool; not on any request path)."""
    from product.services import set_product_rating

    with transaction.atomic():
        summary, _ = RatingSummary.objects.select_for_update().get_or_create(product_id=product_id)
        counts = dict.fromkeys(range(1, 6), 0)
        for rating in Review.objects.filter(product_id=product_id, status=S.PUBLISHED).values_list(
            "rating", flat=True
        ):
            counts[rating] += 1
        for star, n in counts.items():
            setattr(summary, f"count_{star}", n)
        summary.save()
        set_product_rating(
            actor=None, product=product_id, rating=summary.average, review_count=summary.total
        )
    return summary


# -- events ------------------------------------------------------------------------------------


def review_payload(review: Review) -> dict[str, Any]:
    variant = review.variant
    return {
        "id": review.pk,
        "product_id": review.product_id,
        "user_id": review.user_id,
        "rating": review.rating,
        "title": review.title,
        "fit": review.fit or None,
        "status": review.status,
        "verified_purchase": review.verified_purchase,
        "order_line_id": review.order_line_id,
        "variant": (
            {"id": variant.pk, "sku": variant.sku, "name": variant.name} if variant else None
        ),
    }


def _emit(event_type: str, review: Review) -> None:
    emit(event_type, {"review": review_payload(review)}, channel=review.channel_slug or None)


# -- customer writes ---------------------------------------------------------------------------


def _save_photos(review: Review, photos: list[Photo]) -> None:
    for order, photo in enumerate(photos):
        item = ReviewPhoto(review=review, sort_order=order)
        item.image.save(photo.content.name, photo.content, save=False)
        item.save()


def _drop_photo_files(names: list[str]) -> None:
    """Delete stored files once the transaction that removed their rows has committed."""
    from django.core.files.storage import default_storage

    def drop() -> None:
        for name in names:
            default_storage.delete(name)

    if names:
        transaction.on_commit(drop)


@transaction.atomic
def create_review(
    *, user: Any, product_id: int, data: ReviewInput, channel: str | None = None
) -> Review:
    from product.models import Product

    rating = _rating(data.rating)
    title = _text(data.title, "title", MAX_TITLE, required=True)
    text = _text(None if data.text is _UNSET else data.text, "text", MAX_TEXT)
    fit = _fit(None if data.fit is _UNSET else data.fit)
    photos = decode_photos(None if data.photos is _UNSET else data.photos)
    if not Product.objects.filter(pk=product_id).exists():
        raise NotFound("No such product.", field="product")
    variant_id = _variant(product_id, None if data.variant_id is _UNSET else data.variant_id)
    slug = review_channel(channel)
    auto = publishes_at_once(slug)
    if Review.objects.filter(product_id=product_id, user=user).exists():
        raise DomainError(
            "You already reviewed this product; edit your review instead.",
            code="DUPLICATE_REVIEW",
            field="product",
        )
    line = fulfilled_line(user, product_id, variant_id)
    if line is None:
        raise DomainError(
            "Only customers who received this product can review it.",
            code="NOT_PURCHASED",
            field="product",
        )
    review = Review(
        product_id=product_id,
        user=user,
        variant_id=variant_id or line.variant_id,
        order_line_id=line.pk,
        channel_slug=slug,
        rating=rating,
        title=title,
        text=text,
        fit=fit,
        verified_purchase=True,
        status=S.PUBLISHED if auto else S.PENDING,
    )
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError as exc:  # a concurrent request of the same customer won
        raise DomainError(
            "You already reviewed this product; edit your review instead.",
            code="DUPLICATE_REVIEW",
            field="product",
        ) from exc
    _save_photos(review, photos)
    _adjust_summary(product_id, None, _counted(review.status, rating))
    _emit("review_created", review)
    if review.status == S.PUBLISHED:
        _emit("review_approved", review)
    return review


def _own(user: Any, review_id: int) -> Review:
    review = (
        Review.objects.select_for_update(of=("self",))
        .select_related("variant")
        .filter(pk=review_id, user=user)
        .first()
    )
    if review is None:
        raise NotFound("No such review of yours.", field="id")
    return review


@transaction.atomic
def update_review(*, user: Any, review_id: int, data: ReviewInput) -> Review:
    """Edit your review. Under moderation an edited review waits for approval again;
    a hidden or rejected one stays so (an edit does not undo a moderator's decision)."""
    review = _own(user, review_id)
    before = _counted(review.status, review.rating)
    if data.rating is not _UNSET:
        review.rating = _rating(data.rating)
    if data.title is not _UNSET:
        review.title = _text(data.title, "title", MAX_TITLE, required=True)
    if data.text is not _UNSET:
        review.text = _text(data.text, "text", MAX_TEXT)
    if data.fit is not _UNSET:
        review.fit = _fit(data.fit)
    if data.variant_id is not _UNSET and data.variant_id is not None:
        review.variant_id = _variant(review.product_id, data.variant_id)
    photos = None if data.photos is _UNSET else decode_photos(data.photos)
    was_published = review.status == S.PUBLISHED
    if review.status in (S.PUBLISHED, S.PENDING):
        review.status = S.PUBLISHED if publishes_at_once(review.channel_slug) else S.PENDING
    review.save()
    if photos is not None:
        old = list(review.photos.all())
        _drop_photo_files([p.image.name for p in old])
        review.photos.all().delete()
        _save_photos(review, photos)
    _adjust_summary(review.product_id, before, _counted(review.status, review.rating))
    if review.status == S.PUBLISHED and not was_published:
        _emit("review_approved", review)
    return review


@transaction.atomic
def delete_review(*, user: Any, review_id: int) -> Review:
    review = _own(user, review_id)
    _drop_photo_files([p.image.name for p in review.photos.all()])
    pk, product_id, counted = review.pk, review.product_id, _counted(review.status, review.rating)
    review.delete()
    review.pk = pk
    _adjust_summary(product_id, counted, None)
    return review


@transaction.atomic
def report_review(*, user: Any, review_id: int, reason: str = "") -> Review:
    """Flag a published review for the moderators (once per customer)."""
    reason = _text(reason, "reason", MAX_REASON)
    review = Review.objects.filter(pk=review_id, status=S.PUBLISHED).first()
    if review is None:
        raise NotFound("No such review.", field="id")
    if review.user_id == user.pk:
        raise DomainError("You cannot report your own review.", code="OWN_REVIEW", field="id")
    try:
        with transaction.atomic():
            ReviewReport.objects.create(review=review, user=user, reason=reason)
    except IntegrityError as exc:
        raise DomainError(
            "You already reported this review.", code="ALREADY_REPORTED", field="id"
        ) from exc
    Review.objects.filter(pk=review.pk).update(report_count=F("report_count") + 1)
    review.refresh_from_db(fields=["report_count"])
    return review


# -- staff -------------------------------------------------------------------------------------


@transaction.atomic
def moderate_review(*, actor: Any, review_id: int, action: str, note: str = "") -> Review:
    """Approve (publish), reject or hide a review. Saved model by model: the audit log
    records the staff member, the status change and the note."""
    require_perm(actor, Perm.MANAGE_REVIEWS)
    status = ModerationAction.STATUS.get(getattr(action, "value", action))
    if status is None:
        raise DomainError("Action is approve, reject or hide.", code="INVALID", field="action")
    note = _text(note, "note", MAX_REASON)
    review = (
        Review.objects.select_for_update(of=("self",))
        .select_related("variant")
        .filter(pk=review_id)
        .first()
    )
    if review is None:
        raise NotFound("No such review.", field="id")
    before = _counted(review.status, review.rating)
    was_published = review.status == S.PUBLISHED
    review.status = status
    review.moderated_at = timezone.now()
    review.moderated_by = actor if getattr(actor, "pk", None) else None
    review.moderation_note = note
    if status == S.PUBLISHED:
        review.report_count = 0  # a moderator looked at the reports and kept the review
    review.save()
    _adjust_summary(review.product_id, before, _counted(review.status, review.rating))
    if status == S.PUBLISHED and not was_published:
        _emit("review_approved", review)
    return review


def erase_customer_reviews(user_id: int) -> int:
    """An erased customer's reviews go, and the ratings they counted in follow."""
    from account.models import User

    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return 0
    ids = list(Review.objects.filter(user=user).values_list("pk", flat=True))
    for review_id in ids:
        delete_review(user=user, review_id=review_id)
    return len(ids)


def require_signed_in(user: Any) -> None:
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied("Sign in to review products.", code="PERMISSION_DENIED")
