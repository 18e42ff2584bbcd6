from django.apps import AppConfig


class DummyGatewayConfig(AppConfig):
    name = "plugins.dummy_gateway"
    label = "dummy_gateway"
