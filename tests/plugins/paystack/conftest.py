from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.plugins.paystack.fake import FakePaystack

PAYSTACK = "fashionistar.payments.paystack"
SECRET = "sk_test_5ec7e7a1b2c3d4e5f60718293a4b5c6d7e8f9012"
PUBLIC = "pk_test_0a1b2c3d4e5f60718293a4b5c6d7e8f901234"


@pytest.fixture
def fake_paystack(settings) -> Iterator[FakePaystack]:
    fake = FakePaystack(secret_key=SECRET)
    fake.start()
    settings.PAYSTACK_API_BASE = fake.url
    settings.PAYSTACK_TIMEOUT = (2.0, 2.0)
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture
def paystack(plugin_kit, shop, fake_paystack) -> FakePaystack:
    """Paystack active in the NGN channel, talking to the fake."""
    plugin_kit.activate(
        PAYSTACK,
        "default-channel",
        {
            "secret_key": SECRET,
            "public_key": PUBLIC,
            "callback_url": "https://shop.example.com/paystack/return",
        },
    )
    return fake_paystack
