"""Dashboard pages: size charts (with a CSV import page), missing-chart flags, and
measurement profiles (read-only, personal data: needs ``view_measurementprofile``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path

from core.errors import DomainError
from fashionistar_measurements import charts
from fashionistar_measurements.models import (
    BodyCategory,
    MeasurementProfile,
    MissingSizeChart,
    SizeChart,
    SizeChartSize,
    Unit,
)


class SizeChartSizeInline(admin.TabularInline):
    model = SizeChartSize
    extra = 0
    fields = ("sort_order", "label", "ranges")


class ImportForm(forms.Form):
    name = forms.CharField(max_length=128)
    product_type_id = forms.IntegerField(required=False, label="Product type id")
    product_id = forms.IntegerField(required=False, label="Product id")
    vendor_ref = forms.CharField(required=False, max_length=64, label="Vendor reference")
    body_category = forms.ChoiceField(choices=BodyCategory.choices, initial=BodyCategory.UNISEX)
    stretch = forms.ChoiceField(choices=SizeChart.Stretch.choices, initial=SizeChart.Stretch.NONE)
    unit = forms.ChoiceField(choices=Unit.choices, initial=Unit.CM)
    csv_file = forms.FileField(label="CSV file (size,chest_min,chest_max,...)")


@admin.register(SizeChart)
class SizeChartAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "scope",
        "product_type_id",
        "vendor_ref",
        "product_id",
        "body_category",
        "stretch",
    )
    list_filter = ("body_category", "stretch")
    search_fields = ("name", "vendor_ref")
    inlines = (SizeChartSizeInline,)
    change_list_template = "admin/change_list.html"

    def get_urls(self) -> list:
        extra = [
            path(
                "import-csv/",
                self.admin_site.admin_view(self.import_csv),
                name="fashionistar_measurements_sizechart_import",
            )
        ]
        return extra + super().get_urls()

    def import_csv(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            return HttpResponse(status=403)
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                text = data["csv_file"].read().decode("utf-8-sig")
                chart = charts.import_chart(
                    scope=charts.ChartScope(
                        product_type_id=data["product_type_id"],
                        product_id=data["product_id"],
                        vendor_ref=data["vendor_ref"] or None,
                    ),
                    name=data["name"],
                    csv_text=text,
                    unit=data["unit"],
                    body_category=data["body_category"],
                    stretch=data["stretch"],
                )
            except UnicodeDecodeError:
                form.add_error("csv_file", "The file is not UTF-8 text.")
            except DomainError as error:
                for detail in error.errors:
                    form.add_error(None, detail.message)
            else:
                self.log_change(request, chart, "Imported from CSV")
                messages.success(request, f"Imported {chart.sizes.count()} sizes into {chart}.")
                return redirect("admin:fashionistar_measurements_sizechart_change", chart.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": "Import a size chart from CSV",
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "fashionistar_measurements/import.html", context)


@admin.register(MissingSizeChart)
class MissingSizeChartAdmin(admin.ModelAdmin):
    list_display = ("product_name", "product_slug", "product_type_slug", "flagged_at")
    search_fields = ("product_name", "product_slug")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(MeasurementProfile)
class MeasurementProfileAdmin(admin.ModelAdmin):
    list_display = ("name", "user_id", "body_category", "updated_at")
    list_filter = ("body_category",)
    search_fields = ("=user_id",)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in self.model._meta.fields]
