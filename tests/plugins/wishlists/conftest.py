from tests.plugins.reviews.conftest import *  # noqa: F403
