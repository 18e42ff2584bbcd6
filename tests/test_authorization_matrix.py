"""Who may call what: every root Query and Mutation field of the live schema, role by role.

Each field has an entry in ``MATRIX`` saying which roles may use it; a field
without one fails ``test_every_field_has_an_entry`` (add an entry when you add a
field). For each entry the operation is run, over HTTP with a JWT, as:

* ``anonymous``; ``customer_a`` (owns the resources in the variables);
  ``customer_b`` (another customer); ``staff_without`` (staff, no permission);
  ``staff_with`` (staff holding the entry's permission).

A refused role must get a PERMISSION_DENIED error (a signed-in person reaching
for someone else's object may get NOT_FOUND instead, which does not reveal that
it exists), never an empty result that looks like success, and nothing may have
been written. An allowed role must not get PERMISSION_DENIED nor an internal
error. Operations are generated from the schema with placeholder arguments
(``"0"`` ids, ``"x"`` strings...), so an allowed call usually ends in a typed
NOT_FOUND or INVALID error: the point is that the permission check let it in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import graphene
import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    Undefined,
    get_named_type,
)

from core.permissions import Perm

ROLES = ("anonymous", "customer_a", "customer_b", "staff_without", "staff_with")
CUSTOMERS = frozenset({"customer_a", "customer_b"})
STAFF = frozenset({"staff_without", "staff_with"})
DENIED = "PERMISSION_DENIED"


@dataclass(frozen=True)
class Rule:
    """Who may call a field. ``perm`` is what ``staff_with`` holds."""

    allowed: frozenset[str]
    perm: Perm | None = None
    #: Variables naming customer A's resources: ``world -> {name: value}``.
    variables: Callable[[Any], dict] | None = None
    #: Codes that also refuse a non-owner (hiding that another's object exists).
    hiding_codes: frozenset[str] = field(default_factory=frozenset)
    #: A refused query may answer null instead (``checkout(id)`` of someone else).
    null_hides: bool = False


def staff(perm: Perm) -> Rule:
    return Rule(frozenset({"staff_with"}), perm)


ANY_STAFF = Rule(STAFF)
SIGNED_IN = Rule(CUSTOMERS | STAFF)


def owner(variables: Callable[[Any], dict], *, null_hides: bool = False) -> Rule:
    return Rule(
        frozenset({"customer_a"}),
        variables=variables,
        hiding_codes=frozenset({"NOT_FOUND"}),
        null_hides=null_hides,
    )


def _address(world: Any) -> dict:
    return {"id": graphene.relay.Node.to_global_id("Address", world.address.pk)}


def _checkout(world: Any) -> dict:
    return {"id": graphene.relay.Node.to_global_id("Checkout", world.checkout.token)}


def _user_a(world: Any) -> dict:
    return {"id": graphene.relay.Node.to_global_id("User", world.customer_a.pk)}


#: Open to everyone (storefront reads, sign-up and sign-in): only checked not to refuse anonymous.
PUBLIC = frozenset(
    {
        "me",
        "shop",
        "channel",
        "product",
        "products",
        "productVariant",
        "productVariants",
        "category",
        "categories",
        "collection",
        "collections",
        "attribute",
        "attributes",
        "accountRegister",
        "confirmAccount",
        "tokenCreate",
        "tokenRefresh",
        "tokenVerify",
        "requestPasswordReset",
        "setPassword",
        "externalObtainAccessTokens",
        "checkoutCreate",
        # By secret id: a transaction's token; an order: yours, or any with MANAGE_ORDERS,
        # else null (order's own tests cover who sees which order).
        "transactionProcess",
        "order",
        # plugins/measurements: estimates from numbers the caller sends; nothing stored
        "measurementEstimate",
    }
)

MATRIX: dict[str, Rule] = {
    # -- core -------------------------------------------------------------------------------
    "channels": ANY_STAFF,
    "plugins": staff(Perm.MANAGE_PLUGINS),
    "plugin": staff(Perm.MANAGE_PLUGINS),
    "pluginUpdate": staff(Perm.MANAGE_PLUGINS),
    "eventDeliveries": staff(Perm.MANAGE_PLUGINS),
    "eventDeliveryRequeue": staff(Perm.MANAGE_PLUGINS),
    "outboxStats": staff(Perm.MANAGE_PLUGINS),
    # -- accounts: the signed-in person --------------------------------------------------------
    "accountUpdate": SIGNED_IN,
    "passwordChange": SIGNED_IN,
    "tokensDeactivateAll": SIGNED_IN,
    "accountRequestDeletion": SIGNED_IN,
    "accountDelete": SIGNED_IN,
    "accountAddressCreate": SIGNED_IN,
    "accountAddressUpdate": owner(_address),
    "accountAddressDelete": owner(_address),
    "accountSetDefaultAddress": owner(_address),
    # -- accounts: staff ------------------------------------------------------------------------
    "customers": staff(Perm.MANAGE_USERS),
    "user": Rule(frozenset({"staff_with"}), Perm.MANAGE_USERS, variables=_user_a),
    "customerCreate": staff(Perm.MANAGE_USERS),
    "customerUpdate": staff(Perm.MANAGE_USERS),
    "customerDelete": staff(Perm.MANAGE_USERS),
    "staffUsers": staff(Perm.MANAGE_STAFF),
    "staffCreate": staff(Perm.MANAGE_STAFF),
    "staffUpdate": staff(Perm.MANAGE_STAFF),
    "staffDelete": staff(Perm.MANAGE_STAFF),
    "permissionGroups": staff(Perm.MANAGE_STAFF),
    "permissionGroup": staff(Perm.MANAGE_STAFF),
    "permissionGroupCreate": staff(Perm.MANAGE_STAFF),
    "permissionGroupUpdate": staff(Perm.MANAGE_STAFF),
    "permissionGroupDelete": staff(Perm.MANAGE_STAFF),
    "auditEvents": staff(Perm.VIEW_AUDIT_LOG),
    # -- catalog ----------------------------------------------------------------------------------
    "productTypes": staff(Perm.MANAGE_PRODUCT_TYPES_AND_ATTRIBUTES),
    "attributeCreate": staff(Perm.MANAGE_PRODUCT_TYPES_AND_ATTRIBUTES),
    "attributeUpdate": staff(Perm.MANAGE_PRODUCT_TYPES_AND_ATTRIBUTES),
    "attributeDelete": staff(Perm.MANAGE_PRODUCT_TYPES_AND_ATTRIBUTES),
    "productTypeCreate": staff(Perm.MANAGE_PRODUCT_TYPES_AND_ATTRIBUTES),
    "productTypeUpdate": staff(Perm.MANAGE_PRODUCT_TYPES_AND_ATTRIBUTES),
    "productTypeDelete": staff(Perm.MANAGE_PRODUCT_TYPES_AND_ATTRIBUTES),
    "categoryCreate": staff(Perm.MANAGE_PRODUCTS),
    "categoryUpdate": staff(Perm.MANAGE_PRODUCTS),
    "categoryDelete": staff(Perm.MANAGE_PRODUCTS),
    "collectionCreate": staff(Perm.MANAGE_PRODUCTS),
    "collectionUpdate": staff(Perm.MANAGE_PRODUCTS),
    "collectionDelete": staff(Perm.MANAGE_PRODUCTS),
    "collectionAddProducts": staff(Perm.MANAGE_PRODUCTS),
    "collectionRemoveProducts": staff(Perm.MANAGE_PRODUCTS),
    "collectionChannelListingUpdate": staff(Perm.MANAGE_PRODUCTS),
    "productCreate": staff(Perm.MANAGE_PRODUCTS),
    "productUpdate": staff(Perm.MANAGE_PRODUCTS),
    "productDelete": staff(Perm.MANAGE_PRODUCTS),
    "productChannelListingUpdate": staff(Perm.MANAGE_PRODUCTS),
    "productMediaCreate": staff(Perm.MANAGE_PRODUCTS),
    "productMediaUpdate": staff(Perm.MANAGE_PRODUCTS),
    "productMediaDelete": staff(Perm.MANAGE_PRODUCTS),
    "productMediaReorder": staff(Perm.MANAGE_PRODUCTS),
    "productVariantCreate": staff(Perm.MANAGE_PRODUCTS),
    "productVariantUpdate": staff(Perm.MANAGE_PRODUCTS),
    "productVariantDelete": staff(Perm.MANAGE_PRODUCTS),
    "productVariantChannelListingUpdate": staff(Perm.MANAGE_PRODUCTS),
    "productVariantStocksUpdate": staff(Perm.MANAGE_PRODUCTS),
    "productVariantStocksDelete": staff(Perm.MANAGE_PRODUCTS),
    "stockBulkUpdate": staff(Perm.MANAGE_PRODUCTS),
    "attributeTranslate": staff(Perm.MANAGE_TRANSLATIONS),
    "attributeValueTranslate": staff(Perm.MANAGE_TRANSLATIONS),
    "categoryTranslate": staff(Perm.MANAGE_TRANSLATIONS),
    "collectionTranslate": staff(Perm.MANAGE_TRANSLATIONS),
    "productTranslate": staff(Perm.MANAGE_TRANSLATIONS),
    "productVariantTranslate": staff(Perm.MANAGE_TRANSLATIONS),
    # -- warehouses and shipping -----------------------------------------------------------------
    "warehouses": staff(Perm.MANAGE_WAREHOUSES),
    "warehouse": staff(Perm.MANAGE_WAREHOUSES),
    "warehouseCreate": staff(Perm.MANAGE_WAREHOUSES),
    "warehouseUpdate": staff(Perm.MANAGE_WAREHOUSES),
    "warehouseDelete": staff(Perm.MANAGE_WAREHOUSES),
    "shippingZones": staff(Perm.MANAGE_SHIPPING),
    "shippingZone": staff(Perm.MANAGE_SHIPPING),
    "shippingZoneCreate": staff(Perm.MANAGE_SHIPPING),
    "shippingZoneUpdate": staff(Perm.MANAGE_SHIPPING),
    "shippingZoneDelete": staff(Perm.MANAGE_SHIPPING),
    "shippingPriceCreate": staff(Perm.MANAGE_SHIPPING),
    "shippingPriceUpdate": staff(Perm.MANAGE_SHIPPING),
    "shippingPriceDelete": staff(Perm.MANAGE_SHIPPING),
    "shippingMethodChannelListingUpdate": staff(Perm.MANAGE_SHIPPING),
    # -- checkout and payment: a checkout attached to customer A is A's alone -------------------
    "checkout": owner(_checkout, null_hides=True),
    "checkoutLinesAdd": owner(_checkout),
    "checkoutLinesUpdate": owner(_checkout),
    "checkoutLinesDelete": owner(_checkout),
    "checkoutEmailUpdate": owner(_checkout),
    "checkoutShippingAddressUpdate": owner(_checkout),
    "checkoutBillingAddressUpdate": owner(_checkout),
    "checkoutDeliveryMethodUpdate": owner(_checkout),
    "checkoutAddPromoCode": owner(_checkout),
    "checkoutRemovePromoCode": owner(_checkout),
    "checkoutCustomerAttach": owner(_checkout),
    "checkoutComplete": owner(_checkout),
    "checkoutPaymentCreate": owner(_checkout),
    "paymentGatewayInitialize": owner(_checkout),
    "transactionInitialize": owner(_checkout),
    "transaction": staff(Perm.MANAGE_PAYMENTS),
    "transactionRequestAction": staff(Perm.MANAGE_PAYMENTS),
    # -- orders ---------------------------------------------------------------------------------
    "orders": staff(Perm.MANAGE_ORDERS),
    "orderFulfill": staff(Perm.MANAGE_ORDERS),
    "orderConfirm": staff(Perm.MANAGE_ORDERS),
    "orderCancel": staff(Perm.MANAGE_ORDERS),
    "orderNoteAdd": staff(Perm.MANAGE_ORDERS),
    "orderRefund": staff(Perm.MANAGE_ORDERS),
    "orderGrantRefundCreate": staff(Perm.MANAGE_ORDERS),
    "fulfillmentReturnProducts": staff(Perm.MANAGE_ORDERS),
    "invoiceRequest": staff(Perm.MANAGE_ORDERS),
    # -- installed plugins (present only when installed) ---------------------------------------
    "loyaltyBalance": Rule(
        frozenset({"customer_a"}) | STAFF,
        variables=lambda world: {"email": world.customer_a.email},
    ),
    # plugins/webhooks: apps and webhooks
    **dict.fromkeys(
        (
            "apps",
            "app",
            "webhookDeliveries",
            "webhookEventTypes",
            "appCreate",
            "appUpdate",
            "appDelete",
            "appTokenCreate",
            "appTokenDelete",
            "webhookCreate",
            "webhookUpdate",
            "webhookDelete",
            "webhookDryRun",
            "webhookDeliveryResend",
        ),
        staff(Perm.MANAGE_APPS),
    ),
    # plugins/measurements: a signed-in person's own profiles; size charts for staff
    **dict.fromkeys(
        (
            "measurementProfileCreate",
            "measurementProfileUpdate",
            "measurementProfileDelete",
            "measurementFitFeedback",
        ),
        SIGNED_IN,
    ),
    "productsWithoutSizeChart": staff(Perm.MANAGE_PRODUCTS),
    "sizeChartImport": staff(Perm.MANAGE_PRODUCTS),
    # plugins/giftcards: staff manage cards (customers see theirs through me { giftCards })
    **dict.fromkeys(
        (
            "giftCards",
            "giftCard",
            "giftCardCreate",
            "giftCardUpdate",
            "giftCardActivate",
            "giftCardDeactivate",
        ),
        staff(Perm.MANAGE_GIFT_CARDS),
    ),
    # plugins/reviews and plugins/wishlists: a signed-in person's own reviews and wishlist;
    # moderation for staff
    **dict.fromkeys(
        (
            "productReviewCreate",
            "productReviewUpdate",
            "productReviewDelete",
            "productReviewReport",
            "wishlistAddProduct",
            "wishlistRemoveProduct",
        ),
        SIGNED_IN,
    ),
    "productReviews": staff(Perm.MANAGE_REVIEWS),
    "productReviewModerate": staff(Perm.MANAGE_REVIEWS),
}


# -- the live schema ---------------------------------------------------------------------------


def root_fields() -> dict[str, tuple[str, Any]]:
    """``{field name: (operation type, GraphQLField)}`` of the Query and Mutation roots."""
    from core.graphql.schema import get_schema

    schema = get_schema().graphql_schema
    fields: dict[str, tuple[str, Any]] = {}
    for operation, root in (("query", schema.query_type), ("mutation", schema.mutation_type)):
        for name, definition in (root.fields if root else {}).items():
            fields[name] = (operation, definition)
    return fields


_SCALARS = {
    "ID": '"0"',
    "String": '"x"',
    "Int": "1",
    "Float": "1.0",
    "Boolean": "false",
    "Decimal": '"1"',
    "PositiveDecimal": '"1"',
    "DateTime": '"2020-01-01T00:00:00+00:00"',
    "Date": '"2020-01-01"',
    "JSONString": '"{}"',
    "JSON": "{}",
    "GenericScalar": "{}",
}


def placeholder(kind: Any) -> str:
    """A literal of ``kind`` that passes validation: the smallest with every required field."""
    if isinstance(kind, GraphQLNonNull):
        return placeholder(kind.of_type)
    if isinstance(kind, GraphQLList):
        return "[]"
    if isinstance(kind, GraphQLEnumType):
        return next(iter(kind.values))
    if isinstance(kind, GraphQLInputObjectType):
        parts = [
            f"{name}: {placeholder(sub.type)}"
            for name, sub in kind.fields.items()
            if isinstance(sub.type, GraphQLNonNull) and sub.default_value is Undefined
        ]
        return "{" + ", ".join(parts) + "}"
    if isinstance(kind, GraphQLScalarType):
        return _SCALARS.get(kind.name, '"x"')
    raise TypeError(f"no placeholder for {kind}")


def selection(kind: Any) -> str:
    named = get_named_type(kind)
    if isinstance(named, GraphQLObjectType):
        if "errors" in named.fields:
            return "{ __typename errors { field code message } }"
        return "{ __typename }"
    return ""


def operation(name: str, operation_type: str, definition: Any, variables: dict) -> str:
    """``mutation { name(arg: placeholder...) { errors {...} } }``; given variables are used."""
    declared = []
    arguments = []
    for arg_name, arg in definition.args.items():
        if arg_name in variables:
            declared.append(f"${arg_name}: {arg.type}")
            arguments.append(f"{arg_name}: ${arg_name}")
        elif isinstance(arg.type, GraphQLNonNull) and arg.default_value is Undefined:
            arguments.append(f"{arg_name}: {placeholder(arg.type)}")
    header = f"({', '.join(declared)})" if declared else ""
    call = f"({', '.join(arguments)})" if arguments else ""
    return f"{operation_type} Check{header} {{ {name}{call} {selection(definition.type)} }}"


# -- people ----------------------------------------------------------------------------------------


@dataclass
class World:
    customer_a: Any
    customer_b: Any
    staff_without: Any
    address: Any
    checkout: Any

    def staff_with(self, perm: Perm | None) -> Any:
        from account.models import User
        from tests.conftest import grant

        user = User.objects.create_user(
            email="granted@example.com", password="x", is_staff=True, is_confirmed=True
        )
        return grant(user, perm.value) if perm else user

    def fingerprint(self) -> tuple:
        """What a refused call must leave untouched."""
        from django.apps import apps

        rows = []
        for label in WATCHED_MODELS:
            model = apps.get_model(label)
            rows.append(sorted(map(repr, model.objects.order_by().values_list())))
        return tuple(rows)


#: Tables a refused call must leave as they were.
WATCHED_MODELS = (
    "account.User",
    "account.Address",
    "auth.Group",
    "checkout.Checkout",
    "checkout.CheckoutLine",
    "order.Order",
    "payment.Transaction",
    "giftcards.GiftCard",
    "giftcards.GiftCardEvent",
)


@pytest.fixture
def world(db: Any) -> World:
    from account.models import Address, User
    from checkout.services import create_checkout
    from core.models import Channel

    def customer(email: str) -> Any:
        return User.objects.create_user(email=email, password="x", is_confirmed=True)

    a = customer("a@example.com")
    address = Address.objects.create(
        first_name="A", street_address_1="1 Allen Avenue", city="IKEJA", country="NG"
    )
    a.addresses.add(address)
    a.default_shipping_address = address
    a.save()
    Channel.objects.create(
        name="Nigeria", slug="default-channel", currency_code="NGN", default_country="NG"
    )
    checkout = create_checkout(user=a, channel="default-channel")
    return World(
        customer_a=a,
        customer_b=customer("b@example.com"),
        staff_without=User.objects.create_user(
            email="staff@example.com", password="x", is_staff=True, is_confirmed=True
        ),
        address=address,
        checkout=checkout,
    )


def call(gql: Any, document: str, variables: dict, user: Any) -> dict:
    from account.tokens import create_access_token

    headers = {}
    if user is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {create_access_token(user)}"
    response = gql.raw({"query": document, "variables": variables}, **headers)
    assert response.status_code in (200, 400), response.content
    return response.json()


def codes(name: str, body: dict) -> set[str]:
    found = {(e.get("extensions") or {}).get("code") for e in body.get("errors", [])}
    payload = (body.get("data") or {}).get(name)
    if isinstance(payload, dict):
        found |= {e["code"] for e in payload.get("errors") or []}
    return found


# -- the tests -------------------------------------------------------------------------------------


def test_every_field_has_an_entry() -> None:
    missing = sorted(set(root_fields()) - set(MATRIX) - PUBLIC)

    assert not missing, (
        "add these fields to MATRIX (who may call them) or PUBLIC in "
        f"tests/test_authorization_matrix.py: {missing}"
    )


def test_entries_agree_with_declared_mutation_permissions() -> None:
    from core.graphql.schema import get_schema

    disagreements = []
    for name, definition in get_schema().mutation._meta.fields.items():
        kind = definition.type
        while hasattr(kind, "of_type"):
            kind = kind.of_type
        declared = getattr(kind, "permission", None)
        camel = graphene.utils.str_converters.to_camel_case(name)
        rule = MATRIX.get(camel)
        if declared is not None and (rule is None or rule.perm != declared):
            disagreements.append(f"{camel}: declares {declared}, matrix says {rule}")
    assert not disagreements, "\n".join(disagreements)


def _unwrap(kind: Any) -> Any:
    while hasattr(kind, "of_type"):
        kind = kind.of_type
    if callable(kind) and not isinstance(kind, type):
        return _unwrap(kind())
    return kind


def _shape(kind: type) -> Any:
    """What a client sees of a type: enum values, or field names and their type names."""
    meta = kind._meta
    enum = getattr(meta, "enum", None)
    if enum is not None:
        return tuple(sorted((m.name, str(m.value)) for m in enum))
    fields = getattr(meta, "fields", None) or {}
    return tuple(
        sorted((name, getattr(_unwrap(f.type), "__name__", "")) for name, f in fields.items())
    )


def test_no_two_different_graphql_types_share_a_name() -> None:
    """graphene silently keeps the first type of a name, so another module's type can
    shadow yours (and this matrix would test the wrong one). Identical twins are harmless."""
    from core.graphql.schema import get_schema

    seen: dict[str, set[type]] = {}
    todo: list[Any] = [get_schema().query, get_schema().mutation]
    visited: set[type] = set()
    while todo:
        kind = _unwrap(todo.pop())
        if not isinstance(kind, type) or kind in visited or not hasattr(kind, "_meta"):
            continue
        visited.add(kind)
        seen.setdefault(kind._meta.name, set()).add(kind)
        for sub in (getattr(kind._meta, "fields", None) or {}).values():
            todo.append(getattr(sub, "type", None))
            for argument in (getattr(sub, "args", None) or {}).values():
                todo.append(getattr(argument, "type", None))
    clashes = {
        name: kinds for name, kinds in seen.items() if len({_shape(kind) for kind in kinds}) > 1
    }
    assert not clashes, "different types sharing a name: " + ", ".join(
        f"{name} ({', '.join(sorted(k.__module__ for k in kinds))})"
        for name, kinds in sorted(clashes.items())
    )


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_public_fields_do_not_refuse_anonymous(gql: Any, world: World, name: str) -> None:
    fields = root_fields()
    if name not in fields:
        pytest.skip(f"{name} is not in this schema")
    operation_type, definition = fields[name]
    body = call(gql, operation(name, operation_type, definition, {}), {}, None)

    assert DENIED not in codes(name, body), body
    assert "INTERNAL_SERVER_ERROR" not in codes(name, body), body


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_authorization(gql: Any, world: World, name: str) -> None:
    fields = root_fields()
    if name not in fields:
        pytest.skip(f"{name} is not in this schema (plugin not installed)")
    rule = MATRIX[name]
    operation_type, definition = fields[name]
    variables = rule.variables(world) if rule.variables else {}
    document = operation(name, operation_type, definition, variables)
    users = {
        "anonymous": None,
        "customer_a": world.customer_a,
        "customer_b": world.customer_b,
        "staff_without": world.staff_without,
        "staff_with": world.staff_with(rule.perm),
    }
    refused = [role for role in ROLES if role not in rule.allowed]
    allowed = [role for role in ROLES if role in rule.allowed]

    for role in refused:
        before = world.fingerprint()
        body = call(gql, document, variables, users[role])
        found = codes(name, body)
        hidden = bool(found & rule.hiding_codes) or (
            rule.null_hides and not found and (body.get("data") or {}).get(name) is None
        )
        assert DENIED in found or hidden, f"{name} as {role} was not refused: {body}"
        assert world.fingerprint() == before, f"{name} as {role} changed data"

    for role in allowed:
        body = call(gql, document, variables, users[role])
        found = codes(name, body)
        assert DENIED not in found, f"{name} as {role} was refused: {body}"
        assert "INTERNAL_SERVER_ERROR" not in found, f"{name} as {role} crashed: {body}"


@pytest.mark.django_db
def test_me_is_each_persons_own_data(gql: Any, world: World) -> None:
    document = "{ me { email addresses { city } orders(first: 5) { totalCount } } }"

    assert call(gql, document, {}, None) == {"data": {"me": None}}
    assert call(gql, document, {}, world.customer_a)["data"]["me"] == {
        "email": "a@example.com",
        "addresses": [{"city": "IKEJA"}],
        "orders": {"totalCount": 0},
    }
    assert call(gql, document, {}, world.customer_b)["data"]["me"] == {
        "email": "b@example.com",
        "addresses": [],
        "orders": {"totalCount": 0},
    }
