"""Small plugins used by the kernel tests. Each records what it received in ``received``."""

from __future__ import annotations

import os
from decimal import Decimal
from typing import Any, ClassVar

import graphene
from django.http import HttpResponse

from core.hookspecs import hookimpl
from core.plugins import BasePlugin, ConfigField, FieldType, PluginVeto


class Recorder(BasePlugin):
    id = "test.recorder"
    name = "Recorder"
    default_active = True
    received: ClassVar[list[Any]]

    def __init__(self) -> None:
        self.received = []

    @hookimpl
    def order_created(self, event, config) -> None:
        self.received.append((event.id, event.attempt, dict(event.payload), config.channel))

    @hookimpl
    def product_created(self, event) -> None:
        self.received.append((event.id, event.attempt, dict(event.payload), None))


class AlwaysFails(BasePlugin):
    id = "test.always_fails"
    name = "Always fails"
    default_active = True

    def __init__(self) -> None:
        self.attempts = 0
        self.fixed = False
        self.received: list[Any] = []

    @hookimpl
    def order_created(self, event) -> None:
        self.attempts += 1
        if not self.fixed:
            raise ConnectionError("upstream CRM is down")
        self.received.append(event.id)


class Surcharge(BasePlugin):
    """Pipeline step adding a fixed amount; configured per channel."""

    name = "Surcharge"
    default_active = True
    config_fields = (ConfigField("amount", FieldType.DECIMAL, default="1"),)

    def __init__(self, plugin_id: str) -> None:
        self.id = plugin_id
        self.seen: list[Any] = []

    @hookimpl
    def calculate_checkout_total(self, previous_value, config) -> Any:
        self.seen.append(previous_value)
        return previous_value + Decimal(config["amount"])


class Doubler(BasePlugin):
    id = "test.doubler"
    name = "Doubler"
    default_active = True

    @hookimpl(tryfirst=True)
    def calculate_checkout_total(self, previous_value) -> Any:
        return previous_value * 2


class Abstainer(BasePlugin):
    id = "test.abstainer"
    name = "Abstainer"
    default_active = True

    @hookimpl
    def calculate_checkout_total(self, previous_value) -> None:
        return None


class Gatekeeper(BasePlugin):
    """Decision plugin: vetoes checkouts whose email is on a block list."""

    id = "test.gatekeeper"
    name = "Gatekeeper"
    default_active = True
    config_fields = (
        ConfigField("blocked", FieldType.STRING_LIST, default=[]),
        ConfigField("api_key", FieldType.SECRET, help_text="Key of the fraud service"),
        ConfigField("mode", FieldType.CHOICE, default="strict", choices=("strict", "lenient")),
        ConfigField("endpoint", FieldType.URL, default="https://fraud.example.com"),
        ConfigField("max_items", FieldType.INTEGER, default=10),
        ConfigField("enabled_checks", FieldType.BOOLEAN, default=True),
    )

    def validate_configuration(self, values, channel) -> None:
        from core.errors import DomainError

        if values.get("mode") == "strict" and values.get("max_items", 0) > 1000:
            raise DomainError("Strict mode allows at most 1000 items.", field="max_items")

    @hookimpl
    def validate_checkout(self, checkout, config) -> None:
        if checkout["email"] in config["blocked"]:
            raise PluginVeto(
                "This customer cannot check out.", code="CUSTOMER_BLOCKED", field="email"
            )

    @hookimpl
    def payment_gateways(self, currency, config) -> list:
        return [{"id": "test.gate", "currency": currency}]


class Extender(BasePlugin):
    """Adds a root query field and a field on the core Channel type."""

    id = "test.extender"
    name = "Extender"
    default_active = True

    @hookimpl
    def graphql_query_fields(self) -> dict:
        return {
            "greeting": graphene.String(
                name=graphene.String(), resolver=lambda root, info, name="you": f"hello {name}"
            )
        }

    @hookimpl
    def graphql_type_fields(self) -> dict:
        return {
            "Channel": {
                "currency_symbol": graphene.String(
                    resolver=lambda root, info: {"NGN": "₦", "USD": "$"}.get(root.currency_code)
                )
            }
        }


class WebhookReceiver(BasePlugin):
    id = "test.webhooks"
    name = "Webhook receiver"
    config_fields = (ConfigField("token", FieldType.SECRET),)

    def __init__(self) -> None:
        self.handled: list[str] = []

    @hookimpl
    def handle_webhook(self, request, channel, config) -> HttpResponse:
        if request.headers.get("X-Token") != config["token"]:
            raise PluginVeto("Bad signature.", code="INVALID_SIGNATURE")
        self.handled.append(request.body.decode())
        return HttpResponse(f"ok {channel}")


class Killer(BasePlugin):
    """Kills its own process on the first attempt: a worker dying mid-delivery."""

    id = "test.killer"
    name = "Killer"
    default_active = True

    @hookimpl
    def order_created(self, event) -> None:
        with open(os.environ["KILLER_LOG"], "a") as log:
            log.write(f"{event.id} {event.attempt}\n")
        if event.attempt == 1:
            os.kill(os.getpid(), 9)
