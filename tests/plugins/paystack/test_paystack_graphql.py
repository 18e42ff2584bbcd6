"""A storefront pays with Paystack over GraphQL, as a web or mobile client does."""

from __future__ import annotations

import json

import pytest

from tests.checkout.conftest import LAGOS
from tests.order.storefront import TRANSACTION_INITIALIZE, Storefront, codes, ok
from tests.plugins.paystack.conftest import PAYSTACK, SECRET
from tests.plugins.paystack.flow import post_webhook

pytestmark = pytest.mark.django_db

PROCESS = """
mutation($id: ID!) {
  transactionProcess(id: $id) {
    transaction { chargedAmount { amount } } transactionEvent { type }
    errors { field code message }
  }
}
"""


def test_transaction_initialize_returns_paystacks_redirect_and_the_order_follows(
    paystack, shop, gql, settings
):
    storefront = Storefront(gql)
    checkout = storefront.ready([(shop.catalog.variants["RD-S"], 1)], LAGOS, shop.standard)
    pay = {"id": checkout["id"], "gateway": {"id": PAYSTACK}}

    settings.PAYSTACK_TIMEOUT = (1.0, 0.3)
    paystack.delay = 0.6
    assert codes(gql(TRANSACTION_INITIALIZE, pay), "transactionInitialize") == [
        "PAYMENT_PROVIDER_UNAVAILABLE"
    ]
    paystack.delay = 0

    body = gql(TRANSACTION_INITIALIZE, pay)
    payload = ok(body, "transactionInitialize")
    data = payload["data"]
    assert set(data) == {"authorization_url", "access_code", "reference"}
    assert payload["transaction"]["pspReference"] == data["reference"]
    assert payload["transactionEvent"]["type"] == "CHARGE_REQUEST"
    assert SECRET not in json.dumps(body)

    paystack.pay(data["reference"])
    processed = ok(gql(PROCESS, {"id": payload["transaction"]["id"]}), "transactionProcess")
    assert processed["transactionEvent"]["type"] == "CHARGE_SUCCESS"
    assert post_webhook(paystack.charge_success(data["reference"])).status_code == 200
    order = storefront.complete(checkout["id"])
    assert order["number"]
