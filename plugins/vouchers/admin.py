from django.contrib import admin

from plugins.vouchers.models import Voucher, VoucherRedemption


@admin.register(Voucher)
class VoucherAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "channel",
        "type",
        "value",
        "used",
        "usage_limit",
        "ends_at",
        "is_active",
    )
    list_filter = ("channel", "type", "is_active")
    search_fields = ("code", "name")
    readonly_fields = ("used",)


@admin.register(VoucherRedemption)
class VoucherRedemptionAdmin(admin.ModelAdmin):
    list_display = ("voucher", "order_number", "customer_email", "created_at")
    search_fields = ("voucher__code", "customer_email")

    def has_add_permission(self, request) -> bool:  # noqa: ANN001
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False
