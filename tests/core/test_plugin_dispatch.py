"""Decision and pipeline hooks: activation per channel, order, vetoes, zero queries."""

from __future__ import annotations

from decimal import Decimal

import graphene
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.errors import DomainError
from core.graphql.types import BaseMutation
from core.plugins.manager import get_manager
from tests.core.sample_plugins import Abstainer, Doubler, Gatekeeper, Surcharge

pytestmark = [pytest.mark.django_db, pytest.mark.embedded]


def test_a_hook_nobody_implements_returns_the_neutral_value(channel):
    manager = get_manager()
    assert manager.decision("shipping_methods", channel=channel, checkout=None) == []
    assert (
        manager.decision(
            "transaction_process", channel=channel, gateway_id="x", transaction=None, data={}
        )
        is None
    )
    assert manager.pipeline(
        "calculate_checkout_total", Decimal("5"), channel=channel, checkout=None
    ) == Decimal("5")


def test_pipeline_threads_the_value_in_documented_order(plugin_kit, channel):
    first = plugin_kit.register(Surcharge("test.surcharge_a"))
    second = plugin_kit.register(Surcharge("test.surcharge_b"))
    plugin_kit.register(Abstainer())
    plugin_kit.register(Doubler())
    plugin_kit.activate("test.surcharge_a", channel="default-channel", config={"amount": "1"})
    plugin_kit.activate("test.surcharge_b", channel="default-channel", config={"amount": "10"})

    total = get_manager().pipeline(
        "calculate_checkout_total", Decimal("5"), channel=channel, checkout=None
    )

    # tryfirst Doubler: 5 -> 10; then later registrations first: b (+10) -> 20, a (+1) -> 21;
    # the abstainer returned None and kept the value.
    assert total == Decimal("21")
    assert second.seen == [Decimal("10")]
    assert first.seen == [Decimal("20")]
    order = [call.plugin_id for call in plugin_kit.calls_to("calculate_checkout_total")]
    assert order[0] == "test.doubler"
    assert order.index("test.surcharge_b") < order.index("test.surcharge_a")


def test_inactive_plugin_is_skipped_in_that_channel_only(plugin_kit, channel, channel_usd):
    plugin_kit.register(Surcharge("test.surcharge"))
    plugin_kit.deactivate("test.surcharge", channel="channel-usd")
    manager = get_manager()
    assert manager.pipeline(
        "calculate_checkout_total", Decimal("5"), channel=channel_usd, checkout=None
    ) == Decimal("5")
    assert manager.pipeline(
        "calculate_checkout_total", Decimal("5"), channel=channel, checkout=None
    ) == Decimal("6")


def test_channel_configuration_overrides_global(plugin_kit, channel, channel_usd):
    plugin_kit.register(Surcharge("test.surcharge"))
    plugin_kit.activate("test.surcharge", config={"amount": "2"})
    plugin_kit.activate("test.surcharge", channel="channel-usd", config={"amount": "3"})
    manager = get_manager()
    assert manager.pipeline(
        "calculate_checkout_total", Decimal("0"), channel=channel, checkout=None
    ) == Decimal("2")
    assert manager.pipeline(
        "calculate_checkout_total", Decimal("0"), channel=channel_usd, checkout=None
    ) == Decimal("3")


def test_decision_collects_answers_and_a_veto_stops_the_operation(plugin_kit, channel):
    plugin_kit.register(Gatekeeper())
    plugin_kit.activate(
        "test.gatekeeper", channel="default-channel", config={"blocked": "fraud@example.com"}
    )
    manager = get_manager()
    gateways = manager.decision("payment_gateways", channel=channel, currency="NGN")
    assert {"id": "test.gate", "currency": "NGN"} in gateways  # concatenated with the others'
    assert all(not isinstance(g, list) for g in gateways)
    manager.decision("validate_checkout", channel=channel, checkout={"email": "ok@example.com"})
    with pytest.raises(DomainError) as excinfo:
        manager.decision(
            "validate_checkout", channel=channel, checkout={"email": "fraud@example.com"}
        )
    assert excinfo.value.code == "CUSTOMER_BLOCKED"
    assert excinfo.value.errors[0].field == "email"


class CompleteCheckout(BaseMutation):
    """A mutation shaped like the real checkoutComplete: a decision hook may veto it."""

    ok = graphene.Boolean()

    class Arguments:
        email = graphene.String(required=True)

    @classmethod
    def perform(cls, info, **data):
        get_manager().decision(
            "validate_checkout", channel="default-channel", checkout={"email": data["email"]}
        )
        return {"ok": True}


def test_a_veto_reaches_the_graphql_client_as_a_typed_mutation_error(plugin_kit, channel):
    plugin_kit.register(Gatekeeper())
    plugin_kit.activate(
        "test.gatekeeper", channel="default-channel", config={"blocked": "fraud@example.com"}
    )

    class Mutation(graphene.ObjectType):
        checkout_complete = CompleteCheckout.Field()

    class Query(graphene.ObjectType):
        ok = graphene.Boolean()

    schema = graphene.Schema(query=Query, mutation=Mutation)
    query = (
        "mutation($e: String!) { checkoutComplete(email: $e) { ok errors { field code message } } }"
    )
    refused = schema.execute(query, variables={"e": "fraud@example.com"})
    assert refused.errors is None
    assert refused.data["checkoutComplete"] == {
        "ok": None,
        "errors": [
            {
                "field": "email",
                "code": "CUSTOMER_BLOCKED",
                "message": "This customer cannot check out.",
            }
        ],
    }
    accepted = schema.execute(query, variables={"e": "ok@example.com"})
    assert accepted.data["checkoutComplete"] == {"ok": True, "errors": []}


def test_five_active_plugins_add_no_database_query(plugin_kit, channel):
    for index in range(5):
        plugin_kit.register(Surcharge(f"test.surcharge_{index}"))
        plugin_kit.activate(
            f"test.surcharge_{index}", channel="default-channel", config={"amount": "1"}
        )
    manager = get_manager()
    manager.pipeline(
        "calculate_checkout_total", Decimal("0"), channel=channel, checkout=None
    )  # warm
    with CaptureQueriesContext(connection) as queries:
        for _ in range(50):
            total = manager.pipeline(
                "calculate_checkout_total", Decimal("0"), channel=channel, checkout=None
            )
            manager.decision("validate_checkout", channel=channel, checkout={"email": "a@b.c"})
    assert total == Decimal("5")
    assert len(queries) == 0, [q["sql"] for q in queries]


def test_hook_calls_are_spans_with_plugin_and_hook(plugin_kit, channel, span_exporter):
    plugin_kit.register(Gatekeeper())
    plugin_kit.activate("test.gatekeeper", channel="default-channel", config={"blocked": "x@y.z"})
    with pytest.raises(DomainError):
        get_manager().decision("validate_checkout", channel=channel, checkout={"email": "x@y.z"})
    span = next(
        s
        for s in span_exporter.get_finished_spans()
        if s.name == "plugin test.gatekeeper.validate_checkout"
    )
    assert span.attributes["plugin.id"] == "test.gatekeeper"
    assert span.attributes["plugin.hook"] == "validate_checkout"
    assert span.attributes["plugin.outcome"] == "PluginVeto"
    assert span.end_time >= span.start_time
