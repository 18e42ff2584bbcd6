"""Payment plugin tests sell from the checkout tests' shop (NGN and USD channels)."""

from tests.checkout.conftest import *  # noqa: F403
