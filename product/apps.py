from django.apps import AppConfig


class ProductConfig(AppConfig):
    name = "product"
    default_auto_field = "django.db.models.BigAutoField"
