"""Dashboard: review moderation (MANAGE_REVIEWS).

The list shows pending reviews first and can be filtered by status and by reports;
the approve, reject and hide actions go through ``moderate_review`` (rating summary,
events, audit log). Customers' text is shown through Django's templates, which
escape it: a ``<script>`` in a review is displayed, never run.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import HttpRequest

from core.errors import DomainError
from core.permissions import Perm, has_perm
from plugins.reviews import services
from plugins.reviews.models import RatingSummary, Review, ReviewPhoto, ReviewReport, ReviewStatus


class _ModeratorAdmin:
    def _allowed(self, request: HttpRequest) -> bool:
        return has_perm(request.user, Perm.MANAGE_REVIEWS)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReviewPhotoInline(_ModeratorAdmin, admin.TabularInline):
    model = ReviewPhoto
    extra = 0
    fields = ("image", "width", "height")
    readonly_fields = fields


class ReviewReportInline(_ModeratorAdmin, admin.TabularInline):
    model = ReviewReport
    extra = 0
    fields = ("user", "reason", "created_at")
    readonly_fields = fields


class ReportedFilter(admin.SimpleListFilter):
    title = "reports"
    parameter_name = "reported"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", "reported"), ("no", "not reported")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "yes":
            return queryset.filter(report_count__gt=0)
        if self.value() == "no":
            return queryset.filter(report_count=0)
        return queryset


@admin.register(Review)
class ReviewAdmin(_ModeratorAdmin, admin.ModelAdmin):
    list_display = (
        "title",
        "product",
        "rating",
        "status",
        "report_count",
        "verified_purchase",
        "fit",
        "user",
        "created_at",
    )
    list_filter = ("status", ReportedFilter, "rating", "channel_slug")
    search_fields = ("title", "text", "product__name", "user__email")
    list_select_related = ("product", "user")
    actions = ("approve_selected", "reject_selected", "hide_selected")
    inlines = (ReviewPhotoInline, ReviewReportInline)
    fields = (
        "product",
        "variant",
        "user",
        "rating",
        "title",
        "text",
        "fit",
        "verified_purchase",
        "status",
        "report_count",
        "channel_slug",
        "moderated_by",
        "moderated_at",
        "moderation_note",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields  # changes go through the actions (the service)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        pending_first = Case(
            When(status=ReviewStatus.PENDING, then=Value(0)),
            When(report_count__gt=0, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
        return (
            super()
            .get_queryset(request)
            .annotate(queue=pending_first)
            .order_by("queue", "-created_at", "-pk")
        )

    def _moderate(self, request: HttpRequest, queryset: QuerySet, action: str) -> None:
        done = 0
        for pk in queryset.values_list("pk", flat=True):
            try:
                services.moderate_review(actor=request.user, review_id=pk, action=action)
            except DomainError as error:
                self.message_user(request, f"Review {pk}: {error}", messages.ERROR)
            else:
                done += 1
        self.message_user(request, f"{done} review(s): {action} done.", messages.SUCCESS)

    @admin.action(description="Approve (publish) selected reviews")
    def approve_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._moderate(request, queryset, services.ModerationAction.APPROVE)

    @admin.action(description="Reject selected reviews")
    def reject_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._moderate(request, queryset, services.ModerationAction.REJECT)

    @admin.action(description="Hide selected reviews")
    def hide_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._moderate(request, queryset, services.ModerationAction.HIDE)


@admin.register(RatingSummary)
class RatingSummaryAdmin(_ModeratorAdmin, admin.ModelAdmin):
    list_display = ("product", "count_5", "count_4", "count_3", "count_2", "count_1")
    list_select_related = ("product",)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
