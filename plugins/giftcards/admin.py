"""Dashboard pages: gift cards with their event ledger (staff with MANAGE_GIFT_CARDS).

Writes go through ``services`` so every change is an event and the balance is
never edited by hand: a new card is issued with its balance; an existing card's
expiry, owner, note and activation may change. The code is shown masked in
lists; the change page shows it in full to staff who manage gift cards.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest

from core.errors import DomainError
from core.permissions import Perm, has_perm
from plugins.giftcards import services
from plugins.giftcards.models import GiftCard, GiftCardEvent


def _manages(request: HttpRequest) -> bool:
    return has_perm(request.user, Perm.MANAGE_GIFT_CARDS)


class GiftCardEventInline(admin.TabularInline):
    model = GiftCardEvent
    extra = 0
    can_delete = False
    fields = ("created_at", "type", "amount", "balance_after", "currency", "order_number", "user")
    readonly_fields = fields
    ordering = ("created_at", "pk")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _manages(request)


_FORM_FIELDS = {
    "balance": "balance",
    "currency": "currency",
    "code": "code",
    "expiryDate": "expiry_date",
}


class GiftCardForm(forms.ModelForm):
    code = forms.CharField(
        required=False, max_length=64, help_text="Leave blank to generate an unguessable code."
    )
    balance = forms.DecimalField(max_digits=20, decimal_places=3, required=False)

    class Meta:
        model = GiftCard
        fields = ("code", "currency", "expiry_date", "customer", "is_active", "note")

    def clean(self) -> dict:
        data = super().clean()
        try:
            if self.instance.pk is None:
                self._issue_input = self._issue(data)
                services.check_issue(self._issue_input)
            elif data.get("expiry_date") != self.initial.get("expiry_date"):
                services.check_expiry(data.get("expiry_date"))
        except DomainError as error:
            for detail in error.errors:
                name = _FORM_FIELDS.get(detail.field or "")
                self.add_error(name if name in self.fields else None, detail.message)
        return data

    def _issue(self, data: dict) -> services.IssueInput:
        if data.get("balance") is None:
            raise DomainError("Give the card's balance.", code="REQUIRED", field="balance")
        return services.IssueInput(
            balance=data.get("balance") or 0,
            currency=data.get("currency") or "",
            code=data.get("code") or None,
            expiry_date=data.get("expiry_date"),
            customer=data.get("customer"),
            note=data.get("note") or "",
            is_active=bool(data.get("is_active")),
        )

    def validate_unique(self) -> None:
        """Uniqueness of codes is the service's to check (case-insensitively)."""


@admin.register(GiftCard)
class GiftCardAdmin(admin.ModelAdmin):
    form = GiftCardForm
    list_display = (
        "masked",
        "current_balance",
        "initial_balance",
        "currency",
        "expiry_date",
        "is_active",
        "customer",
        "source",
        "created_at",
    )
    list_filter = ("is_active", "currency", "source")
    search_fields = ("=code", "customer__email", "=order_number")
    inlines = (GiftCardEventInline,)
    list_select_related = ("customer",)
    raw_id_fields = ("customer",)

    @admin.display(description="Code")
    def masked(self, obj: GiftCard) -> str:
        return obj.masked_code

    def get_fields(self, request: HttpRequest, obj: Any = None) -> tuple:
        if obj is None:
            return ("code", "balance", "currency", "expiry_date", "customer", "is_active", "note")
        return (
            "code",
            "current_balance",
            "initial_balance",
            "currency",
            "expiry_date",
            "customer",
            "is_active",
            "note",
            "source",
            "order_number",
            "created_by",
            "created_at",
            "last_used_at",
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple:
        if obj is None:
            return ()
        return (
            "code",
            "current_balance",
            "initial_balance",
            "currency",
            "source",
            "order_number",
            "created_by",
            "created_at",
            "last_used_at",
        )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _manages(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _manages(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _manages(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _manages(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a card with a history is deactivated, never deleted

    def save_model(self, request: HttpRequest, obj: GiftCard, form: Any, change: bool) -> None:
        if not change:
            issued = services.issue(request.user, form._issue_input)
            obj.pk = issued.pk
            obj.code = issued.code
            obj._state.adding = False
            messages.info(request, f"Gift card {issued.code} issued.")
            return
        services.update(
            request.user,
            GiftCard.objects.get(pk=obj.pk),
            expiry_date=form.cleaned_data.get("expiry_date"),
            customer=form.cleaned_data.get("customer"),
            note=form.cleaned_data.get("note") or "",
            is_active=bool(form.cleaned_data.get("is_active")),
        )

    def get_inlines(self, request: HttpRequest, obj: Any) -> tuple:
        return self.inlines if obj is not None else ()


@admin.register(GiftCardEvent)
class GiftCardEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "card", "type", "amount", "balance_after", "order_number")
    list_filter = ("type",)
    search_fields = ("=order_number", "=gift_card__code")
    list_select_related = ("gift_card",)

    @admin.display(description="Gift card")
    def card(self, obj: GiftCardEvent) -> str:
        return obj.gift_card.masked_code

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _manages(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _manages(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
