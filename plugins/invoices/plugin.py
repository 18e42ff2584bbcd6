"""Invoices: on ``invoice_requested``, number the invoice, render its PDF, store it.

The file name is random (unguessable); staff and the order's customer get its URL
through GraphQL. Idempotent: a redelivered event finds the invoice done and stops.
"""

from __future__ import annotations

import uuid

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from core.hookspecs import hookimpl
from core.plugins import BasePlugin, ConfigField, FieldType


class InvoicesPlugin(BasePlugin):
    id = "fashionistar.invoices"
    name = "Invoices"
    description = "Numbered PDF invoices, generated on request and stored for download."
    version = "1.0.0"
    default_active = True
    config_fields = (
        ConfigField("seller_name", FieldType.STRING, default="Fashionistar", label="Seller"),
        ConfigField("number_prefix", FieldType.STRING, default="INV", label="Number prefix"),
    )

    @hookimpl
    def invoice_requested(self, event, config) -> None:
        from order.models import Invoice, Order, OrderEvent
        from plugins.invoices.pdf import render

        with transaction.atomic():
            invoice = Invoice.objects.select_for_update().get(pk=event.payload["invoice_id"])
            if invoice.status == Invoice.Status.SUCCESS:
                return
            order = Order.objects.get(pk=invoice.order_id)
            invoice.number = f"{config['number_prefix']}-{timezone.now():%Y}-{invoice.pk:06d}"
            content = render(invoice, order, config["seller_name"])
            invoice.file.save(f"{uuid.uuid4().hex}.pdf", ContentFile(content), save=False)
            invoice.status = Invoice.Status.SUCCESS
            invoice.save(update_fields=["number", "file", "status", "updated_at"])
            OrderEvent.objects.create(
                order=order,
                type=OrderEvent.Type.INVOICE_GENERATED,
                parameters={"invoice": invoice.pk, "number": invoice.number},
            )
