from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.plugins.stripe.fake import FakeStripe

STRIPE = "fashionistar.payments.stripe"
SECRET = "sk_test_51FakeStripeSecretKey0123456789abcdef"
PUBLISHABLE = "pk_test_51FakeStripePublishableKey0123456789"
WEBHOOK_SECRET = "whsec_fakeSigningSecret0123456789abcdef"


@pytest.fixture
def fake_stripe(settings) -> Iterator[FakeStripe]:
    fake = FakeStripe(secret_key=SECRET)
    fake.start()
    settings.STRIPE_API_BASE = fake.url
    settings.STRIPE_TIMEOUT = 3.0
    try:
        yield fake
    finally:
        fake.stop()


def configure(plugin_kit, **values) -> None:
    plugin_kit.activate(
        STRIPE,
        "channel-usd",
        {
            "secret_key": SECRET,
            "publishable_key": PUBLISHABLE,
            "webhook_secret": WEBHOOK_SECRET,
            **values,
        },
    )


@pytest.fixture
def stripe_auto(plugin_kit, shop, fake_stripe) -> FakeStripe:
    """Stripe active in the USD channel, capturing automatically."""
    configure(plugin_kit)
    return fake_stripe


@pytest.fixture
def stripe_manual(plugin_kit, shop, fake_stripe) -> FakeStripe:
    """Stripe active in the USD channel, authorizing only (staff capture)."""
    configure(plugin_kit, automatic_capture=False)
    return fake_stripe
