"""GraphQL documents and helpers shared by the checkout, order and payment API tests:
what a storefront or a dashboard sends, nothing more."""

from __future__ import annotations

from typing import Any

import graphene
from django.test import Client

from tests.conftest import GraphQLClient, grant

DUMMY = "fashionistar.payments.dummy"


def gid(type_name: str, pk: Any) -> str:
    return graphene.relay.Node.to_global_id(type_name, pk)


def address_input(address: dict[str, str]) -> dict[str, str]:
    """LAGOS / NEW_YORK (snake_case service dicts) -> AddressInput (camelCase)."""
    names = {
        "first_name": "firstName",
        "last_name": "lastName",
        "company_name": "companyName",
        "street_address_1": "streetAddress1",
        "street_address_2": "streetAddress2",
        "city_area": "cityArea",
        "postal_code": "postalCode",
        "country_area": "countryArea",
    }
    return {names.get(key, key): value for key, value in address.items()}


def client_for(user: Any = None, *perms: str) -> GraphQLClient:
    """A GraphQL client signed in as ``user`` (session), holding ``perms``; anonymous if None."""
    client = Client()
    if user is not None:
        if perms:
            user = grant(user, *perms)
        client.force_login(user)
    return GraphQLClient(client)


def make_customer(email: str) -> Any:
    from account.models import User

    return User.objects.create_user(email=email, password="x", is_confirmed=True)


ERRORS = "errors { field code message }"

CHECKOUT = """
fragment CheckoutDetails on Checkout {
  id token email channel { slug }
  lines {
    id quantity
    variant { id sku name product { name } }
    unitPrice { gross { amount currency } }
    undiscountedUnitPrice { amount currency }
    totalPrice { currency net { amount } gross { amount } tax { amount } }
  }
  quantity
  subtotalPrice { gross { amount currency } }
  shippingPrice { gross { amount currency } }
  totalPrice { currency net { amount } gross { amount } tax { amount } }
  shippingMethods { id name price { amount currency } minimumDeliveryDays maximumDeliveryDays }
  availablePaymentGateways { id name currencies config { field value } }
  deliveryMethod { __typename ... on ShippingMethod { id name price { amount } } }
  shippingAddress { firstName lastName streetAddress1 city countryArea country { code country } }
  billingAddress { firstName city country { code } }
  voucherCode discount { amount } giftCards { id }
  isShippingRequired authorizeStatus chargeStatus
  problems { field code message }
  transactions { id chargedAmount { amount } }
}
"""

CHECKOUT_QUERY = (
    CHECKOUT
    + """
query Checkout($id: ID) { checkout(id: $id) { ...CheckoutDetails } }
"""
)


def mutation(name: str, args: str, params: str, extra: str = "") -> str:
    """``mutation($args) { name(params) { checkout { ...CheckoutDetails } errors } }``."""
    return (
        CHECKOUT
        + f"""
mutation Op({args}) {{
  {name}({params}) {{ checkout {{ ...CheckoutDetails }} {extra} {ERRORS} }}
}}
"""
    )


CREATE = mutation("checkoutCreate", "$input: CheckoutCreateInput!", "input: $input")
LINES_ADD = mutation(
    "checkoutLinesAdd", "$id: ID, $lines: [CheckoutLineInput!]!", "id: $id, lines: $lines"
)
LINES_UPDATE = mutation(
    "checkoutLinesUpdate",
    "$id: ID, $lines: [CheckoutLineUpdateInput!]!",
    "id: $id, lines: $lines",
)
LINES_DELETE = mutation(
    "checkoutLinesDelete", "$id: ID, $linesIds: [ID!]!", "id: $id, linesIds: $linesIds"
)
EMAIL_UPDATE = mutation("checkoutEmailUpdate", "$id: ID, $email: String!", "id: $id, email: $email")
SHIPPING_ADDRESS = mutation(
    "checkoutShippingAddressUpdate",
    "$id: ID, $address: AddressInput!",
    "id: $id, shippingAddress: $address",
)
BILLING_ADDRESS = mutation(
    "checkoutBillingAddressUpdate",
    "$id: ID, $address: AddressInput!",
    "id: $id, billingAddress: $address",
)
DELIVERY_METHOD = mutation(
    "checkoutDeliveryMethodUpdate",
    "$id: ID, $method: ID",
    "id: $id, deliveryMethodId: $method",
)
ADD_PROMO = mutation("checkoutAddPromoCode", "$id: ID, $code: String!", "id: $id, promoCode: $code")
REMOVE_PROMO = mutation(
    "checkoutRemovePromoCode", "$id: ID, $code: String", "id: $id, promoCode: $code"
)
CUSTOMER_ATTACH = mutation("checkoutCustomerAttach", "$id: ID", "id: $id")

ORDER = """
fragment OrderDetails on Order {
  id number token status created channel { slug } userEmail user { email }
  lines {
    id productName variantName productSku quantity quantityFulfilled
    unitPrice { gross { amount currency } } totalPrice { gross { amount } }
    variant { id sku }
  }
  subtotal { gross { amount } } shippingPrice { gross { amount } }
  total { currency net { amount } gross { amount } tax { amount } }
  chargeStatus authorizeStatus isPaid
  totalCharged { amount } totalRefunded { amount }
  fulfillments { id fulfillmentOrder status trackingNumber lines { quantity orderLine { id } } }
  transactions { id chargedAmount { amount } events { type amount { amount } pspReference createdAt } }
  invoices { id number url status }
  shippingAddress { firstName city country { code } }
  billingAddress { firstName }
  shippingMethodName voucherCode discount { amount }
}
"""

COMPLETE = (
    ORDER
    + f"""
mutation Complete($id: ID) {{
  checkoutComplete(id: $id) {{ order {{ ...OrderDetails }} confirmationNeeded {ERRORS} }}
}}
"""
)

TRANSACTION = """
fragment TransactionDetails on TransactionItem {
  id token name pspReference actions
  authorizedAmount { amount currency } chargedAmount { amount currency }
  chargePendingAmount { amount } refundedAmount { amount }
  events { type amount { amount } pspReference message }
}
"""

TRANSACTION_INITIALIZE = (
    TRANSACTION
    + f"""
mutation Pay($id: ID!, $gateway: PaymentGatewayToInitialize!, $amount: PositiveDecimal,
             $action: TransactionFlowStrategyEnum) {{
  transactionInitialize(id: $id, paymentGateway: $gateway, amount: $amount, action: $action) {{
    transaction {{ ...TransactionDetails }}
    transactionEvent {{ type amount {{ amount }} pspReference }}
    data {ERRORS}
  }}
}}
"""
)


def ok(body: dict, name: str) -> dict:
    """The payload of mutation ``name``, asserting it carries no errors."""
    assert "errors" not in body, body
    payload = body["data"][name]
    assert payload["errors"] == [], payload["errors"]
    return payload


def codes(body: dict, name: str) -> list[str]:
    """The error codes of mutation ``name`` (asserting the request itself succeeded)."""
    assert "errors" not in body, body
    return [e["code"] for e in body["data"][name]["errors"]]


class Storefront:
    """A storefront session: the calls a client makes, in order."""

    def __init__(self, gql: GraphQLClient, channel: str = "default-channel") -> None:
        self.gql = gql
        self.channel = channel

    def create(self, lines: list[tuple[Any, int]], email: str | None = "buyer@example.com") -> dict:
        body = self.gql(
            CREATE,
            {
                "input": {
                    "channel": self.channel,
                    "email": email,
                    "lines": [
                        {"variantId": gid("ProductVariant", v.pk), "quantity": q} for v, q in lines
                    ],
                }
            },
        )
        return ok(body, "checkoutCreate")["checkout"]

    def ship_to(self, checkout_id: str, address: dict[str, str]) -> dict:
        body = self.gql(SHIPPING_ADDRESS, {"id": checkout_id, "address": address_input(address)})
        return ok(body, "checkoutShippingAddressUpdate")["checkout"]

    def deliver_by(self, checkout_id: str, method: Any) -> dict:
        body = self.gql(
            DELIVERY_METHOD, {"id": checkout_id, "method": gid("ShippingMethod", method.pk)}
        )
        return ok(body, "checkoutDeliveryMethodUpdate")["checkout"]

    def pay(self, source_id: str, result: str = "success", amount: Any = None) -> dict:
        body = self.gql(
            TRANSACTION_INITIALIZE,
            {
                "id": source_id,
                "gateway": {"id": DUMMY, "data": {"result": result}},
                "amount": amount,
            },
        )
        return ok(body, "transactionInitialize")

    def complete(self, checkout_id: str) -> dict:
        return ok(self.gql(COMPLETE, {"id": checkout_id}), "checkoutComplete")["order"]

    def ready(
        self,
        lines: list[tuple[Any, int]],
        address: dict[str, str],
        method: Any,
        email: str | None = "buyer@example.com",
    ) -> dict:
        checkout = self.create(lines, email)
        self.ship_to(checkout["id"], address)
        return self.deliver_by(checkout["id"], method)

    def buy(
        self,
        lines: list[tuple[Any, int]],
        address: dict[str, str],
        method: Any,
        email: str | None = "buyer@example.com",
    ) -> dict:
        """Cart to paid order, as a client does it; returns the order."""
        checkout = self.ready(lines, address, method, email)
        self.pay(checkout["id"])
        return self.complete(checkout["id"])
