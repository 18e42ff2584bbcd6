"""Dashboard pages for orders: the list, the detail page and its actions.

Every action calls ``order.services`` (fulfil, cancel, refund, add a note, request an
invoice): the same invariants, events and audit entries as the GraphQL mutations.
Nothing here saves an order model directly. The pages need ``order.manage_orders``;
refunds also need ``payment.manage_payments``, as ``orderRefund`` does not, but money
leaving the shop is a payments decision (the dashboard is stricter, never looser).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse

from core.errors import DomainError
from core.permissions import Perm, has_perm
from order import services
from order.models import Allocation, Fulfillment, Invoice, Order, OrderEvent, OrderStatus
from payment.models import Transaction, TransactionEvent

WAITING = (OrderStatus.UNFULFILLED, OrderStatus.PARTIALLY_FULFILLED)


class DateRangeFilter(admin.SimpleListFilter):
    """Placed between two dates: ``?placed_from=2026-01-01&placed_to=2026-01-31``."""

    title = "date placed"
    parameter_name = "placed"
    template = "admin/order/date_range_filter.html"

    def __init__(self, request: HttpRequest, params: dict, model: Any, model_admin: Any) -> None:
        self.since = self._date(params.pop("placed_from", None))
        self.until = self._date(params.pop("placed_to", None))
        super().__init__(request, params, model, model_admin)
        if self.since:
            self.used_parameters["placed_from"] = self.since
        if self.until:
            self.used_parameters["placed_to"] = self.until

    @staticmethod
    def _date(value: Any) -> Any:
        value = value[-1] if isinstance(value, list) else value
        try:
            return forms.DateField().clean(value) if value else None
        except forms.ValidationError:
            return None

    def has_output(self) -> bool:
        return True

    def lookups(self, request: HttpRequest, model_admin: Any) -> list:
        return []

    def expected_parameters(self) -> list[str]:
        return ["placed_from", "placed_to"]

    def choices(self, changelist: Any) -> list:
        return [
            {
                "since": self.since.isoformat() if self.since else "",
                "until": self.until.isoformat() if self.until else "",
                "keep": {
                    k: v
                    for k, v in changelist.get_filters_params().items()
                    if k not in ("placed_from", "placed_to")
                },
            }
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.since:
            queryset = queryset.filter(created_at__date__gte=self.since)
        if self.until:
            queryset = queryset.filter(created_at__date__lte=self.until)
        return queryset


class PaymentStatusFilter(admin.SimpleListFilter):
    title = "payment status"
    parameter_name = "charge_status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list:
        return [
            ("NONE", "Not paid"),
            ("PARTIAL", "Partially charged"),
            ("FULL", "Fully charged"),
            ("OVERCHARGED", "Overcharged"),
            ("REFUNDED", "Refunded (part or all)"),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "REFUNDED":
            return queryset.filter(total_refunded__gt=0)
        if self.value():
            return queryset.filter(charge_status=self.value())
        return queryset


class CustomerFilter(admin.SimpleListFilter):
    title = "customer"
    parameter_name = "customer"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list:
        return [("registered", "Registered customers"), ("guest", "Guest checkouts")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "registered":
            return queryset.filter(user__isnull=False)
        if self.value() == "guest":
            return queryset.filter(user__isnull=True)
        return queryset


# ----------------------------------------------------------------------------------------
# Action forms
# ----------------------------------------------------------------------------------------


class FulfilForm(forms.Form):
    """One quantity field per line still to ship, a warehouse and a tracking number."""

    warehouse = forms.ModelChoiceField(queryset=None, empty_label=None)
    tracking_number = forms.CharField(max_length=255, required=False)

    def __init__(self, order: Order, *args: Any, **kwargs: Any) -> None:
        from warehouse.models import Warehouse

        super().__init__(*args, **kwargs)
        self.order = order
        self.fields["warehouse"].queryset = Warehouse.objects.order_by("name")
        held = (
            Allocation.objects.filter(order_line__order=order)
            .values_list("stock__warehouse_id", flat=True)
            .first()
        )
        if held:
            self.fields["warehouse"].initial = held
        self.lines = [line for line in order.lines.all() if line.quantity_unfulfilled > 0]
        for line in self.lines:
            self.fields[f"line_{line.pk}"] = forms.IntegerField(
                label=f"{line.product_name} {line.variant_name} ({line.product_sku})".strip(),
                min_value=0,
                max_value=line.quantity_unfulfilled,
                initial=line.quantity_unfulfilled,
            )

    def clean(self) -> dict:
        data = super().clean()
        if not self.errors and not any(data.get(f"line_{line.pk}") for line in self.lines):
            raise forms.ValidationError("Choose at least one unit to fulfil.")
        return data

    def items(self) -> list[services.FulfillmentLineInput]:
        return [
            services.FulfillmentLineInput(line.pk, self.cleaned_data[f"line_{line.pk}"])
            for line in self.lines
            if self.cleaned_data.get(f"line_{line.pk}")
        ]


class RefundForm(forms.Form):
    amount = forms.DecimalField(min_value=Decimal("0.001"), decimal_places=3, max_digits=20)
    reason = forms.CharField(max_length=255, required=False)

    def __init__(self, order: Order, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order = order
        self.refundable = sum(
            (t.charged_value for t in Transaction.objects.filter(order=order)), Decimal(0)
        )
        self.fields["amount"].initial = self.refundable
        self.fields["amount"].help_text = f"At most {self.refundable} {order.currency}."

    def clean_amount(self) -> Decimal:
        amount = self.cleaned_data["amount"]
        if amount > self.refundable:
            raise forms.ValidationError(
                f"At most {self.refundable} {self.order.currency} can be refunded "
                "(captured and not yet refunded)."
            )
        return amount


class NoteForm(forms.Form):
    message = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


def _apply_errors(request: HttpRequest, form: forms.Form | None, error: DomainError) -> None:
    """Field errors next to their field; the rest as a page message."""
    for detail in error.errors:
        field = detail.field if form is not None and detail.field in form.fields else None
        if form is not None and detail.field == "lines":
            line_id = (detail.extra or {}).get("order_line_id")
            field = f"line_{line_id}" if f"line_{line_id}" in form.fields else None
        if field is not None:
            form.add_error(field, detail.message)
        else:
            messages.error(request, detail.message)


# ----------------------------------------------------------------------------------------
# The admin
# ----------------------------------------------------------------------------------------


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = (
        "number_link",
        "created_at",
        "user_email",
        "channel",
        "status",
        "charge_status",
        "total",
    )
    list_display_links = None
    list_filter = (
        "status",
        "channel",
        DateRangeFilter,
        PaymentStatusFilter,
        CustomerFilter,
    )
    list_select_related = ("channel",)
    search_fields = ("user_email",)
    search_help_text = "Order number, customer email or SKU."
    date_hierarchy = "created_at"
    list_per_page = 50

    # -- permissions: our Perm, not Django's per-model defaults --------------------------

    def has_module_permission(self, request: HttpRequest) -> bool:
        return has_perm(request.user, Perm.MANAGE_ORDERS)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return has_perm(request.user, Perm.MANAGE_ORDERS)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # orders change through the actions below, never through a form save

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # orders come from checkouts

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # orders are never deleted

    def get_actions(self, request: HttpRequest) -> dict:
        return {}

    # -- list -----------------------------------------------------------------------------

    @admin.display(description="number", ordering="number")
    def number_link(self, obj: Order) -> Any:
        from django.utils.html import format_html

        url = reverse("admin:order_order_change", args=[obj.pk])
        return format_html('<a href="{}">#{}</a>', url, obj.number)

    @admin.display(description="total", ordering="total_gross")
    def total(self, obj: Order) -> str:
        return f"{obj.total_gross:.2f} {obj.currency}"

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        term = search_term.strip().lstrip("#")
        if not term:
            return queryset, False
        condition = Q(user_email__icontains=term) | Q(lines__product_sku__iexact=term)
        if term.isdigit():
            condition |= Q(number=int(term))
        return queryset.filter(condition).distinct(), False

    # -- detail and actions ---------------------------------------------------------------

    def get_urls(self) -> list:
        def view(action: str) -> Any:
            return self.admin_site.admin_view(
                lambda request, object_id, **kw: self.detail(request, object_id, action, **kw)
            )

        return [
            path("<int:object_id>/fulfil/", view("fulfil"), name="order_order_fulfil"),
            path("<int:object_id>/refund/", view("refund"), name="order_order_refund"),
            path("<int:object_id>/note/", view("note"), name="order_order_note"),
            path("<int:object_id>/cancel/", view("cancel"), name="order_order_cancel"),
            path("<int:object_id>/confirm/", view("confirm"), name="order_order_confirm"),
            path("<int:object_id>/invoice/", view("invoice"), name="order_order_invoice"),
            path(
                "<int:object_id>/invoice/<int:invoice_id>/download/",
                self.admin_site.admin_view(self.download_invoice),
                name="order_order_invoice_download",
            ),
            *super().get_urls(),
        ]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict | None = None,
    ) -> HttpResponse:
        if not str(object_id).isdigit():
            raise Http404("No such order")
        return self.detail(request, int(object_id), None)

    def _order(self, request: HttpRequest, object_id: int) -> Order:
        if not self.has_view_permission(request):
            raise DjangoPermissionDenied
        return get_object_or_404(Order.objects.select_related("channel", "user"), pk=object_id)

    def detail(
        self, request: HttpRequest, object_id: int, action: str | None, **kwargs: Any
    ) -> HttpResponse:
        order = self._order(request, object_id)
        post = request.POST if request.method == "POST" else None
        forms_ = {
            "fulfil": FulfilForm(order, post if action == "fulfil" else None, prefix="fulfil"),
            "refund": RefundForm(order, post if action == "refund" else None, prefix="refund"),
            "note": NoteForm(post if action == "note" else None, prefix="note"),
        }
        if post is not None and action:
            done = self._perform(request, order, action, forms_.get(action))
            if done:
                messages.success(request, done)
                return HttpResponseRedirect(reverse("admin:order_order_change", args=[order.pk]))
        return TemplateResponse(
            request,
            "admin/order/detail.html",
            self._context(request, order, forms_, failed=action),
            status=400 if post is not None and action else 200,
        )

    def _perform(
        self, request: HttpRequest, order: Order, action: str, form: forms.Form | None
    ) -> str | None:
        """Run one action through the services; the success message, or None if it failed."""
        user = request.user
        if action == "refund" and not has_perm(user, Perm.MANAGE_PAYMENTS):
            messages.error(request, "You need the payments permission to refund.")
            return None
        if form is not None and not form.is_valid():
            return None
        try:
            if action == "fulfil":
                fulfilment = services.fulfill(
                    order,
                    form.items(),
                    warehouse_id=form.cleaned_data["warehouse"].pk,
                    tracking_number=form.cleaned_data["tracking_number"],
                    user=user,
                )
                return f"Fulfilment #{order.number}-{fulfilment.fulfillment_order} created."
            if action == "refund":
                amount = form.cleaned_data["amount"]
                services.refund(order, amount, user=user, reason=form.cleaned_data["reason"])
                return f"Refunded {amount} {order.currency}."
            if action == "note":
                services.add_note(order, form.cleaned_data["message"], user=user)
                return "Note added."
            if action == "cancel":
                services.cancel(order, user=user)
                return f"Order #{order.number} cancelled."
            if action == "confirm":
                services.confirm(order, user=user)
                return f"Order #{order.number} confirmed."
            if action == "invoice":
                invoice = services.request_invoice(order, user=user)
                return f"Invoice {invoice.pk} requested; it appears below once generated."
        except DomainError as error:
            _apply_errors(request, form, error)
            return None
        raise Http404("No such action")

    def _context(
        self, request: HttpRequest, order: Order, forms_: dict, failed: str | None
    ) -> dict:
        transactions = list(
            Transaction.objects.filter(order=order).prefetch_related("events").order_by("pk")
        )
        fulfilments = list(
            Fulfillment.objects.filter(order=order)
            .select_related("warehouse")
            .prefetch_related("lines")
        )
        line_names = {line.pk: line for line in order.lines.all()}
        for fulfilment in fulfilments:
            fulfilment.rows = [
                (line_names.get(item.order_line_id), item.quantity)
                for item in fulfilment.lines.all()
            ]
        return {
            **self.admin_site.each_context(request),
            "title": f"Order #{order.number}",
            "order": order,
            "lines": list(line_names.values()),
            "transactions": transactions,
            "transaction_events": TransactionEvent.objects.filter(
                transaction__order=order
            ).order_by("created_at", "pk"),
            "events": OrderEvent.objects.filter(order=order).select_related("user"),
            "fulfilments": fulfilments,
            "invoices": Invoice.objects.filter(order=order),
            "forms": forms_,
            "failed": failed,
            "can_fulfil": order.status in WAITING,
            "can_cancel": order.status not in (OrderStatus.CANCELED,) and not fulfilments,
            "can_confirm": order.status == OrderStatus.UNCONFIRMED,
            "can_refund": has_perm(request.user, Perm.MANAGE_PAYMENTS)
            and forms_["refund"].refundable > 0,
            "opts": self.model._meta,
            "has_view_permission": True,
        }

    def download_invoice(
        self, request: HttpRequest, object_id: int, invoice_id: int
    ) -> HttpResponse:
        order = self._order(request, object_id)
        invoice = get_object_or_404(Invoice, pk=invoice_id, order=order)
        if invoice.status != Invoice.Status.SUCCESS or not invoice.file:
            raise Http404("The invoice is not generated yet.")
        return FileResponse(
            invoice.file.open("rb"),
            as_attachment=True,
            filename=f"{invoice.number or invoice.pk}.pdf",
            content_type="application/pdf",
        )
