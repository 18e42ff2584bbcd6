"""A fake Paystack API answering with the shapes of Paystack's API reference.

Shapes follow https://paystack.com/docs/api/ (initialize and verify transaction, create
and fetch refund, card preauthorization) and the webhook event payloads of
https://paystack.com/docs/payments/webhooks/. Webhook bodies are signed like Paystack
does: hex HMAC-SHA512 of the raw body keyed with the secret key.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import secrets
from dataclasses import dataclass, field
from typing import Any

from tests.plugins.fakehttp import FakeProvider, Seen

_ids = itertools.count(4_100_000_001)


def sign(secret: str, body: bytes) -> str:
    """Paystack's algorithm, written out (the plugin's own helper is not used here)."""
    return hmac.new(secret.encode("utf-8"), body, hashlib.sha512).hexdigest()


@dataclass
class FakePaystack(FakeProvider):
    secret_key: str = "sk_test_fake"
    transactions: dict[str, dict[str, Any]] = field(default_factory=dict)
    refunds: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.route("POST", "/transaction/initialize", self._initialize)
        self.route("GET", "/transaction/verify/([^/]+)", self._verify)
        self.route("POST", "/refund", self._create_refund)
        self.route("GET", "/refund/([^/]+)", self._fetch_refund)
        self.route("POST", "/preauthorization/initialize", self._preauthorize)
        self.route("GET", "/preauthorization/verify/([^/]+)", self._verify_preauthorization)
        self.route("POST", "/preauthorization/capture", self._capture)
        self.route("POST", "/preauthorization/release", self._release)

    # -- API ------------------------------------------------------------------------------

    def _authorized(self, seen: Seen) -> bool:
        return seen.headers.get("Authorization") == f"Bearer {self.secret_key}"

    def dispatch(self, seen: Seen) -> tuple[int, Any]:
        if not self.down and not self._authorized(seen):
            return 401, {"status": False, "message": "Invalid key"}
        return super().dispatch(seen)

    def _start(self, seen: Seen, *, preauth: bool) -> tuple[int, Any]:
        body = seen.json()
        reference = body.get("reference") or secrets.token_hex(5)
        if reference in self.transactions:
            return 400, {"status": False, "message": "Duplicate Transaction Reference"}
        if (
            not isinstance(body.get("amount"), int)
            or body["amount"] <= 0
            or "@" not in str(body.get("email"))
        ):
            return 400, {"status": False, "message": "Invalid amount or email"}
        code = secrets.token_hex(7)
        self.transactions[reference] = {
            "id": next(_ids),
            "domain": "test",
            "status": "abandoned",
            "reference": reference,
            "amount": body["amount"],
            "currency": body.get("currency", "NGN"),
            "email": body["email"],
            "metadata": body.get("metadata"),
            "preauth": preauth,
            "refunded": 0,
        }
        kind = "preauthorization/" if preauth else ""
        return 200, {
            "status": True,
            "message": "Authorization URL created",
            "data": {
                "authorization_url": f"https://checkout.paystack.com/{kind}{code}",
                "access_code": code,
                "reference": reference,
            },
        }

    def _initialize(self, seen: Seen) -> tuple[int, Any]:
        return self._start(seen, preauth=False)

    def _preauthorize(self, seen: Seen) -> tuple[int, Any]:
        return self._start(seen, preauth=True)

    def transaction_data(self, reference: str) -> dict[str, Any]:
        """The ``data`` of "verify transaction" (and of the charge.success event)."""
        tx = self.transactions[reference]
        paid = tx["status"] == "success"
        return {
            "id": tx["id"],
            "domain": "test",
            "status": tx["status"],
            "reference": reference,
            "amount": tx.get("paid_amount", tx["amount"]),
            "message": None,
            "gateway_response": "Successful" if paid else "The transaction was not completed",
            "paid_at": "2024-05-02T10:21:32.000Z" if paid else None,
            "created_at": "2024-05-02T10:20:57.000Z",
            "channel": "card",
            "currency": tx.get("paid_currency", tx["currency"]),
            "ip_address": "102.89.34.12",
            "metadata": tx["metadata"],
            "fees": 100,
            "authorization": {
                "authorization_code": "AUTH_fake0secret",
                "bin": "408408",
                "last4": "4081",
                "exp_month": "12",
                "exp_year": "2030",
                "channel": "card",
                "card_type": "visa ",
                "bank": "TEST BANK",
                "country_code": "NG",
                "brand": "visa",
                "reusable": True,
                "signature": "SIG_yEXu7dLBeqG0kU7g95Ke",
                "account_name": None,
            },
            "customer": {
                "id": 89929267,
                "first_name": None,
                "last_name": None,
                "email": tx["email"],
                "customer_code": "CUS_i5yosncbl8h2kvc",
                "phone": None,
                "metadata": None,
                "risk_action": "default",
            },
            "plan": None,
            "requested_amount": tx["amount"],
        }

    def _verify(self, seen: Seen, reference: str) -> tuple[int, Any]:
        if reference not in self.transactions:
            return 400, {"status": False, "message": "Transaction reference not found"}
        return 200, {
            "status": True,
            "message": "Verification successful",
            "data": self.transaction_data(reference),
        }

    def _verify_preauthorization(self, seen: Seen, reference: str) -> tuple[int, Any]:
        tx = self.transactions.get(reference)
        if tx is None or not tx["preauth"]:
            return 400, {"status": False, "message": "Preauthorization not found"}
        data = self.transaction_data(reference)
        data["status"] = tx.get("preauth_status", "pending")
        return 200, {"status": True, "message": "Preauthorization retrieved", "data": data}

    def _capture(self, seen: Seen) -> tuple[int, Any]:
        body = seen.json()
        tx = self.transactions.get(body.get("reference"))
        if tx is None or tx.get("preauth_status") != "authorized":
            return 400, {"status": False, "message": "Preauthorization cannot be captured"}
        if int(body["amount"]) > tx["amount"]:
            return 400, {"status": False, "message": "Amount exceeds the authorized amount"}
        tx["preauth_status"] = "captured"
        tx["captured"] = int(body["amount"])
        data = self.transaction_data(tx["reference"])
        data.update(status="success", amount=int(body["amount"]), channel="preauth")
        return 200, {"status": True, "message": "Capture attempted", "data": data}

    def _release(self, seen: Seen) -> tuple[int, Any]:
        tx = self.transactions.get(seen.json().get("reference"))
        if tx is None or tx.get("preauth_status") != "authorized":
            return 400, {"status": False, "message": "Preauthorization cannot be released"}
        tx["preauth_status"] = "released"
        data = self.transaction_data(tx["reference"])
        data["status"] = "released"
        return 200, {"status": True, "message": "Preauthorization released", "data": data}

    def _create_refund(self, seen: Seen) -> tuple[int, Any]:
        body = seen.json()
        tx = self.transactions.get(str(body.get("transaction")))
        if tx is None or tx["status"] != "success":
            return 400, {"status": False, "message": "Transaction not found or not refundable"}
        amount = int(body.get("amount") or tx["amount"] - tx["refunded"])
        if amount > tx["amount"] - tx["refunded"]:
            return 400, {"status": False, "message": "Refund amount exceeds transaction amount"}
        tx["refunded"] += amount
        refund_id = str(next(_ids))
        self.refunds[refund_id] = {
            "id": int(refund_id),
            "integration": 412829,
            "transaction": {"id": tx["id"], "reference": tx["reference"], "amount": tx["amount"]},
            "domain": "test",
            "amount": amount,
            "deducted_amount": 0,
            "fully_deducted": False,
            "currency": tx["currency"],
            "channel": "card",
            "merchant_note": body.get("merchant_note"),
            "customer_note": None,
            "status": "pending",
            "refunded_by": "merchant@example.com",
            "expected_at": "2024-05-12T09:00:00.000Z",
            "createdAt": "2024-05-02T11:00:00.000Z",
            "updatedAt": "2024-05-02T11:00:00.000Z",
        }
        return 200, {
            "status": True,
            "message": "Refund has been queued for processing",
            "data": self.refunds[refund_id],
        }

    def _fetch_refund(self, seen: Seen, refund_id: str) -> tuple[int, Any]:
        refund = self.refunds.get(refund_id)
        if refund is None:
            return 404, {"status": False, "message": "Refund not found"}
        data = dict(refund)
        data["transaction"] = refund["transaction"]["id"]
        return 200, {"status": True, "message": "Refund retrieved", "data": data}

    # -- what happens on Paystack's side --------------------------------------------------

    def pay(self, reference: str, *, amount: int | None = None, currency: str | None = None):
        """The customer pays on Paystack's page (optionally a different amount/currency)."""
        tx = self.transactions[reference]
        if tx["preauth"]:
            tx["preauth_status"] = "authorized"
        else:
            tx["status"] = "success"
        if amount is not None:
            tx["paid_amount"] = amount
        if currency is not None:
            tx["paid_currency"] = currency

    def settle_refund(self, refund_id: str, status: str = "processed") -> None:
        self.refunds[refund_id]["status"] = status

    def event(self, name: str, data: dict[str, Any]) -> bytes:
        return json.dumps({"event": name, "data": data}).encode()

    def charge_success(self, reference: str) -> bytes:
        return self.event("charge.success", self.transaction_data(reference))

    def refund_event(self, refund_id: str, status: str = "processed") -> bytes:
        refund = self.refunds[refund_id]
        return self.event(
            f"refund.{status}",
            {
                "status": status,
                "transaction_reference": refund["transaction"]["reference"],
                "refund_reference": f"TRF_{refund_id}" if status == "failed" else refund_id[-6:],
                "amount": str(refund["amount"]),
                "currency": refund["currency"],
                "processor": "mpgs_zen",
                "customer": {"first_name": "Ada", "last_name": "Obi", "email": "buyer@x.com"},
                "integration": 412829,
                "domain": "test",
            },
        )

    def transfer_event(self, status: str, *, code: str = "TRF_wpl1dem4967avzm") -> bytes:
        return self.event(
            f"transfer.{status}",
            {
                "amount": 3000000,
                "currency": "NGN",
                "domain": "test",
                "failures": None,
                "id": 37272792,
                "integration": {"id": 463433, "is_live": False, "business_name": "Fashionistar"},
                "reason": "Vendor payout #12",
                "reference": "payout-12-vendor-7",
                "source": "balance",
                "source_details": None,
                "status": status,
                "titan_code": None,
                "transfer_code": code,
                "transferred_at": None,
                "recipient": {
                    "active": True,
                    "currency": "NGN",
                    "domain": "test",
                    "email": None,
                    "id": 8690817,
                    "integration": 463433,
                    "name": "Adire House",
                    "recipient_code": "RCP_a8wkxiychzdzfgs",
                    "type": "nuban",
                    "details": {
                        "account_number": "0000000000",
                        "account_name": None,
                        "bank_code": "011",
                        "bank_name": "First Bank of Nigeria",
                    },
                },
                "session": {"provider": "nip", "id": "74849400998877667"},
                "created_at": "2024-05-02T12:28:57.000Z",
                "updated_at": "2024-05-02T12:30:57.000Z",
            },
        )
