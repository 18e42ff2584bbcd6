"""Dashboard pages without a browser: filters, actions, bad input, permissions.

Each action is checked by what staff would notice (page text, status, the order's
timeline, stock levels) and by what must not happen (nothing written on bad input).
"""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image

from account.models import AuditEvent, User
from checkout.complete import complete_checkout
from core.models import EventDelivery, OutboxEvent
from core.permissions import Perm
from order.models import Fulfillment, Order, OrderEvent, OrderStatus
from product.models import ProductChannelListing, ProductMedia
from tests.checkout.conftest import pay, ready_checkout
from tests.conftest import grant
from warehouse.models import Stock

pytestmark = pytest.mark.django_db

ORDERS = "/dashboard/order/order/"


def staff(email: str, *perms: Perm) -> Client:
    user = User.objects.create_user(email=email, password="x", is_staff=True)
    client = Client()
    client.force_login(grant(user, *[p.value for p in perms]))
    return client


def place(shop, sku: str = "RD-S", quantity: int = 1, channel: str = "default-channel") -> Order:
    checkout = ready_checkout(shop, sku=sku, quantity=quantity, channel=channel)
    pay(checkout)
    order, _ = complete_checkout(checkout.token)
    return order


@pytest.fixture
def manager() -> Client:
    return staff("manager@example.com", Perm.MANAGE_ORDERS, Perm.MANAGE_PAYMENTS)


def numbers(response) -> set[int]:
    return {o.number for o in response.context["cl"].result_list}


def test_order_list_filters_and_search(shop, manager):
    first = place(shop, "RD-S")
    second = place(shop, "ST-M", channel="default-channel")
    usd = place(shop, "RD-M", channel="channel-usd")
    Order.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(days=40))
    customer = User.objects.create_user(email="ada@example.com", password="x")
    Order.objects.filter(pk=second.pk).update(user=customer, user_email="ada@example.com")

    assert numbers(manager.get(ORDERS)) == {first.number, second.number, usd.number}
    assert numbers(manager.get(ORDERS, {"channel__id__exact": usd.channel_id})) == {usd.number}
    assert numbers(manager.get(ORDERS, {"status__exact": "UNFULFILLED"})) == {
        first.number,
        second.number,
        usd.number,
    }
    since = (timezone.now() - timedelta(days=7)).date().isoformat()
    assert numbers(manager.get(ORDERS, {"placed_from": since})) == {second.number, usd.number}
    assert numbers(manager.get(ORDERS, {"customer": "registered"})) == {second.number}
    assert numbers(manager.get(ORDERS, {"charge_status": "FULL"})) == {
        first.number,
        second.number,
        usd.number,
    }
    assert numbers(manager.get(ORDERS, {"charge_status": "NONE"})) == set()
    assert numbers(manager.get(ORDERS, {"q": str(usd.number)})) == {usd.number}
    assert numbers(manager.get(ORDERS, {"q": f"#{usd.number}"})) == {usd.number}
    assert numbers(manager.get(ORDERS, {"q": "ada@example"})) == {second.number}
    assert numbers(manager.get(ORDERS, {"q": "st-m"})) == {second.number}


def test_bad_fulfilment_and_refund_write_nothing(shop, manager):
    order = place(shop, "RD-S", 2)
    line = order.lines.get()
    page = manager.post(
        f"{ORDERS}{order.pk}/fulfil/",
        {
            "fulfil-warehouse": shop.warehouses["lagos"].pk,
            f"fulfil-line_{line.pk}": 3,
            "fulfil-tracking_number": "X",
        },
    )
    assert page.status_code == 400
    assert "less than or equal to 2" in page.content.decode()
    page = manager.post(
        f"{ORDERS}{order.pk}/fulfil/",
        {"fulfil-warehouse": shop.warehouses["london"].pk, f"fulfil-line_{line.pk}": 2},
    )
    assert "allocated in this warehouse" in page.content.decode()
    page = manager.post(f"{ORDERS}{order.pk}/refund/", {"refund-amount": "-5"})
    assert "greater than or equal to" in page.content.decode()
    page = manager.post(f"{ORDERS}{order.pk}/note/", {"note-message": "   "})
    assert "This field is required" in page.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.UNFULFILLED and order.total_refunded == 0
    assert not Fulfillment.objects.filter(order=order).exists()
    assert not order.events.filter(type=OrderEvent.Type.NOTE_ADDED).exists()


def test_note_cancel_and_invoice(shop, manager, django_capture_on_commit_callbacks):
    order = place(shop, "RD-S", 1)
    stock = Stock.objects.get(
        product_variant=shop.catalog.variants["RD-S"], warehouse=shop.warehouses["lagos"]
    )
    assert stock.quantity_allocated == 1

    manager.post(f"{ORDERS}{order.pk}/note/", {"note-message": "Gift wrap please"})
    with django_capture_on_commit_callbacks(execute=True):
        manager.post(f"{ORDERS}{order.pk}/invoice/")
    detail = manager.get(f"{ORDERS}{order.pk}/change/").content.decode()
    assert "Gift wrap please" in detail
    invoice = order.invoices.get()
    assert invoice.status == "SUCCESS"  # the invoices plugin generated it after commit
    download = manager.get(f"{ORDERS}{order.pk}/invoice/{invoice.pk}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")

    manager.post(f"{ORDERS}{order.pk}/cancel/")
    order.refresh_from_db()
    stock.refresh_from_db()
    assert order.status == OrderStatus.CANCELED and stock.quantity_allocated == 0
    assert "Cancel order" not in manager.get(f"{ORDERS}{order.pk}/change/").content.decode()
    kinds = set(order.events.values_list("type", flat=True))
    assert {"NOTE_ADDED", "INVOICE_REQUESTED", "CANCELED"} <= kinds
    audited = AuditEvent.objects.filter(actor_email="manager@example.com")
    assert audited.filter(object_repr=f"CANCELED on #{order.number}").exists()


def test_order_pages_follow_permissions(shop):
    order = place(shop)
    catalog = staff("catalog@example.com", Perm.MANAGE_PRODUCTS)
    assert catalog.get(ORDERS).status_code == 403
    assert catalog.get(f"{ORDERS}{order.pk}/change/").status_code == 403
    assert catalog.post(f"{ORDERS}{order.pk}/cancel/").status_code == 403
    orders_only = staff("orders@example.com", Perm.MANAGE_ORDERS)
    page = orders_only.post(f"{ORDERS}{order.pk}/refund/", {"refund-amount": "100"})
    assert "payments permission" in page.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.UNFULFILLED and order.total_refunded == 0


def test_home_panels(shop, manager):
    order = place(shop, "RD-S", 5)  # leaves Lagos with no RD-S available
    event = OutboxEvent.objects.create(event_type="order_created", payload={})
    EventDelivery.objects.create(
        event=event, plugin_id="acme.crm", status=EventDelivery.Status.DEAD, last_error="boom"
    )
    everything = staff(
        "owner@example.com",
        Perm.MANAGE_ORDERS,
        Perm.MANAGE_PRODUCTS,
        Perm.MANAGE_PLUGINS,
    )
    page = everything.get("/dashboard/").content.decode()
    assert f"{order.total_gross:.2f} NGN" in page
    assert page.count('<svg class="sales-chart"') == 2  # one per channel
    assert 'src="http' not in page and 'href="http' not in page  # nothing from elsewhere
    assert f"#{order.number}" in page
    assert "RD-S" in page  # low stock
    assert "acme.crm" in page and "boom" in page  # dead letter
    assert "panel-payouts" not in page  # no marketplace plugin installed
    catalog_only = staff("catalog@example.com", Perm.MANAGE_PRODUCTS).get("/dashboard/")
    assert "panel-sales" not in catalog_only.content.decode()
    assert "panel-dead-letters" not in catalog_only.content.decode()


def test_negative_stock_is_refused_and_changes_go_through_the_service(shop):
    client = staff("stock@example.com", Perm.MANAGE_WAREHOUSES)
    stock = Stock.objects.get(
        product_variant=shop.catalog.variants["RD-M"], warehouse=shop.warehouses["lagos"]
    )
    url = f"/dashboard/warehouse/stock/{stock.pk}/change/"
    page = client.post(url, {"quantity": "-3"})
    assert page.status_code == 200
    assert "cannot be below zero" in page.content.decode()
    stock.refresh_from_db()
    assert stock.quantity == 10
    assert not AuditEvent.objects.filter(actor_email="stock@example.com").exists()
    assert client.post(url, {"quantity": "4"}).status_code == 302
    stock.refresh_from_db()
    assert stock.quantity == 4
    assert AuditEvent.objects.filter(actor_email="stock@example.com").exists()


def _png() -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = "red.png"
    return buffer


def test_catalog_filters_bulk_publish_and_image_upload(shop, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = staff("catalog@example.com", Perm.MANAGE_PRODUCTS)
    catalog = shop.catalog
    products = "/dashboard/product/product/"

    def names(params: dict) -> set[str]:
        return {p.name for p in client.get(products, params).context["cl"].result_list}

    assert names({"published": "no"}) == {"Secret Sample"}
    assert names({"channel": "channel-usd"}) == {"Red Ankara Dress"}
    assert names({"stock": "in"}) == {"Red Ankara Dress", "Silk Wrap Top"}
    assert names({"category__id__exact": catalog.tops.pk}) == {"Silk Wrap Top"}

    client.post(
        products,
        {"action": "publish_selected", "_selected_action": [catalog.hidden.pk]},
    )
    assert ProductChannelListing.objects.get(product=catalog.hidden).is_published
    client.post(
        products + "?channel=channel-usd",
        {"action": "unpublish_selected", "_selected_action": [catalog.red_dress.pk]},
    )
    listings = dict(
        ProductChannelListing.objects.filter(product=catalog.red_dress).values_list(
            "channel__slug", "is_published"
        )
    )
    assert listings == {"default-channel": True, "channel-usd": False}
    assert OutboxEvent.objects.filter(event_type="product_updated").exists()

    upload = f"{products}{catalog.silk_top.pk}/media/upload/"
    bad = io.BytesIO(b"not an image")
    bad.name = "notes.png"
    page = client.post(upload, {"image": bad, "alt": "x"})
    assert "image" in page.content.decode().lower() and page.status_code == 200
    assert not ProductMedia.objects.filter(product=catalog.silk_top).exists()
    assert client.post(upload, {"image": _png(), "alt": "Front"}).status_code == 302
    media = ProductMedia.objects.get(product=catalog.silk_top)
    assert media.alt == "Front" and media.image.name.endswith(".png")


def inline_management(page) -> dict:
    """The inline formsets' hidden fields, as the browser would post them back."""
    data = {}
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        for field in formset.management_form:
            data[field.html_name] = field.value()
        for form in formset.forms:
            for name in ("id", formset.fk.name):
                if name in form.fields:
                    data[form.add_prefix(name)] = form[name].value()
    return data


def test_product_edits_go_through_the_service(shop):
    client = staff("catalog@example.com", Perm.MANAGE_PRODUCTS)
    top = shop.catalog.silk_top
    url = f"/dashboard/product/product/{top.pk}/change/"
    form = {
        "name": "  ",
        "slug": top.slug,
        "category": top.category_id,
        "description": '"just a string"',
        "weight": "",
    }
    page = client.post(url, {**form, **inline_management(client.get(url))})
    assert page.status_code == 200
    assert page.content.decode().count("errorlist") >= 2
    top.refresh_from_db()
    assert top.name == "Silk Wrap Top"
    fixed = {**form, **inline_management(page), "name": "Silk Wrap Top II", "description": "{}"}
    page = client.post(url, fixed)
    assert page.status_code == 302, page.context and page.context["errors"]
    top.refresh_from_db()
    assert top.name == "Silk Wrap Top II"
    assert "silk wrap top ii" in top.search_document.lower()
