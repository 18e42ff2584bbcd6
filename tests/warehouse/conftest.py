from tests.product.fixtures import *  # noqa: F403
