from django.apps import AppConfig


class FlatTaxConfig(AppConfig):
    name = "plugins.flat_tax"
    label = "flat_tax"
