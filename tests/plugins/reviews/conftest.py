"""Reviews are written by customers who bought from the checkout tests' shop."""

from __future__ import annotations

import base64
import io
from typing import Any

import pytest
from django.test import Client
from PIL import Image

from tests.checkout.conftest import LAGOS, pay
from tests.conftest import GraphQLClient

CHANNEL = "default-channel"


def gid(type_name: str, pk: Any) -> str:
    import graphene

    return graphene.relay.Node.to_global_id(type_name, pk)


def make_customer(email: str, first_name: str = "Ada", last_name: str = "Obi") -> Any:
    from account.models import User

    return User.objects.create_user(
        email=email, password="x", first_name=first_name, last_name=last_name
    )


def client_for(user: Any) -> GraphQLClient:
    client = Client()
    client.force_login(user)
    return GraphQLClient(client)


def buy(shop: Any, user: Any, sku: str = "RD-M", *, fulfil: bool = True) -> Any:
    """Place (and by default ship) an order of one ``sku`` for ``user``."""
    from checkout import services
    from checkout.complete import complete_checkout
    from checkout.services import LineInput
    from order import services as orders

    checkout = services.create_checkout(
        user=user,
        channel=CHANNEL,
        email=user.email,
        lines=[LineInput(shop.catalog.variants[sku].pk, 1)],
        shipping_address=LAGOS,
        billing_address=LAGOS,
    )
    checkout = services.update_delivery_method(checkout, shop.standard.pk)
    pay(checkout)
    order, _ = complete_checkout(checkout.token)
    if fulfil:
        line = order.lines.get()
        orders.fulfill(
            order,
            [orders.FulfillmentLineInput(line.pk, line.quantity)],
            warehouse_id=shop.warehouses["lagos"].pk,
        )
    return order


def image_b64(size: tuple[int, int] = (200, 150), fmt: str = "PNG") -> str:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 60)).save(buffer, format=fmt)
    return base64.b64encode(buffer.getvalue()).decode()


def deliver(event_type: str) -> list[Any]:
    """Deliver the pending deliveries of one event type now; returns the events."""
    from core.events.delivery import deliver_one
    from core.models import EventDelivery

    pending = EventDelivery.objects.filter(
        event__event_type=event_type, status=EventDelivery.Status.PENDING
    ).select_related("event")
    events = []
    for delivery in list(pending):
        deliver_one(delivery.pk)
        events.append(delivery.event)
    return events


@pytest.fixture
def ada(db: Any) -> Any:
    return make_customer("ada@example.com")


@pytest.fixture
def bola(db: Any) -> Any:
    return make_customer("bola@example.com", "Bola", "Ade")


@pytest.fixture
def ada_gql(ada: Any) -> GraphQLClient:
    return client_for(ada)


@pytest.fixture
def moderator(db: Any) -> Any:
    from account.models import User
    from tests.conftest import grant

    user = User.objects.create_user(email="moderator@example.com", password="x", is_staff=True)
    return grant(user, "reviews.manage_reviews")


@pytest.fixture
def moderator_gql(moderator: Any) -> GraphQLClient:
    return client_for(moderator)


@pytest.fixture
def auto_publish(plugin_kit: Any) -> None:
    plugin_kit.activate("fashionistar.reviews", CHANNEL, {"auto_publish": True})


@pytest.fixture
def review_listener(plugin_kit: Any) -> Any:
    """A plugin listening to the review events, as a third party's would."""
    from core.hookspecs import hookimpl
    from core.plugins import BasePlugin

    class ReviewListener(BasePlugin):
        id = "tests.review_listener"
        name = "Review listener"
        per_channel = False
        default_active = True
        seen: list[tuple[str, dict]] = []

        @hookimpl
        def review_created(self, event: Any) -> None:
            self.seen.append(("review_created", event.payload))

        @hookimpl
        def review_approved(self, event: Any) -> None:
            self.seen.append(("review_approved", event.payload))

    return plugin_kit.register(ReviewListener())
