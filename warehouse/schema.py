"""GraphQL for warehouses, stock and shipping: staff queries and mutations.

The product types are reached by name through the core's type registry, never by
importing ``product.schema`` (DESIGN.md: a domain never imports another's schema).
"""

from __future__ import annotations

from typing import Any

import graphene

from core.errors import DomainError, NotFound
from core.graphql.pagination import CountableConnection, Ordering, connection_args, paginate
from core.graphql.schema import extendable, registered_type
from core.graphql.types import BaseMutation, Money
from core.money import money
from core.permissions import Perm, require_perm
from core.schema import Channel, CountryDisplay
from product.models import ProductVariant
from warehouse import models as m
from warehouse import services
from warehouse.services import ShippingPriceInput, StockInput


def gid(type_name: str, pk: Any) -> str:
    return graphene.relay.Node.to_global_id(type_name, pk)


def decode(value: str, type_name: str, field: str) -> int:
    from graphql_relay import from_global_id

    try:
        found, pk = from_global_id(value)
    except (ValueError, TypeError, UnicodeDecodeError):
        found, pk = "", ""
    if found != type_name or not str(pk).isdigit():
        raise DomainError(f"{value!r} is not a {type_name} id.", code="GRAPHQL_ERROR", field=field)
    return int(pk)


def decode_all(values: list[str] | None, type_name: str, field: str) -> list[int]:
    return [decode(v, type_name, field) for v in values or ()]


def channel_ref(value: str, field: str) -> Any:
    """A channel by global id or slug."""
    try:
        return decode(value, "Channel", field)
    except DomainError:
        return value


def actor(info: Any) -> Any:
    user = getattr(info.context, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


# -- types ----------------------------------------------------------------------------------


class Address(graphene.ObjectType):
    """A warehouse's address. Named apart from account's ``Address`` (which has an id):
    graphene silently keeps the first of two types with the same name."""

    company_name = graphene.String()
    street_address_1 = graphene.String()
    street_address_2 = graphene.String()
    city = graphene.String()
    city_area = graphene.String()
    postal_code = graphene.String()
    country = graphene.Field(CountryDisplay)
    country_area = graphene.String()
    phone = graphene.String()

    class Meta:
        name = "WarehouseAddress"

    @staticmethod
    def resolve_country(root: m.Warehouse, info: Any) -> CountryDisplay:
        return CountryDisplay(code=root.country.code, country=root.country.name)


@extendable
class Warehouse(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    email = graphene.String()
    address = graphene.Field(Address, required=True)
    shipping_zones = graphene.List(graphene.NonNull(lambda: ShippingZone))

    @staticmethod
    def resolve_id(root: m.Warehouse, info: Any) -> str:
        return gid("Warehouse", root.pk)

    @staticmethod
    def resolve_address(root: m.Warehouse, info: Any) -> m.Warehouse:
        return root

    @staticmethod
    def resolve_shipping_zones(root: m.Warehouse, info: Any) -> list:
        return list(root.shipping_zones.all())


@extendable
class Stock(graphene.ObjectType):
    id = graphene.ID(required=True)
    warehouse = graphene.Field(Warehouse, required=True)
    product_variant = graphene.Field(registered_type("ProductVariant"), required=True)
    quantity = graphene.Int(required=True)
    quantity_allocated = graphene.Int(required=True)

    @staticmethod
    def resolve_id(root: m.Stock, info: Any) -> str:
        return gid("Stock", root.pk)

    @staticmethod
    def resolve_product_variant(root: m.Stock, info: Any) -> ProductVariant:
        variant = root.product_variant
        variant._product = variant.product
        return variant


class ShippingMethodChannelListing(graphene.ObjectType):
    id = graphene.ID(required=True)
    channel = graphene.Field(Channel, required=True)
    price = graphene.Field(Money)
    minimum_order_price = graphene.Field(Money)
    maximum_order_price = graphene.Field(Money)

    @staticmethod
    def resolve_id(root: m.ShippingMethodChannelListing, info: Any) -> str:
        return gid("ShippingMethodChannelListing", root.pk)

    @staticmethod
    def resolve_price(root: m.ShippingMethodChannelListing, info: Any) -> Any:
        return money(root.price_amount, root.currency)

    @staticmethod
    def resolve_minimum_order_price(root: m.ShippingMethodChannelListing, info: Any) -> Any:
        amount = root.minimum_order_price_amount
        return None if amount is None else money(amount, root.currency)

    @staticmethod
    def resolve_maximum_order_price(root: m.ShippingMethodChannelListing, info: Any) -> Any:
        amount = root.maximum_order_price_amount
        return None if amount is None else money(amount, root.currency)


ShippingMethodTypeEnum = graphene.Enum(
    "ShippingMethodTypeEnum", [(v, v) for v in m.ShippingMethod.Type.values]
)


@extendable
class ShippingMethod(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    type = graphene.Field(ShippingMethodTypeEnum)
    description = graphene.String()
    minimum_delivery_days = graphene.Int()
    maximum_delivery_days = graphene.Int()
    minimum_order_weight = graphene.Float(description="kg")
    maximum_order_weight = graphene.Float(description="kg")
    channel_listings = graphene.List(graphene.NonNull(ShippingMethodChannelListing))

    @staticmethod
    def resolve_id(root: m.ShippingMethod, info: Any) -> str:
        return gid("ShippingMethod", root.pk)

    @staticmethod
    def resolve_minimum_order_weight(root: m.ShippingMethod, info: Any) -> float | None:
        return None if root.min_weight is None else float(root.min_weight)

    @staticmethod
    def resolve_maximum_order_weight(root: m.ShippingMethod, info: Any) -> float | None:
        return None if root.max_weight is None else float(root.max_weight)

    @staticmethod
    def resolve_channel_listings(root: m.ShippingMethod, info: Any) -> list:
        return list(root.channel_listings.select_related("channel"))


@extendable
class ShippingZone(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    default = graphene.Boolean(required=True)
    description = graphene.String()
    countries = graphene.List(graphene.NonNull(CountryDisplay), required=True)
    warehouses = graphene.List(graphene.NonNull(Warehouse), required=True)
    channels = graphene.List(graphene.NonNull(Channel), required=True)
    shipping_methods = graphene.List(graphene.NonNull(ShippingMethod), required=True)

    @staticmethod
    def resolve_id(root: m.ShippingZone, info: Any) -> str:
        return gid("ShippingZone", root.pk)

    @staticmethod
    def resolve_countries(root: m.ShippingZone, info: Any) -> list:
        return [CountryDisplay(code=c.code, country=c.name) for c in root.countries]

    @staticmethod
    def resolve_warehouses(root: m.ShippingZone, info: Any) -> list:
        return list(root.warehouses.all())

    @staticmethod
    def resolve_channels(root: m.ShippingZone, info: Any) -> list:
        return list(root.channels.all())

    @staticmethod
    def resolve_shipping_methods(root: m.ShippingZone, info: Any) -> list:
        return list(root.shipping_methods.all())


class WarehouseCountableConnection(CountableConnection):
    class Meta:
        node = Warehouse


class ShippingZoneCountableConnection(CountableConnection):
    class Meta:
        node = ShippingZone


# -- queries (staff) ---------------------------------------------------------------------------


class Query(graphene.ObjectType):
    warehouses = graphene.Field(WarehouseCountableConnection, **connection_args())
    warehouse = graphene.Field(Warehouse, id=graphene.ID(required=True))
    shipping_zones = graphene.Field(
        ShippingZoneCountableConnection, channel=graphene.String(), **connection_args()
    )
    shipping_zone = graphene.Field(ShippingZone, id=graphene.ID(required=True))

    @staticmethod
    def resolve_warehouses(root: Any, info: Any, **args: Any) -> Any:
        require_perm(info.context.user, Perm.MANAGE_WAREHOUSES)
        return paginate(
            m.Warehouse.objects.all(), WarehouseCountableConnection, Ordering(("slug",)), **args
        )

    @staticmethod
    def resolve_warehouse(root: Any, info: Any, id: str) -> Any:  # noqa: A002
        require_perm(info.context.user, Perm.MANAGE_WAREHOUSES)
        return m.Warehouse.objects.filter(pk=decode(id, "Warehouse", "id")).first()

    @staticmethod
    def resolve_shipping_zones(root: Any, info: Any, channel: str | None = None, **args: Any):  # noqa: ANN205
        require_perm(info.context.user, Perm.MANAGE_SHIPPING)
        qs = m.ShippingZone.objects.all()
        if channel:
            qs = qs.filter(channels__slug=channel)
        return paginate(qs, ShippingZoneCountableConnection, Ordering(("name",)), **args)

    @staticmethod
    def resolve_shipping_zone(root: Any, info: Any, id: str) -> Any:  # noqa: A002
        require_perm(info.context.user, Perm.MANAGE_SHIPPING)
        return m.ShippingZone.objects.filter(pk=decode(id, "ShippingZone", "id")).first()


# -- warehouse mutations --------------------------------------------------------------------------


class WarehouseInput(graphene.InputObjectType):
    name = graphene.String()
    slug = graphene.String()
    email = graphene.String()
    company_name = graphene.String()
    street_address_1 = graphene.String()
    street_address_2 = graphene.String()
    city = graphene.String()
    city_area = graphene.String()
    postal_code = graphene.String()
    country = graphene.String(description="ISO 3166-1 alpha-2 code.")
    country_area = graphene.String()
    phone = graphene.String()


def _warehouse_data(input: dict) -> dict:  # noqa: A002
    return {key: value for key, value in input.items() if value is not None}


class WarehouseCreate(BaseMutation):
    permission = Perm.MANAGE_WAREHOUSES
    warehouse = graphene.Field(Warehouse)

    class Arguments:
        input = WarehouseInput(required=True)

    @classmethod
    def perform(cls, info: Any, input: dict) -> dict:  # noqa: A002
        return {
            "warehouse": services.create_warehouse(actor=actor(info), data=_warehouse_data(input))
        }


class WarehouseUpdate(BaseMutation):
    permission = Perm.MANAGE_WAREHOUSES
    warehouse = graphene.Field(Warehouse)

    class Arguments:
        id = graphene.ID(required=True)
        input = WarehouseInput(required=True)

    @classmethod
    def perform(cls, info: Any, id: str, input: dict) -> dict:  # noqa: A002
        warehouse = services.update_warehouse(
            actor=actor(info),
            warehouse=decode(id, "Warehouse", "id"),
            data=_warehouse_data(input),
        )
        return {"warehouse": warehouse}


class WarehouseDelete(BaseMutation):
    permission = Perm.MANAGE_WAREHOUSES
    warehouse = graphene.Field(Warehouse)

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, info: Any, id: str) -> dict:  # noqa: A002
        deleted = services.delete_warehouse(
            actor=actor(info), warehouse=decode(id, "Warehouse", "id")
        )
        return {"warehouse": deleted}


# -- stock mutations ------------------------------------------------------------------------------


class StockInputType(graphene.InputObjectType):
    warehouse = graphene.ID(required=True)
    quantity = graphene.Int(required=True)


class StockBulkUpdateInput(graphene.InputObjectType):
    variant_id = graphene.ID()
    sku = graphene.String(description="Instead of variantId.")
    warehouse = graphene.ID(required=True)
    quantity = graphene.Int(required=True)


def _stocks_of(variant: int, specs: list[dict]) -> list[StockInput]:
    return [
        StockInput(variant, decode(s["warehouse"], "Warehouse", "warehouse"), s["quantity"])
        for s in specs
    ]


class ProductVariantStocksUpdate(BaseMutation):
    """Set the variant's quantity in the given warehouses (creating missing stock rows)."""

    permission = Perm.MANAGE_PRODUCTS
    stocks = graphene.List(graphene.NonNull(Stock))

    class Arguments:
        variant_id = graphene.ID(required=True)
        stocks = graphene.List(graphene.NonNull(StockInputType), required=True)

    @classmethod
    def perform(cls, info: Any, variant_id: str, stocks: list[dict]) -> dict:
        variant = decode(variant_id, "ProductVariant", "variantId")
        return {"stocks": services.set_stocks(actor=actor(info), items=_stocks_of(variant, stocks))}


class ProductVariantStocksDelete(BaseMutation):
    permission = Perm.MANAGE_PRODUCTS
    deleted = graphene.Int()

    class Arguments:
        variant_id = graphene.ID(required=True)
        warehouse_ids = graphene.List(graphene.NonNull(graphene.ID), required=True)

    @classmethod
    def perform(cls, info: Any, variant_id: str, warehouse_ids: list[str]) -> dict:
        count = services.delete_stocks(
            actor=actor(info),
            variant=decode(variant_id, "ProductVariant", "variantId"),
            warehouses=decode_all(warehouse_ids, "Warehouse", "warehouseIds"),
        )
        return {"deleted": count}


class StockBulkUpdate(BaseMutation):
    """Set many quantities at once (variants by id or SKU). All rows or none."""

    permission = Perm.MANAGE_PRODUCTS
    stocks = graphene.List(graphene.NonNull(Stock))

    class Arguments:
        stocks = graphene.List(graphene.NonNull(StockBulkUpdateInput), required=True)

    @classmethod
    def perform(cls, info: Any, stocks: list[dict]) -> dict:
        skus = {s["sku"] for s in stocks if s.get("sku") and not s.get("variant_id")}
        by_sku = dict(ProductVariant.objects.filter(sku__in=skus).values_list("sku", "pk"))
        items = []
        for spec in stocks:
            if spec.get("variant_id"):
                variant = decode(spec["variant_id"], "ProductVariant", "variantId")
            elif spec.get("sku") in by_sku:
                variant = by_sku[spec["sku"]]
            else:
                raise NotFound(f"No variant with SKU {spec.get('sku')!r}.", field="sku")
            warehouse = decode(spec["warehouse"], "Warehouse", "warehouse")
            items.append(StockInput(variant, warehouse, spec["quantity"]))
        return {"stocks": services.set_stocks(actor=actor(info), items=items)}


# -- shipping mutations ---------------------------------------------------------------------------


class ShippingZoneInput(graphene.InputObjectType):
    name = graphene.String()
    description = graphene.String()
    countries = graphene.List(graphene.NonNull(graphene.String))
    default = graphene.Boolean()
    add_warehouses = graphene.List(graphene.NonNull(graphene.ID))
    remove_warehouses = graphene.List(graphene.NonNull(graphene.ID))
    add_channels = graphene.List(graphene.NonNull(graphene.ID))
    remove_channels = graphene.List(graphene.NonNull(graphene.ID))


def _zone_links(input: dict) -> dict:  # noqa: A002
    return {
        "add_warehouses": decode_all(input.get("add_warehouses"), "Warehouse", "addWarehouses"),
        "remove_warehouses": decode_all(
            input.get("remove_warehouses"), "Warehouse", "removeWarehouses"
        ),
        "add_channels": [channel_ref(c, "addChannels") for c in input.get("add_channels") or ()],
        "remove_channels": [
            channel_ref(c, "removeChannels") for c in input.get("remove_channels") or ()
        ],
    }


class ShippingZoneCreate(BaseMutation):
    permission = Perm.MANAGE_SHIPPING
    shipping_zone = graphene.Field(ShippingZone)

    class Arguments:
        input = ShippingZoneInput(required=True)

    @classmethod
    def perform(cls, info: Any, input: dict) -> dict:  # noqa: A002
        links = _zone_links(input)
        zone = services.create_shipping_zone(
            actor=actor(info),
            name=input.get("name") or "",
            countries=input.get("countries") or (),
            default=bool(input.get("default")),
            description=input.get("description") or "",
            warehouses=links["add_warehouses"],
            channels=links["add_channels"],
        )
        return {"shipping_zone": zone}


class ShippingZoneUpdate(BaseMutation):
    permission = Perm.MANAGE_SHIPPING
    shipping_zone = graphene.Field(ShippingZone)

    class Arguments:
        id = graphene.ID(required=True)
        input = ShippingZoneInput(required=True)

    @classmethod
    def perform(cls, info: Any, id: str, input: dict) -> dict:  # noqa: A002
        zone = services.update_shipping_zone(
            actor=actor(info),
            zone=decode(id, "ShippingZone", "id"),
            name=input.get("name"),
            countries=input.get("countries"),
            default=input.get("default"),
            description=input.get("description"),
            **_zone_links(input),
        )
        return {"shipping_zone": zone}


class ShippingZoneDelete(BaseMutation):
    permission = Perm.MANAGE_SHIPPING
    shipping_zone = graphene.Field(ShippingZone)

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, info: Any, id: str) -> dict:  # noqa: A002
        deleted = services.delete_shipping_zone(
            actor=actor(info), zone=decode(id, "ShippingZone", "id")
        )
        return {"shipping_zone": deleted}


class ShippingPriceInputType(graphene.InputObjectType):
    class Meta:
        name = "ShippingPriceInput"

    shipping_zone = graphene.ID(description="On create.")
    name = graphene.String()
    description = graphene.String()
    type = graphene.Field(ShippingMethodTypeEnum)
    minimum_order_weight = graphene.String(description="kg")
    maximum_order_weight = graphene.String(description="kg")
    minimum_delivery_days = graphene.Int()
    maximum_delivery_days = graphene.Int()


def _method_data(input: dict) -> dict:  # noqa: A002
    renames = {"minimum_order_weight": "min_weight", "maximum_order_weight": "max_weight"}
    data = {}
    for key, value in input.items():
        if key == "shipping_zone" or value is None:
            continue
        if key == "type" and value is not None:
            value = getattr(value, "value", value)
        data[renames.get(key, key)] = value
    return data


class ShippingPriceCreate(BaseMutation):
    permission = Perm.MANAGE_SHIPPING
    shipping_method = graphene.Field(ShippingMethod)

    class Arguments:
        input = ShippingPriceInputType(required=True)

    @classmethod
    def perform(cls, info: Any, input: dict) -> dict:  # noqa: A002
        if not input.get("shipping_zone"):
            raise DomainError("Name the shipping zone.", code="REQUIRED", field="shippingZone")
        method = services.create_shipping_method(
            actor=actor(info),
            zone=decode(input["shipping_zone"], "ShippingZone", "shippingZone"),
            data=_method_data(input),
        )
        return {"shipping_method": method}


class ShippingPriceUpdate(BaseMutation):
    permission = Perm.MANAGE_SHIPPING
    shipping_method = graphene.Field(ShippingMethod)

    class Arguments:
        id = graphene.ID(required=True)
        input = ShippingPriceInputType(required=True)

    @classmethod
    def perform(cls, info: Any, id: str, input: dict) -> dict:  # noqa: A002
        method = services.update_shipping_method(
            actor=actor(info),
            method=decode(id, "ShippingMethod", "id"),
            data=_method_data(input),
        )
        return {"shipping_method": method}


class ShippingPriceDelete(BaseMutation):
    permission = Perm.MANAGE_SHIPPING
    shipping_method = graphene.Field(ShippingMethod)

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, info: Any, id: str) -> dict:  # noqa: A002
        deleted = services.delete_shipping_method(
            actor=actor(info), method=decode(id, "ShippingMethod", "id")
        )
        return {"shipping_method": deleted}


class ShippingMethodChannelListingAddInput(graphene.InputObjectType):
    channel_id = graphene.ID(required=True, description="Channel global id or slug.")
    price = graphene.String(required=True, description='Decimal amount, e.g. "2500.00".')
    minimum_order_price = graphene.String()
    maximum_order_price = graphene.String()


class ShippingMethodChannelListingInput(graphene.InputObjectType):
    add_channels = graphene.List(graphene.NonNull(ShippingMethodChannelListingAddInput))
    remove_channels = graphene.List(graphene.NonNull(graphene.ID))


class ShippingMethodChannelListingUpdate(BaseMutation):
    permission = Perm.MANAGE_SHIPPING
    shipping_method = graphene.Field(ShippingMethod)

    class Arguments:
        id = graphene.ID(required=True)
        input = ShippingMethodChannelListingInput(required=True)

    @classmethod
    def perform(cls, info: Any, id: str, input: dict) -> dict:  # noqa: A002
        method = services.update_shipping_method_channel_listings(
            actor=actor(info),
            method=decode(id, "ShippingMethod", "id"),
            update=[
                ShippingPriceInput(
                    channel_ref(spec["channel_id"], "addChannels"),
                    spec["price"],
                    spec.get("minimum_order_price"),
                    spec.get("maximum_order_price"),
                )
                for spec in input.get("add_channels") or ()
            ],
            remove=[channel_ref(c, "removeChannels") for c in input.get("remove_channels") or ()],
        )
        return {"shipping_method": method}


class Mutation(graphene.ObjectType):
    warehouse_create = WarehouseCreate.Field()
    warehouse_update = WarehouseUpdate.Field()
    warehouse_delete = WarehouseDelete.Field()
    product_variant_stocks_update = ProductVariantStocksUpdate.Field()
    product_variant_stocks_delete = ProductVariantStocksDelete.Field()
    stock_bulk_update = StockBulkUpdate.Field()
    shipping_zone_create = ShippingZoneCreate.Field()
    shipping_zone_update = ShippingZoneUpdate.Field()
    shipping_zone_delete = ShippingZoneDelete.Field()
    shipping_price_create = ShippingPriceCreate.Field()
    shipping_price_update = ShippingPriceUpdate.Field()
    shipping_price_delete = ShippingPriceDelete.Field()
    shipping_method_channel_listing_update = ShippingMethodChannelListingUpdate.Field()
