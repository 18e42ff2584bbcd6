from tests.checkout.conftest import *  # noqa: F403
