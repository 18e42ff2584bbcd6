"""Warehouse, stock and shipping writes, and the stock questions checkout asks.

Stock rows are locked (``SELECT ... FOR UPDATE``, in primary-key order so that
concurrent writers cannot deadlock) before they change. Every change records a
``stock_changed`` event, plus ``product_variant_out_of_stock`` /
``product_variant_back_in_stock`` when a warehouse's available quantity crosses zero.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django_countries import countries as all_countries

from core.errors import DomainError, NotFound
from core.events.outbox import emit
from core.models import Channel
from product.models import ProductVariant
from product.services._common import (
    Actor,
    clean_price,
    clean_slug,
    clean_weight,
    get_channel,
    get_instance,
    require_name,
)
from warehouse.models import (
    Reservation,
    ShippingMethod,
    ShippingMethodChannelListing,
    ShippingZone,
    Stock,
    Warehouse,
)

ADDRESS_FIELDS = (
    "company_name",
    "street_address_1",
    "street_address_2",
    "city",
    "city_area",
    "postal_code",
    "country",
    "country_area",
    "phone",
)


class InsufficientStock(DomainError):
    default_code = "INSUFFICIENT_STOCK"


def _country(code: Any, field: str) -> str:
    code = str(code or "").upper()
    if code not in dict(all_countries):
        raise DomainError(f"{code!r} is not a country code.", code="INVALID", field=field)
    return code


# -- warehouses ----------------------------------------------------------------------------


def _apply_warehouse(warehouse: Warehouse, data: dict[str, Any]) -> None:
    unknown = set(data) - {"name", "slug", "email", *ADDRESS_FIELDS}
    if unknown:
        raise DomainError(f"Unknown fields {sorted(unknown)}.", code="INVALID", field="input")
    if "name" in data:
        warehouse.name = require_name(data["name"])
    if "slug" in data or warehouse.pk is None:
        warehouse.slug = clean_slug(
            Warehouse, data.get("slug"), warehouse.name, exclude_pk=warehouse.pk
        )
    for name in ("email", *ADDRESS_FIELDS):
        if name in data:
            value = data[name] or ""
            setattr(warehouse, name, _country(value, name) if name == "country" else value)
    for required in ("street_address_1", "city"):
        require_name(getattr(warehouse, required), required)
    _country(warehouse.country, "country")


@transaction.atomic
def create_warehouse(*, actor: Actor, data: dict[str, Any]) -> Warehouse:
    warehouse = Warehouse(name=require_name(data.get("name")))
    _apply_warehouse(warehouse, data)
    warehouse.save()
    return warehouse


@transaction.atomic
def update_warehouse(
    *, actor: Actor, warehouse: Warehouse | int, data: dict[str, Any]
) -> Warehouse:
    warehouse = get_instance(Warehouse, warehouse, "id")
    _apply_warehouse(warehouse, data)
    warehouse.save()
    return warehouse


@transaction.atomic
def delete_warehouse(*, actor: Actor, warehouse: Warehouse | int) -> Warehouse:
    warehouse = get_instance(Warehouse, warehouse, "id")
    if warehouse.stocks.filter(quantity_allocated__gt=0).exists():
        raise DomainError("The warehouse holds allocated stock.", code="IN_USE", field="id")
    pk = warehouse.pk
    warehouse.delete()
    warehouse.pk = pk
    return warehouse


# -- stock ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class StockInput:
    variant: Any  # ProductVariant or pk
    warehouse: Any  # Warehouse or pk
    quantity: int


def _stock_payload(stock: Stock, variant: ProductVariant, warehouse: Warehouse) -> dict:
    return {
        "variant": {"id": variant.pk, "sku": variant.sku, "product_id": variant.product_id},
        "warehouse": {"id": warehouse.pk, "slug": warehouse.slug},
        "quantity": stock.quantity,
        "allocated": stock.quantity_allocated,
    }


def _emit_stock_events(stock: Stock, available_before: int) -> None:
    payload = _stock_payload(stock, stock.product_variant, stock.warehouse)
    emit("stock_changed", payload)
    after = stock.quantity - stock.quantity_allocated
    crossing = {"variant": payload["variant"], "warehouse": payload["warehouse"]}
    if available_before > 0 and after <= 0:
        emit("product_variant_out_of_stock", crossing)
    elif available_before <= 0 and after > 0:
        emit("product_variant_back_in_stock", crossing)


def _validate_quantity(quantity: Any, field: str = "quantity") -> int:
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        raise DomainError("Enter a whole number.", code="INVALID", field=field)
    if quantity < 0:
        raise DomainError(
            "Stock quantity cannot be below zero.", code="NEGATIVE_QUANTITY", field=field
        )
    return quantity


@transaction.atomic
def set_stocks(*, actor: Actor, items: Sequence[StockInput]) -> list[Stock]:
    """Set absolute quantities, creating missing stock rows. All items or none.

    A quantity below zero, or below what is already allocated, is refused.
    """
    cleaned: list[tuple[ProductVariant, Warehouse, int]] = []
    variant_ids = {_pk(i.variant) for i in items}
    warehouse_ids = {_pk(i.warehouse) for i in items}
    variants = ProductVariant.objects.in_bulk(variant_ids)
    warehouses = Warehouse.objects.in_bulk(warehouse_ids)
    seen: set[tuple[int, int]] = set()
    for item in items:
        variant = variants.get(_pk(item.variant))
        if variant is None:
            raise NotFound(f"Variant {item.variant!r} does not exist.", field="variant")
        warehouse = warehouses.get(_pk(item.warehouse))
        if warehouse is None:
            raise NotFound(f"Warehouse {item.warehouse!r} does not exist.", field="warehouse")
        if (variant.pk, warehouse.pk) in seen:
            raise DomainError(
                "A stock is listed twice.", code="DUPLICATED_INPUT_ITEM", field="stocks"
            )
        seen.add((variant.pk, warehouse.pk))
        cleaned.append((variant, warehouse, _validate_quantity(item.quantity)))
    locked = {
        (s.product_variant_id, s.warehouse_id): s
        for s in Stock.objects.select_for_update()
        .filter(product_variant_id__in=variant_ids, warehouse_id__in=warehouse_ids)
        .order_by("pk")
    }
    result = []
    for variant, warehouse, quantity in cleaned:
        stock = locked.get((variant.pk, warehouse.pk))
        before = stock.quantity - stock.quantity_allocated if stock else 0
        if stock is None:
            stock = Stock(product_variant=variant, warehouse=warehouse, quantity=quantity)
        elif quantity < stock.quantity_allocated:
            raise DomainError(
                f"{stock.quantity_allocated} units of {variant.sku or variant.pk} are allocated "
                f"in {warehouse.slug}; the quantity cannot go below that.",
                code="QUANTITY_BELOW_ALLOCATED",
                field="quantity",
            )
        elif stock.quantity == quantity:
            result.append(stock)
            continue
        stock.quantity = quantity
        stock.save()
        stock.product_variant, stock.warehouse = variant, warehouse
        _emit_stock_events(stock, before)
        result.append(stock)
    return result


@transaction.atomic
def delete_stocks(*, actor: Actor, variant: Any, warehouses: Iterable[Any]) -> int:
    variant = get_instance(ProductVariant, variant, "variant")
    stocks = list(
        Stock.objects.select_for_update()
        .filter(product_variant=variant, warehouse_id__in=[_pk(w) for w in warehouses])
        .select_related("warehouse")
        .order_by("pk")
    )
    if any(s.quantity_allocated for s in stocks):
        raise DomainError("Allocated stock cannot be deleted.", code="IN_USE", field="warehouses")
    for stock in stocks:
        before = stock.quantity
        stock.quantity = 0
        stock.product_variant = variant
        _emit_stock_events(stock, before)
        stock.delete()
    return len(stocks)


def _pk(value: Any) -> int:
    if hasattr(value, "pk"):
        return value.pk
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise NotFound(f"{value!r} does not exist.", field="id") from exc


# -- what checkout needs -------------------------------------------------------------------


def channel_warehouse_ids(channel: Channel | str, country_code: str | None = None) -> list[int]:
    """Warehouses that serve ``channel``: in a shipping zone of that channel (and, with a
    country, a zone that lists it, or the channel's default zone)."""
    channel = get_channel(channel)
    zones = ShippingZone.objects.filter(channels=channel)
    if country_code:
        zones = zones.filter(Q(countries__contains=country_code.upper()) | Q(default=True))
    return sorted(
        set(Warehouse.objects.filter(shipping_zones__in=zones).values_list("pk", flat=True))
    )


def available_quantities(
    variant_ids: Iterable[int],
    channel: Channel | str,
    country_code: str | None = None,
    exclude_checkout: Any = None,
) -> dict[int, int]:
    """Units one can still buy per variant in the channel (sum over its warehouses). One query
    once the channel's warehouses are known."""
    ids = list(variant_ids)
    result = dict.fromkeys(ids, 0)
    warehouses = channel_warehouse_ids(channel, country_code)
    stocks = list(
        Stock.objects.filter(product_variant_id__in=ids, warehouse_id__in=warehouses).values_list(
            "pk", "product_variant_id", "quantity", "quantity_allocated"
        )
    )
    held = reserved_by_others([pk for pk, *_ in stocks], exclude_checkout)
    for pk, variant_id, quantity, allocated in stocks:
        result[variant_id] += max(quantity - allocated - held.get(pk, 0), 0)
    return result


def reserved_by_others(stock_ids: Iterable[int], checkout_token: Any = None) -> dict[int, int]:
    """Units of each stock row held by open checkouts other than ``checkout_token``."""
    ids = list(stock_ids)
    if not ids:
        return {}
    active = Reservation.objects.filter(stock_id__in=ids, reserved_until__gt=timezone.now())
    if checkout_token is not None:
        active = active.exclude(checkout_token=checkout_token)
    rows = active.values("stock_id").annotate(held=Sum("quantity"))
    return {row["stock_id"]: row["held"] for row in rows}


@dataclass(frozen=True)
class Allocation:
    stock_id: int
    variant_id: int
    warehouse_id: int
    quantity: int


@transaction.atomic
def allocate(
    *,
    actor: Actor,
    lines: Sequence[tuple[int, int]],
    channel: Channel | str,
    country_code: str | None = None,
    checkout_token: Any = None,
    warehouse_ids: Sequence[int] | None = None,
) -> list[Allocation]:
    """Reserve ``(variant_id, quantity)`` lines from the channel's warehouses, fullest first.

    Locks the stock rows; raises InsufficientStock (nothing allocated) when any line
    cannot be covered. Under concurrent calls for the last units, exactly as many
    succeed as there are units.
    """
    warehouses = (
        list(warehouse_ids)
        if warehouse_ids is not None
        else channel_warehouse_ids(channel, country_code)
    )
    wanted: dict[int, int] = {}
    for variant_id, quantity in lines:
        if quantity <= 0:
            raise DomainError("Quantities must be positive.", code="INVALID", field="quantity")
        wanted[variant_id] = wanted.get(variant_id, 0) + quantity
    stocks = list(
        Stock.objects.select_for_update()
        .filter(product_variant_id__in=wanted, warehouse_id__in=warehouses)
        .select_related("warehouse", "product_variant")
        .order_by("pk")
    )
    by_variant: dict[int, list[Stock]] = {}
    for stock in stocks:
        by_variant.setdefault(stock.product_variant_id, []).append(stock)
    held = reserved_by_others([s.pk for s in stocks], checkout_token)

    def free(stock: Stock) -> int:
        return max(stock.available - held.get(stock.pk, 0), 0)

    allocations: list[Allocation] = []
    for variant_id, quantity in wanted.items():
        candidates = sorted(by_variant.get(variant_id, []), key=lambda s: -free(s))
        if sum(free(s) for s in candidates) < quantity:
            raise InsufficientStock(
                f"Only {sum(free(s) for s in candidates)} units of variant "
                f"{variant_id} are available.",
                field="quantity",
                extra={"variant_id": variant_id},
            )
        remaining = quantity
        for stock in candidates:
            take = min(free(stock), remaining)
            if take <= 0:
                continue
            before = stock.available
            stock.quantity_allocated += take
            stock.save(update_fields=["quantity_allocated"])
            _emit_stock_events(stock, before)
            allocations.append(Allocation(stock.pk, variant_id, stock.warehouse_id, take))
            remaining -= take
            if remaining == 0:
                break
    if checkout_token is not None:
        Reservation.objects.filter(checkout_token=checkout_token).delete()
    return allocations


@transaction.atomic
def deallocate(*, actor: Actor, allocations: Sequence[Allocation], consume: bool = False) -> None:
    """Release allocations; with ``consume`` the units also leave the shelf (fulfilment)."""
    wanted: dict[int, int] = {}
    for allocation in allocations:
        wanted[allocation.stock_id] = wanted.get(allocation.stock_id, 0) + allocation.quantity
    stocks = (
        Stock.objects.select_for_update()
        .filter(pk__in=wanted)
        .select_related("warehouse", "product_variant")
        .order_by("pk")
    )
    for stock in stocks:
        quantity = min(wanted[stock.pk], stock.quantity_allocated)
        before = stock.available
        stock.quantity_allocated -= quantity
        if consume:
            stock.quantity -= quantity
        stock.save(update_fields=["quantity", "quantity_allocated"])
        _emit_stock_events(stock, before)


# -- shipping --------------------------------------------------------------------------------


def _countries(codes: Iterable[Any]) -> list[str]:
    return sorted({_country(c, "countries") for c in codes})


@transaction.atomic
def create_shipping_zone(
    *,
    actor: Actor,
    name: str,
    countries: Iterable[str] = (),
    default: bool = False,
    description: str = "",
    warehouses: Iterable[Any] = (),
    channels: Iterable[Any] = (),
) -> ShippingZone:
    zone = ShippingZone(
        name=require_name(name),
        countries=_countries(countries),
        default=default,
        description=description,
    )
    _check_default(zone)
    zone.save()
    _link(zone, add_warehouses=warehouses, add_channels=channels)
    return zone


def _check_default(zone: ShippingZone) -> None:
    if zone.default and ShippingZone.objects.filter(default=True).exclude(pk=zone.pk).exists():
        raise DomainError(
            "Another shipping zone is already the default.", code="ALREADY_EXISTS", field="default"
        )


def _link(
    zone: ShippingZone,
    *,
    add_warehouses: Iterable[Any] = (),
    remove_warehouses: Iterable[Any] = (),
    add_channels: Iterable[Any] = (),
    remove_channels: Iterable[Any] = (),
) -> None:
    add_w = [get_instance(Warehouse, w, "addWarehouses") for w in add_warehouses]
    remove_w = [get_instance(Warehouse, w, "removeWarehouses") for w in remove_warehouses]
    add_c = [get_channel(c, "addChannels") for c in add_channels]
    remove_c = [get_channel(c, "removeChannels") for c in remove_channels]
    zone.warehouses.add(*add_w)
    zone.warehouses.remove(*remove_w)
    zone.channels.add(*add_c)
    zone.channels.remove(*remove_c)


@transaction.atomic
def update_shipping_zone(
    *,
    actor: Actor,
    zone: ShippingZone | int,
    name: str | None = None,
    countries: Iterable[str] | None = None,
    default: bool | None = None,
    description: str | None = None,
    add_warehouses: Iterable[Any] = (),
    remove_warehouses: Iterable[Any] = (),
    add_channels: Iterable[Any] = (),
    remove_channels: Iterable[Any] = (),
) -> ShippingZone:
    zone = get_instance(ShippingZone, zone, "id")
    if name is not None:
        zone.name = require_name(name)
    if countries is not None:
        zone.countries = _countries(countries)
    if default is not None:
        zone.default = default
        _check_default(zone)
    if description is not None:
        zone.description = description
    zone.save()
    _link(
        zone,
        add_warehouses=add_warehouses,
        remove_warehouses=remove_warehouses,
        add_channels=add_channels,
        remove_channels=remove_channels,
    )
    return zone


@transaction.atomic
def delete_shipping_zone(*, actor: Actor, zone: ShippingZone | int) -> ShippingZone:
    zone = get_instance(ShippingZone, zone, "id")
    pk = zone.pk
    zone.delete()
    zone.pk = pk
    return zone


def _apply_method(method: ShippingMethod, data: dict[str, Any]) -> None:
    unknown = set(data) - {
        "name",
        "type",
        "description",
        "minimum_delivery_days",
        "maximum_delivery_days",
        "min_weight",
        "max_weight",
    }
    if unknown:
        raise DomainError(f"Unknown fields {sorted(unknown)}.", code="INVALID", field="input")
    if "name" in data:
        method.name = require_name(data["name"])
    if "type" in data:
        if data["type"] not in ShippingMethod.Type.values:
            raise DomainError("Unknown shipping method type.", code="INVALID", field="type")
        method.type = data["type"]
    if "description" in data:
        method.description = data["description"] or ""
    for name in ("minimum_delivery_days", "maximum_delivery_days"):
        if name in data:
            value = data[name]
            if value is not None and value < 0:
                raise DomainError("Days cannot be negative.", code="INVALID", field=name)
            setattr(method, name, value)
    for name in ("min_weight", "max_weight"):
        if name in data:
            setattr(method, name, clean_weight(data[name], name))
    low_weight, high_weight = method.min_weight, method.max_weight
    if low_weight is not None and high_weight is not None and low_weight > high_weight:
        raise DomainError(
            "The maximum weight is below the minimum.",
            code="MAX_LESS_THAN_MIN",
            field="max_weight",
        )
    low, high = method.minimum_delivery_days, method.maximum_delivery_days
    if low is not None and high is not None and low > high:
        raise DomainError(
            "Maximum delivery days are below the minimum.",
            code="MAX_LESS_THAN_MIN",
            field="maximum_delivery_days",
        )


@transaction.atomic
def create_shipping_method(
    *, actor: Actor, zone: ShippingZone | int, data: dict[str, Any]
) -> ShippingMethod:
    zone = get_instance(ShippingZone, zone, "shippingZone")
    method = ShippingMethod(shipping_zone=zone, name=require_name(data.get("name")))
    _apply_method(method, data)
    method.save()
    return method


@transaction.atomic
def update_shipping_method(
    *, actor: Actor, method: ShippingMethod | int, data: dict[str, Any]
) -> ShippingMethod:
    method = get_instance(ShippingMethod, method, "id")
    _apply_method(method, data)
    method.save()
    return method


@transaction.atomic
def delete_shipping_method(*, actor: Actor, method: ShippingMethod | int) -> ShippingMethod:
    method = get_instance(ShippingMethod, method, "id")
    pk = method.pk
    method.delete()
    method.pk = pk
    return method


@dataclass(frozen=True)
class ShippingPriceInput:
    channel: Any
    price: Any
    minimum_order_price: Any = None
    maximum_order_price: Any = None


@transaction.atomic
def update_shipping_method_channel_listings(
    *,
    actor: Actor,
    method: ShippingMethod | int,
    update: Iterable[ShippingPriceInput] = (),
    remove: Iterable[Any] = (),
) -> ShippingMethod:
    method = get_instance(ShippingMethod, method, "id")
    cleaned = []
    for spec in update:
        channel = get_channel(spec.channel)
        currency = channel.currency_code
        price = clean_price(spec.price, currency, "price")
        low = clean_price(spec.minimum_order_price, currency, "minimumOrderPrice", required=False)
        high = clean_price(spec.maximum_order_price, currency, "maximumOrderPrice", required=False)
        if low is not None and high is not None and low > high:
            raise DomainError(
                "The maximum order price is below the minimum.",
                code="MAX_LESS_THAN_MIN",
                field="maximumOrderPrice",
            )
        cleaned.append((channel, price, low, high))
    removed = [get_channel(c, "removeChannels") for c in remove]
    for channel, price, low, high in cleaned:
        ShippingMethodChannelListing.objects.update_or_create(
            shipping_method=method,
            channel=channel,
            defaults={
                "currency": channel.currency_code,
                "price_amount": price,
                "minimum_order_price_amount": low,
                "maximum_order_price_amount": high,
            },
        )
    if removed:
        method.channel_listings.filter(channel__in=removed).delete()
    return method


def applicable_shipping_methods(
    channel: Channel | str,
    country_code: str,
    *,
    weight: Decimal | None = None,
    subtotal: Decimal | None = None,
) -> list[tuple[ShippingMethod, ShippingMethodChannelListing]]:
    """Methods a checkout in ``channel`` shipping to ``country_code`` may use, with their price
    in the channel, honouring weight and order-price limits. Zones listing the country win
    over the default zone."""
    channel = get_channel(channel)
    country = country_code.upper()
    listings = (
        ShippingMethodChannelListing.objects.filter(
            channel=channel, shipping_method__shipping_zone__channels=channel
        )
        .select_related("shipping_method__shipping_zone")
        .order_by("price_amount", "pk")
    )
    matching = [row for row in listings if country in row.shipping_method.shipping_zone.countries]
    if not matching:
        matching = [row for row in listings if row.shipping_method.shipping_zone.default]
    result = []
    for row in matching:
        method = row.shipping_method
        if weight is not None:
            if method.min_weight is not None and weight < method.min_weight:
                continue
            if method.max_weight is not None and weight > method.max_weight:
                continue
        if subtotal is not None:
            if row.minimum_order_price_amount is not None and (
                subtotal < row.minimum_order_price_amount
            ):
                continue
            if row.maximum_order_price_amount is not None and (
                subtotal > row.maximum_order_price_amount
            ):
                continue
        result.append((method, row))
    return result


@transaction.atomic
def restock(*, actor: Actor, stock_id: int, quantity: int) -> Stock:
    """Put returned units back on a shelf (the stock row they were shipped from)."""
    if quantity <= 0:
        raise DomainError("Quantities must be positive.", code="INVALID", field="quantity")
    stock = (
        Stock.objects.select_for_update()
        .select_related("warehouse", "product_variant")
        .filter(pk=stock_id)
        .first()
    )
    if stock is None:
        raise NotFound("No such stock.", field="stock")
    before = stock.available
    stock.quantity += quantity
    stock.save(update_fields=["quantity"])
    _emit_stock_events(stock, before)
    return stock


@transaction.atomic
def reserve(
    *,
    checkout_token: Any,
    lines: Sequence[tuple[int, int]],
    channel: Channel | str,
    country_code: str | None,
    minutes: int,
) -> None:
    """Hold ``(variant_id, quantity)`` lines for an open checkout, replacing its previous hold.

    Locks the stock rows like ``allocate``; raises InsufficientStock (nothing held)
    when other checkouts' holds and orders leave too little.
    """
    Reservation.objects.filter(checkout_token=checkout_token).delete()
    wanted = {variant_id: quantity for variant_id, quantity in lines if quantity > 0}
    if not wanted:
        return
    warehouses = channel_warehouse_ids(channel, country_code)
    stocks = list(
        Stock.objects.select_for_update()
        .filter(product_variant_id__in=wanted, warehouse_id__in=warehouses)
        .order_by("pk")
    )
    held = reserved_by_others([s.pk for s in stocks], checkout_token)
    until = timezone.now() + timedelta(minutes=minutes)
    rows: list[Reservation] = []
    for variant_id, quantity in wanted.items():
        candidates = sorted(
            (s for s in stocks if s.product_variant_id == variant_id),
            key=lambda s: -(s.available - held.get(s.pk, 0)),
        )
        remaining = quantity
        for stock in candidates:
            take = min(max(stock.available - held.get(stock.pk, 0), 0), remaining)
            if take:
                rows.append(
                    Reservation(
                        checkout_token=checkout_token,
                        stock=stock,
                        quantity=take,
                        reserved_until=until,
                    )
                )
                remaining -= take
        if remaining:
            raise InsufficientStock(
                f"Only {quantity - remaining} units of variant {variant_id} are available.",
                field="quantity",
                extra={"variant_id": variant_id, "available": quantity - remaining},
            )
    Reservation.objects.bulk_create(rows)


def release_reservations(checkout_token: Any) -> None:
    Reservation.objects.filter(checkout_token=checkout_token).delete()


def purge_expired_reservations() -> int:
    return Reservation.objects.filter(reserved_until__lte=timezone.now()).delete()[0]


def collection_points(channel: Channel | str) -> list[Warehouse]:
    """Warehouses of the channel where customers may collect their order themselves."""
    return list(
        Warehouse.objects.filter(pk__in=channel_warehouse_ids(channel))
        .exclude(click_and_collect="DISABLED")
        .order_by("name", "pk")
    )


def pickup_warehouse_ids(warehouse: Warehouse, channel: Channel | str) -> list[int]:
    """Where the stock for a pickup at ``warehouse`` may come from (its own or the channel's)."""
    if warehouse.click_and_collect == "LOCAL":
        return [warehouse.pk]
    return channel_warehouse_ids(channel)


def pickup_available(
    warehouse: Warehouse,
    variant_ids: Iterable[int],
    channel: Channel | str,
    exclude_checkout: Any = None,
) -> dict[int, int]:
    """Units available for a pickup at ``warehouse``, per variant."""
    ids = list(variant_ids)
    result = dict.fromkeys(ids, 0)
    stocks = list(
        Stock.objects.filter(
            product_variant_id__in=ids, warehouse_id__in=pickup_warehouse_ids(warehouse, channel)
        ).values_list("pk", "product_variant_id", "quantity", "quantity_allocated")
    )
    held = reserved_by_others([pk for pk, *_ in stocks], exclude_checkout)
    for pk, variant_id, quantity, allocated in stocks:
        result[variant_id] += max(quantity - allocated - held.get(pk, 0), 0)
    return result
