"""Writes of the measurements plugin: profiles, estimates, fit outcomes, erasure.

The only module that changes the plugin's profile data; each write is one
transaction. Bad input raises a DomainError naming the field, before anything is
written.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction

from core.errors import DomainError, NotFound, PermissionDenied
from fashionistar_measurements import estimation
from fashionistar_measurements.models import (
    DIMENSIONS,
    BodyCategory,
    FitOutcome,
    FitPreference,
    LengthPreference,
    MeasurementProfile,
    Unit,
)

MAX_PROFILES = 10
VIEW_PERMISSION = "fashionistar_measurements.view_body_measurements"
INCH = Decimal("2.54")
POUND = Decimal("0.45359237")
CHILDREN = (BodyCategory.GIRLS, BodyCategory.BOYS)

#: Plausible human bounds (cm, kg, years), adults and children.
ADULT_BOUNDS = {
    "age": (13, 120),
    "height": (120, 230),
    "weight": (30, 250),
    "chest": (60, 180),
    "waist": (45, 180),
    "hips": (60, 190),
    "inseam": (50, 110),
    "shoulder": (28, 60),
    "sleeve": (40, 80),
    "neck": (25, 60),
    "thigh": (35, 100),
    "foot_length": (18, 34),
}
CHILD_BOUNDS = {
    "age": (0, 17),
    "height": (45, 185),
    "weight": (2, 110),
    "chest": (30, 130),
    "waist": (30, 130),
    "hips": (30, 140),
    "inseam": (15, 95),
    "shoulder": (15, 50),
    "sleeve": (15, 72),
    "neck": (18, 45),
    "thigh": (15, 80),
    "foot_length": (7, 30),
}
MEASURED = ("height", "weight", *DIMENSIONS)


def can_read(user: Any, profile_user_id: int) -> bool:
    """The owner, or staff holding ``view_body_measurements``."""
    if not (getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)):
        return False
    return user.pk == profile_user_id or bool(user.is_staff and user.has_perm(VIEW_PERMISSION))


def owned_profile(user: Any, profile_id: Any, *, for_write: bool = False) -> MeasurementProfile:
    """The user's own profile; someone else's reads as "not found" (no existence leak)."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied("Sign in to use measurement profiles.", code="PERMISSION_DENIED")
    try:
        pk = int(profile_id)
    except (TypeError, ValueError):
        raise NotFound("No such measurement profile.", field="id") from None
    queryset = MeasurementProfile.objects.all()
    if for_write:
        queryset = queryset.select_for_update()
    profile = queryset.filter(pk=pk).first()
    if profile is None or (
        profile.user_id != user.pk and (for_write or not can_read(user, profile.user_id))
    ):
        raise NotFound("No such measurement profile.", field="id")
    return profile


def _decimal(value: Any, field: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise DomainError(f"{field} must be a number.", code="INVALID", field=field) from None
    if not number.is_finite():
        raise DomainError(f"{field} must be a number.", code="INVALID", field=field)
    return number


def to_metric(field: str, value: Any, unit: str) -> Decimal:
    number = _decimal(value, field)
    if unit == Unit.IN:
        number *= POUND if field == "weight" else INCH
    return number.quantize(Decimal("0.1"), ROUND_HALF_UP)


def from_metric(field: str, value: Decimal | None, unit: str) -> float | None:
    if value is None:
        return None
    if unit == Unit.IN:
        value = value / (POUND if field == "weight" else INCH)
    return float(value.quantize(Decimal("0.1"), ROUND_HALF_UP))


def _check_bounds(profile: MeasurementProfile) -> None:
    bounds = CHILD_BOUNDS if profile.body_category in CHILDREN else ADULT_BOUNDS
    who = "a child" if profile.body_category in CHILDREN else "an adult"
    for field, (low, high) in bounds.items():
        value = getattr(profile, field)
        if value is not None and not low <= value <= high:
            unit = {"age": "years", "weight": "kg"}.get(field, "cm")
            raise DomainError(
                f"{field.replace('_', ' ').capitalize()} must be between {low} and {high} "
                f"{unit} for {who}.",
                code="OUT_OF_RANGE",
                field=field,
            )
    h, w = profile.height, profile.weight
    if h and w:
        bmi = float(w) / (float(h) / 100) ** 2
        if not 10 <= bmi <= 70:
            raise DomainError(
                f"Height and weight give a body mass index of {bmi:.0f}, outside what is "
                "humanly plausible (10 to 70): check the weight.",
                code="IMPOSSIBLE",
                field="weight",
            )
    if h and profile.inseam and profile.inseam > h * Decimal("0.55"):
        raise DomainError(
            "The inseam cannot be more than 55 % of the height.", code="IMPOSSIBLE", field="inseam"
        )
    if profile.neck and profile.chest and profile.neck >= profile.chest:
        raise DomainError(
            "The neck cannot be as large as the chest.", code="IMPOSSIBLE", field="neck"
        )
    if profile.waist and profile.hips and profile.waist > profile.hips * 2:
        raise DomainError(
            "The waist cannot be more than twice the hips.", code="IMPOSSIBLE", field="waist"
        )


def _apply(profile: MeasurementProfile, data: Mapping[str, Any]) -> None:
    """Copy validated input onto ``profile``; typed values become source "user"."""
    if "body_category" in data and data["body_category"] is not None:
        if data["body_category"] not in BodyCategory.values:
            raise DomainError("Unknown body category.", code="INVALID", field="bodyCategory")
        profile.body_category = data["body_category"]
    if "unit" in data and data["unit"] is not None:
        if data["unit"] not in Unit.values:
            raise DomainError("Unit is cm or in.", code="INVALID", field="unit")
        profile.unit = data["unit"]
    for field, choices in (
        ("fit_preference", FitPreference.values),
        ("length_preference", LengthPreference.values),
    ):
        if data.get(field) is not None:
            if data[field] not in choices:
                raise DomainError(f"Unknown {field}.", code="INVALID", field=field)
            setattr(profile, field, data[field])
    if "name" in data and data["name"] is not None:
        name = data["name"].strip()
        if not name or len(name) > 64:
            raise DomainError(
                "Name the profile (up to 64 characters).", code="REQUIRED", field="name"
            )
        profile.name = name
    if data.get("notes") is not None:
        if len(data["notes"]) > 1000:
            raise DomainError(
                "Notes are limited to 1000 characters.", code="INVALID", field="notes"
            )
        profile.notes = data["notes"]
    if "age" in data:
        profile.age = data["age"]
    sources = dict(profile.sources or {})
    for field in MEASURED:
        if field not in data:
            continue
        value = data[field]
        if value is None:
            setattr(profile, field, None)
            sources.pop(field, None)
            continue
        setattr(profile, field, to_metric(field, value, profile.unit))
        sources[field] = {"source": "user", "confidence": 1.0, "margin_cm": None}
    profile.sources = sources
    _check_bounds(profile)


@transaction.atomic
def create_profile(*, user: Any, data: Mapping[str, Any]) -> MeasurementProfile:
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied("Sign in to keep measurement profiles.", code="PERMISSION_DENIED")
    if not data.get("name"):
        raise DomainError("Name the profile.", code="REQUIRED", field="name")
    if not data.get("body_category"):
        raise DomainError("Choose a body category.", code="REQUIRED", field="bodyCategory")
    if MeasurementProfile.objects.filter(user_id=user.pk).count() >= MAX_PROFILES:
        raise DomainError(
            f"You can keep up to {MAX_PROFILES} profiles.", code="LIMIT_REACHED", field="name"
        )
    profile = MeasurementProfile(user_id=user.pk)
    _apply(profile, data)
    profile.save()
    return profile


@transaction.atomic
def update_profile(*, user: Any, profile_id: Any, data: Mapping[str, Any]) -> MeasurementProfile:
    profile = owned_profile(user, profile_id, for_write=True)
    _apply(profile, data)
    profile.save()
    return profile


@transaction.atomic
def delete_profile(*, user: Any, profile_id: Any) -> int:
    profile = owned_profile(user, profile_id, for_write=True)
    pk = profile.pk
    profile.delete()
    return pk


# -- estimation ----------------------------------------------------------------------------------


def estimate_values(
    *,
    body_category: str,
    height: Decimal,
    weight: Decimal,
    age: int | None,
    media: list[dict[str, str]] | None = None,
) -> dict[str, dict[str, Any]]:
    """``{dimension: {"value": cm, "source", "confidence", "margin_cm"}}``: the statistical
    model, overridden by a body-scanning provider (``estimate_measurements``) if one answers."""
    values = {
        dim: {
            "value": Decimal(str(e.value)),
            "source": "estimated",
            "confidence": e.confidence,
            "margin_cm": e.margin_cm,
        }
        for dim, e in estimation.estimate(body_category, float(height), float(weight), age).items()
    }
    if media:
        from core.plugins.manager import get_manager

        answer = get_manager().decision(
            "estimate_measurements", media=media, body_category=body_category
        )
        if answer:
            provider = str(answer.get("provider") or "unknown")[:40]
            for dim, item in dict(answer.get("measurements") or {}).items():
                if dim not in DIMENSIONS:
                    continue
                values[dim] = {
                    "value": _decimal(item["value"], dim).quantize(Decimal("0.1")),
                    "source": f"provider:{provider}",
                    "confidence": float(item.get("confidence", 0.9)),
                    "margin_cm": None,
                }
    return values


@transaction.atomic
def estimate_into_profile(
    *, user: Any, profile_id: Any, media: list[dict[str, str]] | None = None
) -> MeasurementProfile:
    """Fill the profile's missing (or previously estimated) values; typed ones stay."""
    profile = owned_profile(user, profile_id, for_write=True)
    if profile.height is None or profile.weight is None:
        raise DomainError(
            "Enter height and weight first: the estimate is based on them.",
            code="REQUIRED",
            field="height" if profile.height is None else "weight",
        )
    values = estimate_values(
        body_category=profile.body_category,
        height=profile.height,
        weight=profile.weight,
        age=profile.age,
        media=media,
    )
    sources = dict(profile.sources or {})
    for dim, item in values.items():
        if sources.get(dim, {}).get("source") == "user" and getattr(profile, dim) is not None:
            continue
        setattr(profile, dim, item["value"])
        sources[dim] = {k: item[k] for k in ("source", "confidence", "margin_cm")}
    profile.sources = sources
    _check_bounds(profile)
    profile.save()
    return profile


# -- fit feedback ---------------------------------------------------------------------------------


def record_outcome(
    *,
    profile: MeasurementProfile,
    product_type_id: int,
    product_id: int | None,
    size_label: str,
    outcome: str,
    order_line_id: int | None = None,
    event_id: Any = None,
) -> FitOutcome | None:
    """One outcome; a replay of the same (event, line) changes nothing."""
    try:
        with transaction.atomic():
            return FitOutcome.objects.create(
                profile=profile,
                product_type_id=product_type_id,
                product_id=product_id,
                size_label=size_label[:16],
                outcome=outcome,
                order_line_id=order_line_id,
                event_id=event_id,
            )
    except IntegrityError:
        if event_id is None:
            raise
        return None


FEEDBACK_WINDOW = 5
DIRECTION = {FitOutcome.Outcome.TOO_SMALL: 1, FitOutcome.Outcome.TOO_LARGE: -1}


def feedback_steps(outcomes: list[str]) -> int:
    """The rule (docs/measurements.md): over the latest ``FEEDBACK_WINDOW`` outcomes that
    carry a verdict (too small, too large, good), +1 per too small, -1 per too large."""
    verdicts = [o for o in outcomes if o in (*DIRECTION, FitOutcome.Outcome.GOOD)]
    return sum(DIRECTION.get(o, 0) for o in verdicts[:FEEDBACK_WINDOW])


def submit_feedback(
    *, user: Any, profile_id: Any, product_id: Any, size_label: str, fit: str
) -> FitOutcome:
    from product.models import Product

    if fit not in (
        FitOutcome.Outcome.TOO_SMALL,
        FitOutcome.Outcome.TOO_LARGE,
        FitOutcome.Outcome.GOOD,
    ):
        raise DomainError("Fit is too_small, too_large or good.", code="INVALID", field="fit")
    profile = owned_profile(user, profile_id)
    product = Product.objects.filter(pk=product_id).only("pk", "product_type_id").first()
    if product is None:
        raise NotFound("No such product.", field="product")
    label = (size_label or "").strip()
    if not label or len(label) > 16:
        raise DomainError("Give the size you received.", code="REQUIRED", field="size")
    return record_outcome(
        profile=profile,
        product_type_id=product.product_type_id,
        product_id=product.pk,
        size_label=label,
        outcome=fit,
    )


# -- erasure ------------------------------------------------------------------------------------


def erase_user(user_id: int) -> int:
    """Delete every profile (and its outcomes) of the account."""
    deleted, _ = MeasurementProfile.objects.filter(user_id=user_id).delete()
    return deleted


def on_user_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    erase_user(instance.pk)
